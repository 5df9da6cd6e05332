"""Bybit v5: read-only or read-write keys; keys with no IP bound expire after 90 days."""

from __future__ import annotations

import re

from bot.venues.base import CredentialField, IpRules, Permission, VenueProfile

PROFILE = VenueProfile(
    id="bybit",
    title="Bybit",
    environments=("mainnet", "testnet"),
    fields=(
        CredentialField("api_key", re.compile(r"[A-Za-z0-9]{10,64}"), public_id=True),
        CredentialField("secret", re.compile(r"[A-Za-z0-9]{20,128}")),
    ),
    permissions=(
        Permission("read", "Read", default=True, required=True),
        Permission("contract", "Contract - Orders & Positions", writes=True),
        Permission("spot", "Spot - Trade", writes=True),
        Permission("options", "USDC Contracts - Trade", writes=True),
        Permission("exchange", "Exchange - Convert", writes=True),
        Permission("transfer", "Assets - Transfer", writes=True, danger=True),
        Permission("withdraw", "Assets - Withdrawal", writes=True, danger=True),
    ),
    read_only_switch=True,
    ip=IpRules(supported=True, consequence="venue-bybit-no-ip"),
    no_ip_expiry_days=90,
    warnings=("venue-bybit-warn-password",),
)
