"""Venue profiles (what each venue supports) and the registry that serves them."""

from bot.venues.base import CredentialField, ExpiryOption, IpRules, Permission, Step, VenueProfile
from bot.venues.registry import VenueRegistry, default_registry

__all__ = [
    "CredentialField", "ExpiryOption", "IpRules", "Permission", "Step", "VenueProfile", "VenueRegistry",
    "default_registry",
]
