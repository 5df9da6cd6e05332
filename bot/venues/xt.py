"""XT.com: query-only by default; scopes must be granted; optional IP whitelist; up to 10 keys."""

from __future__ import annotations

import re

from bot.venues.base import CredentialField, IpRules, Permission, Step, VenueAction, VenueProfile
from bot.venues.connector import BaseConnector, Credentials, Outcome, Verification, json_or_empty
from bot.venues.formats import UUID, lower_strip
from bot.venues.module import Venue
from bot.venues.signing import xt_signature

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
    # "a single IP address or IP segment… separate … with commas"; no published maximum. IPv6 and CIDR are
    # not stated: entries are accepted leniently, and the texts say only what XT says.
    ip=IpRules(supported=True, cidr=True, consequence="venue-xt-no-ip", rules_text="venue-xt-ip-rules"),
    actions=(VenueAction("modify", "Modify"), VenueAction("delete", "Delete", revokes=True)),
    max_keys=10,
    warnings=("venue-xt-warn-apply", "venue-xt-warn-once"),
    skip_reasons={Step.READ_ONLY: "venue-xt-skip-ro"},
)

RECV_WINDOW = 5000
_ERRORS = {"AUTH_101": Outcome.BAD_KEY, "AUTH_102": Outcome.NOT_ACTIVATED, "AUTH_103": Outcome.BAD_SECRET,
           "AUTH_104": Outcome.IP_NOT_ALLOWED, "AUTH_105": Outcome.CLOCK_SKEW, "AUTH_106": Outcome.PERMISSION_DENIED}


class XtConnector(BaseConnector):
    venue = "xt"

    def headers(self, creds: Credentials, method: str, path: str) -> dict[str, str]:
        timestamp = self.http.now_ms(self.venue)
        signature = xt_signature(creds["secret"], appkey=creds["access_key"], timestamp=timestamp,
                                 recvwindow=RECV_WINDOW, method=method, path=path)
        return {"validate-appkey": creds["access_key"], "validate-timestamp": str(timestamp),
                "validate-recvwindow": str(RECV_WINDOW), "validate-algorithms": "HmacSHA256",
                "validate-signature": signature}

    async def verify(self, creds: Credentials) -> Verification:
        path = "/v4/balances"
        response = await self.http.request(self.venue, "GET", f"{self.base(creds)}{path}",
                                           headers=self.headers(creds, "GET", path))
        if response.status_code == 429:
            return Verification(Outcome.RATE_LIMITED, "429")
        body = json_or_empty(response)
        if body.get("rc") == 0:
            return Verification(Outcome.OK, "SUCCESS")
        code = str(body.get("mc") or response.status_code)
        return Verification(_ERRORS.get(code, Outcome.UNKNOWN), code)


VENUE = Venue(
    PROFILE,
    urls={"mainnet": "https://sapi.xt.com"},
    # The docs' demo credentials (their published signature example).
    sample=lambda: ("3976eb88-76d0-4f6e-a6b2-a57980770085", "bc6630d0231fda5cd98794f52c4998659beda290"),
    connector=lambda ctx: XtConnector(ctx.http, ctx.urls),
)
