"""XT.com: query-only by default; scopes must be granted; optional IP whitelist; up to 10 keys."""

from __future__ import annotations

import re

from bot.venues.base import CredentialField, IpRules, Permission, Step, VenueProfile
from bot.venues.formats import UUID, lower_strip

PROFILE = VenueProfile(
    id="xt",
    title="XT.com",
    environments=("mainnet",),
    fields=(
        CredentialField("access_key", UUID, public_id=True, normalize=lower_strip),
        CredentialField("secret", re.compile(r"[0-9a-fA-F]{40}"), normalize=lower_strip),
    ),
    permissions=(
        Permission("query", "QUERY", default=True, required=True),
        Permission("trade", "TRADE", writes=True),
        Permission("future", "FUTURE", writes=True),
        Permission("lever_loan", "LEVER_LOAN", writes=True),
        Permission("transfer", "TRANSFER", writes=True, danger=True),
        Permission("withdraw", "WITHDRAW", writes=True, danger=True),
    ),
    # "single IPs or IP segments", comma separated; no published maximum.
    ip=IpRules(supported=True, cidr=True, consequence="venue-xt-no-ip"),
    max_keys=10,
    warnings=("venue-xt-warn-apply", "venue-xt-warn-once"),
    skip_reasons={Step.READ_ONLY: "venue-xt-skip-ro"},
)
