"""OKX v5: HMAC key + secret + a passphrase the user chose; IP list of up to 20."""

from __future__ import annotations

import re

from bot.venues.base import CredentialField, IpRules, Permission, Step, VenueProfile
from bot.venues.formats import UUID, lower_strip

PROFILE = VenueProfile(
    id="okx",
    title="OKX",
    environments=("mainnet", "demo"),
    fields=(
        CredentialField("api_key", UUID, public_id=True, normalize=lower_strip),
        CredentialField("secret", re.compile(r"[0-9A-Fa-f]{32}")),
        # Chosen by the user; printable ASCII without spaces.
        CredentialField("passphrase", re.compile(r"[\x21-\x7e]{1,64}")),
    ),
    permissions=(
        Permission("read", "Read", default=True, required=True),
        Permission("trade", "Trade", writes=True),
        Permission("withdraw", "Withdraw", writes=True, danger=True),
    ),
    ip=IpRules(supported=True, max_entries=20, consequence="venue-okx-no-ip"),
    warnings=("venue-okx-warn-passphrase",),
    skip_reasons={Step.READ_ONLY: "venue-okx-skip-ro"},
)
