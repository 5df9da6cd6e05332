"""Roxom: RSA key pairs, expiry choices, up to 10 active keys; no scopes or IP list documented."""

from __future__ import annotations

import re

from bot.venues.base import CredentialField, ExpiryOption, Step, VenueProfile
from bot.venues.formats import PEM_PRIVATE_KEY, is_rsa_pkcs8, normalize_pem

PROFILE = VenueProfile(
    id="roxom",
    title="Roxom",
    environments=("mainnet",),
    fields=(
        # rxk_key_83b3… or xrxk_key_<32 hex>, "format may vary": stay lenient.
        CredentialField("key_id", re.compile(r"[A-Za-z0-9_\-]{6,128}"), public_id=True),
        CredentialField("private_key", PEM_PRIVATE_KEY, pem=True, check=is_rsa_pkcs8, normalize=normalize_pem),
    ),
    expiry_options=(
        ExpiryOption("never", 0),
        ExpiryOption("30d", 30),
        ExpiryOption("90d", 90),
        ExpiryOption("6m", 182),
        ExpiryOption("1y", 365),
    ),
    max_active=10,
    warnings=("venue-roxom-warn-beta", "venue-roxom-warn-once"),
    skip_reasons={Step.PERMISSIONS: "venue-roxom-skip-perms", Step.IPS: "venue-roxom-skip-ips"},
)
