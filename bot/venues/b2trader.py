"""B2Trader: B2Broker's white-label exchange; the user names their broker's host. Max 3 keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote

from bot.venues.base import CredentialField, IpRules, Permission, Step, VenueAction, VenueProfile
from bot.venues.connector import BaseConnector, Credentials, Outcome, Verification
from bot.venues.formats import UUID, lower_strip
from bot.venues.http import VenueHttp
from bot.venues.module import Venue
from bot.venues.signing import b2trader_signature

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
    # Keys are deleted through the management API (DELETE /frontoffice/api/key/{publicKey}).
    actions=(VenueAction("delete", "delete", revokes=True),),
    max_keys=3,
    broker_managed=True,
    warnings=("venue-b2trader-warn-host",),
    skip_reasons={Step.READ_ONLY: "venue-b2trader-skip-ro"},
)


class B2TraderConnector(BaseConnector):
    """Legacy trading API on the broker's host, signed with the key pair (Key / Sign headers)."""

    venue = "b2trader"

    def __init__(self, http: VenueHttp, urls: Mapping[str, str], url_template: str) -> None:
        super().__init__(http, urls)
        self.url_template = url_template

    def base(self, creds: Credentials) -> str:
        if not creds.host:
            raise ValueError("a B2Trader key needs its broker's host")
        return self.url_template.format(host=creds.host).rstrip("/")

    async def verify(self, creds: Credentials) -> Verification:
        now = datetime.fromtimestamp(self.http.now_ms(self.venue) / 1000, UTC)
        query = f"?ts={now.strftime('%Y-%m-%dT%H:%M:%S')}&nonce={int(now.timestamp() * 1000)}"
        response = await self.http.request(
            self.venue, "GET", f"{self.base(creds)}/frontoffice/api/balances{query}",
            headers={"Key": creds["public_key"], "Sign": b2trader_signature(creds["private_key"], query)})
        # "Error bodies for bad keys are not documented" (docs/venues.md): a refusal is reported as such,
        # without guessing which credential it was about.
        outcome = {200: Outcome.OK, 429: Outcome.RATE_LIMITED}.get(
            response.status_code, Outcome.UNDOCUMENTED if 400 <= response.status_code < 500 else Outcome.UNKNOWN)
        return Verification(outcome, str(response.status_code))


class SessionRejected(Exception):
    """The user's session token was refused by the broker."""


class BrokerRefused(Exception):
    """The broker answered a key-management call with an error. Its bodies are not documented, so
    only the HTTP status is kept (400 on create is most often its limit of 3 keys)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass(frozen=True, slots=True)
class VenueKey:
    public_key: str
    name: str
    is_info: bool
    is_trade: bool
    ips: tuple[str, ...]
    private_key: str | None = field(default=None, repr=False)  # only in the answer to a create


class B2TraderManager:
    """Key management with the user's session bearer token (not the API key)."""

    def __init__(self, http: VenueHttp, url_template: str) -> None:
        self.http = http
        self.url_template = url_template

    def _url(self, host: str, path: str) -> str:
        return self.url_template.format(host=host).rstrip("/") + path

    async def _call(self, method: str, host: str, path: str, token: str, body: object = None) -> object:
        response = await self.http.request(
            "b2trader", method, self._url(host, path), headers={"Authorization": f"Bearer {token}"},
            json_body=body, idempotent=method in ("GET", "DELETE"))
        status = response.status_code
        if status in (401, 403):
            raise SessionRejected(str(status))
        if status in (404, 405):
            raise LookupError(str(status))
        if status >= 400 or status < 200:
            raise BrokerRefused(status)
        try:
            return response.json() if response.content else None
        except ValueError:
            raise BrokerRefused(status) from None

    @staticmethod
    def _key(raw: dict[str, object]) -> VenueKey:
        # Request and response disagree on casing: IpWhiteList vs ipWhiteList.
        ips = raw.get("ipWhiteList", raw.get("IpWhiteList")) or []
        return VenueKey(
            public_key=str(raw.get("publicKey", raw.get("PublicKey", ""))), name=str(raw.get("name", "")),
            is_info=bool(raw.get("isInfo", True)), is_trade=bool(raw.get("isTrade", False)),
            ips=tuple(str(ip) for ip in ips) if isinstance(ips, list) else (),
            private_key=str(raw["privateKey"]) if raw.get("privateKey") else None)

    async def list_keys(self, host: str, token: str) -> list[VenueKey]:
        """Documented as POST with no body; some front-ends use GET."""
        try:
            data = await self._call("POST", host, "/frontoffice/api/key", token)
        except LookupError:
            data = await self._call("GET", host, "/frontoffice/api/key", token)
        items = data if isinstance(data, list) else (data or {}).get("data", []) if isinstance(data, dict) else []
        return [self._key(item) for item in items if isinstance(item, dict)]

    async def create_key(self, host: str, token: str, *, name: str, is_info: bool, is_trade: bool,
                         ips: list[str]) -> VenueKey:
        if not (is_info or is_trade):
            raise ValueError("a key needs at least one permission")
        data = await self._call("POST", host, "/frontoffice/api/key", token,
                                {"name": name, "isInfo": is_info, "isTrade": is_trade, "IpWhiteList": ips})
        if not isinstance(data, dict) or not data.get("privateKey"):
            raise ValueError("the broker did not return a key pair")
        return self._key(data)

    async def delete_key(self, host: str, token: str, public_key: str) -> bool:
        """True when deleted, False when the broker's own list confirms it no longer has the key. A
        404/405 alone proves nothing (a wrong path answers the same): BrokerRefused then."""
        try:
            await self._call("DELETE", host, f"/frontoffice/api/key/{quote(public_key, safe='')}", token)
        except LookupError as exc:
            remaining = {k.public_key.lower() for k in await self.list_keys(host, token)}
            if public_key.lower() in remaining:
                raise BrokerRefused(int(str(exc))) from None
            return False
        return True


VENUE = Venue(
    PROFILE,
    urls={},  # each broker's own host, from B2TRADER_URL_TEMPLATE
    # The docs' demo private key (its published signature example) and a public key of the same shape.
    sample=lambda: ("0b0e3b8e-6f1a-4a8f-9a3c-2c7d1e5f4a6b", "8596a4a9-b3a5-3d4c-9399-a2958de404ba"),
    connector=lambda ctx: B2TraderConnector(ctx.user_hosts, ctx.urls, ctx.b2trader_url_template),
)
