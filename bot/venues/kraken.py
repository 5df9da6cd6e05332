"""Kraken (spot REST): the tenth venue, added as one module plus its two locale files.

Sources: Kraken's "Spot REST Authentication" guide (docs.kraken.com/api/docs/guides/spot-rest-auth):
headers `API-Key` and `API-Sign`; API-Sign = base64(HMAC-SHA512(base64-decoded private key, URI path +
SHA-256(nonce + POST data))); the nonce must increase; the guide's worked example is the known-answer
test. Errors come as `{"error": ["EAPI:Invalid key", …]}`. The private key is 64 bytes in base64.
Key permissions, IP restriction and an optional expiry date are set when the key is created; Kraken has
no endpoint that reports a key's permissions, so drift cannot be read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from bot.venues.base import CredentialField, IpRules, Permission, Step, VenueAction, VenueProfile
from bot.venues.connector import BaseConnector, Credentials, Outcome, Verification, json_or_empty
from bot.venues.module import Venue

PROFILE = VenueProfile(
    id="kraken",
    title="Kraken",
    environments=("mainnet",),
    fields=(
        CredentialField("api_key", re.compile(r"[A-Za-z0-9+/]{54,58}={0,2}"), public_id=True),
        CredentialField("private_key", re.compile(r"[A-Za-z0-9+/]{86}={2}"),
                        check=lambda v: len(base64.b64decode(v)) == 64),
    ),
    permissions=(
        Permission("funds", "Query Funds", default=True),
        Permission("open", "Query Open Orders & Trades", default=True),
        Permission("closed", "Query Closed Orders & Trades", default=True),
        Permission("ledger", "Query Ledger Entries", default=True),
        Permission("export", "Export Data"),
        Permission("orders", "Modify Orders", writes=True),
        Permission("cancel", "Cancel/Close Orders", writes=True),
        Permission("deposit", "Deposit Funds"),
        Permission("withdraw", "Withdraw Funds", writes=True, danger=True),
    ),
    ip=IpRules(supported=True, consequence="venue-kraken-no-ip"),
    actions=(VenueAction("delete", "Delete", revokes=True),),
    warnings=("venue-kraken-warn-nonce",),
    skip_reasons={Step.READ_ONLY: "venue-kraken-skip-ro"},
)

PATH = "/0/private/Balance"  # the cheapest private read; needs "Query Funds"
# Kraken's error strings → outcomes.
_ERRORS = {"EAPI:Invalid key": Outcome.BAD_KEY, "EAPI:Invalid signature": Outcome.BAD_SECRET,
           "EAPI:Invalid nonce": Outcome.CLOCK_SKEW, "EGeneral:Permission denied": Outcome.PERMISSION_DENIED,
           "EAPI:Rate limit exceeded": Outcome.RATE_LIMITED, "EGeneral:Temporary lockout": Outcome.RATE_LIMITED}


def signature(private_key: str, path: str, nonce: str, post_data: str) -> str:
    """API-Sign: base64 HMAC-SHA512 keyed with the decoded private key over path + SHA-256(nonce + data)."""
    digest = hashlib.sha256((nonce + post_data).encode()).digest()
    mac = hmac.new(base64.b64decode(private_key), path.encode() + digest, hashlib.sha512)
    return base64.b64encode(mac.digest()).decode()


class KrakenConnector(BaseConnector):
    venue = "kraken"

    async def verify(self, creds: Credentials) -> Verification:
        nonce = str(self.http.now_ms(self.venue))
        body = f"nonce={nonce}"
        response = await self.http.request(
            self.venue, "POST", f"{self.base(creds)}{PATH}", content=body,
            headers={"API-Key": creds["api_key"], "API-Sign": signature(creds["private_key"], PATH, nonce, body),
                     "Content-Type": "application/x-www-form-urlencoded"})
        errors = json_or_empty(response).get("error") or []
        if response.status_code == 200 and not errors:
            return Verification(Outcome.OK, "200")
        first = str(errors[0]) if isinstance(errors, list) and errors else str(response.status_code)
        return Verification(_ERRORS.get(first, Outcome.UNKNOWN), first[:64])


VENUE = Venue(
    PROFILE,
    urls={"mainnet": "https://api.kraken.com"},
    # The guide's example private key (its worked signature) and a key of the right shape.
    sample=lambda: ("HTV7b3ZmE2qUGE1k6Ysdp1bB8Fv7T9xUqP3mZK1dNfSgL2wHcJoA4Xe5", "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3"
                    "eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="),
    connector=lambda ctx: KrakenConnector(ctx.http, ctx.urls),
)
