"""All venue profiles by id, in the order the bot offers them."""

from __future__ import annotations

from collections.abc import Iterator

from bot.venues.base import VenueProfile


class VenueRegistry:
    def __init__(self, profiles: list[VenueProfile]) -> None:
        self._profiles = {p.id: p for p in profiles}
        if len(self._profiles) != len(profiles):
            raise ValueError("duplicate venue id")

    def get(self, venue_id: str) -> VenueProfile | None:
        return self._profiles.get(venue_id)

    def __getitem__(self, venue_id: str) -> VenueProfile:
        return self._profiles[venue_id]

    def __iter__(self) -> Iterator[VenueProfile]:
        return iter(self._profiles.values())


def default_registry() -> VenueRegistry:
    from bot.venues.catalog import VENUES

    return VenueRegistry([venue.profile for venue in VENUES])
