"""Roxom: RSA key pairs, expiry choices, up to 10 active keys; no scopes or IP list documented."""

from __future__ import annotations

import re
from functools import cache

from bot.venues.base import CredentialField, ExpiryOption, Step, VenueAction, VenueProfile
from bot.venues.connector import BaseConnector, Credentials, Outcome, Verification, json_or_empty
from bot.venues.formats import PEM_PRIVATE_KEY, is_rsa_pkcs8, normalize_pem
from bot.venues.module import Venue
from bot.venues.signing import roxom_payload, roxom_signature

PROFILE = VenueProfile(
    # "Check the last used date to identify inactive keys" (docs/venues.md, Facts checked).
    unused_hint="venue-roxom-unused-hint",
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
    # "Actions: Rename, Disable" (no delete).
    actions=(VenueAction("rename", "Rename"), VenueAction("disable", "Disable", revokes=True)),
    max_active=10,
    warnings=("venue-roxom-warn-beta", "venue-roxom-warn-once"),
    skip_reasons={Step.PERMISSIONS: "venue-roxom-skip-perms", Step.IPS: "venue-roxom-skip-ips"},
)


class RoxomConnector(BaseConnector):
    venue = "roxom"

    async def verify(self, creds: Credentials) -> Verification:
        path = "/v1/accounts/balance?unit=btc"
        signature = roxom_signature(creds["private_key"], roxom_payload("GET", path))
        response = await self.http.request(self.venue, "GET", f"{self.base(creds)}{path}",
                                           headers={"X-API-Key": creds["key_id"], "X-API-Signature": signature})
        body = json_or_empty(response)
        if response.status_code == 200 and body.get("error") is False:
            return Verification(Outcome.OK, "200")
        if response.status_code == 429:
            return Verification(Outcome.RATE_LIMITED, "429")
        message = str(body.get("message") or body.get("error") or "").lower()
        if response.status_code == 401:
            if "expired" in message:
                return Verification(Outcome.EXPIRED, "401 expired")
            if "signature" in message:
                return Verification(Outcome.BAD_SECRET, "401 signature")
            return Verification(Outcome.BAD_KEY, "401")
        if response.status_code == 403:
            return Verification(Outcome.PERMISSION_DENIED, "403")
        return Verification(Outcome.UNKNOWN, str(response.status_code))


@cache
def _sample() -> tuple[str, ...]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    return ("xrxk_key_0123456789abcdef0123456789abcdef", pem)


VENUE = Venue(PROFILE, urls={"mainnet": "https://api.roxom.com"}, sample=_sample,
              connector=lambda ctx: RoxomConnector(ctx.http, ctx.urls))
