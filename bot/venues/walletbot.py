"""A Telegram wallet bot with an "API Access" menu: the reference for the guided flow; no public API."""

from __future__ import annotations

from bot.venues.base import CredentialField, IpRules, Permission, VenueAction, VenueProfile
from bot.venues.formats import LENIENT_TOKEN
from bot.venues.module import Venue

PROFILE = VenueProfile(
    id="walletbot",
    title="Wallet bot (API Access)",
    environments=("mainnet",),
    fields=(CredentialField("api_key", LENIENT_TOKEN, public_id=True),),
    permissions=(
        Permission("balance", "Balance", default=True),
        Permission("deposit", "Deposit"),
        Permission("exchange", "Exchange", writes=True),
        Permission("transfers", "Transfers", writes=True, danger=True),
        Permission("withdrawal", "Withdrawal", writes=True, danger=True),
    ),
    read_only_switch=True,
    ip=IpRules(supported=True, ipv6=True, consequence="venue-walletbot-no-ip"),
    asks_activation=True,
    # "After creation a key can only be deactivated/activated or deleted".
    actions=(VenueAction("deactivate", "deactivate", revokes=True), VenueAction("delete", "delete", revokes=True)),
    has_public_api=False,
    warnings=("venue-walletbot-warn-2fa", "venue-walletbot-warn-frozen", "venue-walletbot-warn-no-api"),
)


VENUE = Venue(PROFILE, urls={}, sample=lambda: ("WB-API-7f3a9c2e4b6d8f0a1c3e5b7d9f2a4c6e",))
