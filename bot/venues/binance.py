"""Binance: HMAC keys with restriction switches; IP list of up to 30; withdrawals need an IP list."""

from __future__ import annotations

import re

from bot.venues.base import CredentialField, IpRules, Permission, Step, VenueProfile

_KEY = re.compile(r"[A-Za-z0-9]{64}")

PROFILE = VenueProfile(
    id="binance",
    title="Binance",
    environments=("mainnet", "testnet"),
    fields=(CredentialField("api_key", _KEY, public_id=True), CredentialField("secret", _KEY)),
    permissions=(
        Permission("reading", "Enable Reading", default=True, required=True),
        Permission("spot", "Enable Spot & Margin Trading", writes=True),
        Permission("margin", "Enable Margin Loan, Repay & Transfer", writes=True),
        Permission("futures", "Enable Futures", writes=True),
        Permission("transfer", "Permits Universal Transfer", writes=True, danger=True),
        Permission("withdraw", "Enable Withdrawals", writes=True, danger=True),
    ),
    ip=IpRules(
        supported=True, max_entries=30, required_for=frozenset({"withdraw"}), consequence="venue-binance-no-ip"
    ),
    warnings=("venue-binance-warn-hmac",),
    skip_reasons={Step.READ_ONLY: "venue-binance-skip-ro"},
)
