"""OKX v5: HMAC key + secret + a passphrase the user chose; IP list of up to 20."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.venues.base import CredentialField, IpRules, Permission, Step, VenueAction, VenueProfile
from bot.venues.connector import (
    Check,
    Credentials,
    Inspection,
    IntrospectingConnector,
    Outcome,
    Verification,
    json_or_empty,
)
from bot.venues.formats import UUID, lower_strip
from bot.venues.module import Venue
from bot.venues.signing import okx_signature

PROFILE = VenueProfile(
    id="okx",
    title="OKX",
    # EEA and US accounts live on their own platforms (keys do not cross): separate environments.
    environments=("mainnet", "demo", "eea", "us"),
    steps_variants={"eea": "regional", "us": "regional"},
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
    actions=(VenueAction("edit", "Edit"), VenueAction("delete", "Delete", revokes=True)),
    warnings=("venue-okx-warn-passphrase",),
    skip_reasons={Step.READ_ONLY: "venue-okx-skip-ro"},
)

# OKX v5 error codes: 50100 "API frozen, please contact customer service", 50101 "APIKey does not match
# current environment" (a demo key on live or the reverse), 50102 timestamp expired, 50105 wrong
# passphrase, 50110 IP not in the key's whitelist, 50111 "Invalid OK-ACCESS-KEY", 50112 "Invalid
# OK-ACCESS-TIMESTAMP", 50113 "Invalid Sign", 50114 "Invalid authorization", 50119 "API key doesn't exist".
_ERRORS = {"50111": Outcome.BAD_KEY, "50113": Outcome.BAD_SECRET, "50110": Outcome.IP_NOT_ALLOWED,
           "50102": Outcome.CLOCK_SKEW, "50112": Outcome.CLOCK_SKEW, "50105": Outcome.BAD_SECRET,
           "50011": Outcome.RATE_LIMITED, "50119": Outcome.BAD_KEY, "50100": Outcome.FROZEN,
           "50101": Outcome.WRONG_ENVIRONMENT, "50114": Outcome.AUTH_FAILED}
_PERMS = {"read_only": "read", "trade": "trade", "withdraw": "withdraw"}


class OkxConnector(IntrospectingConnector):
    venue = "okx"

    async def _config(self, creds: Credentials) -> tuple[int, dict[str, object]]:
        path = "/api/v5/account/config"
        now = datetime.fromtimestamp(self.http.now_ms(self.venue) / 1000, UTC)
        timestamp = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
        headers = {"OK-ACCESS-KEY": creds["api_key"], "OK-ACCESS-TIMESTAMP": timestamp,
                   "OK-ACCESS-PASSPHRASE": creds["passphrase"],
                   "OK-ACCESS-SIGN": okx_signature(creds["secret"], timestamp=timestamp, method="GET",
                                                   request_path=path)}
        if creds.environment == "demo":
            headers["x-simulated-trading"] = "1"
        response = await self.http.request(self.venue, "GET", f"{self.base(creds)}{path}", headers=headers)
        return response.status_code, json_or_empty(response)

    async def check(self, creds: Credentials) -> Check:
        status, body = await self._config(creds)
        code = str(body.get("code", status))
        if code == "0":
            return Check(Verification(Outcome.OK, "0"), self._inspection(body))
        if status == 429:
            return Check(Verification(Outcome.RATE_LIMITED, code))
        return Check(Verification(_ERRORS.get(code, Outcome.UNKNOWN), code))

    @staticmethod
    def _inspection(body: dict[str, object]) -> Inspection | None:
        data = body.get("data")
        if not isinstance(data, list) or not data:
            return None
        config = data[0] if isinstance(data[0], dict) else {}
        perms = {_PERMS[p.strip()] for p in str(config.get("perm", "")).split(",") if p.strip() in _PERMS}
        ips = tuple(ip.strip() for ip in str(config.get("ip", "")).split(",") if ip.strip())
        return Inspection(permissions=frozenset(perms | {"read"}), ips=ips)


VENUE = Venue(
    PROFILE,
    # Demo trading shares the live host (a header selects it); EEA and US accounts have their own.
    urls={"mainnet": "https://www.okx.com", "demo": "https://www.okx.com", "eea": "https://eea.okx.com",
          "us": "https://us.okx.com"},
    sample=lambda: ("5f6c2a7e-1d3b-4c9a-8e7f-0a1b2c3d4e5f", "0A1B2C3D4E5F60718293A4B5C6D7E8F9", "My$ecretPass1"),
    connector=lambda ctx: OkxConnector(ctx.http, ctx.urls),
)
