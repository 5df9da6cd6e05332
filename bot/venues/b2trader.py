"""B2Trader: B2Broker's white-label exchange; the user names their broker's host. Max 3 keys."""

from __future__ import annotations

from bot.venues.base import CredentialField, IpRules, Permission, Step, VenueProfile
from bot.venues.formats import UUID, lower_strip

PROFILE = VenueProfile(
    id="b2trader",
    title="B2Trader",
    environments=("mainnet",),
    needs_host=True,
    fields=(
        CredentialField("public_key", UUID, public_id=True, normalize=lower_strip),
        CredentialField("private_key", UUID, normalize=lower_strip),
    ),
    permissions=(
        Permission("info", "isInfo", default=True),
        Permission("trade", "isTrade", writes=True),
    ),
    ip=IpRules(supported=True, consequence="venue-b2trader-no-ip"),
    max_keys=3,
    warnings=("venue-b2trader-warn-host",),
    skip_reasons={Step.READ_ONLY: "venue-b2trader-skip-ro"},
)
