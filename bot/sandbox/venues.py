"""A stand-in for the venues' APIs: checks signatures as the venues do and answers with their
documented bodies and error codes. Routes by the first path segment, so the bot's venue base URLs
point at it as http://host/<venue> (B2Trader: http://host/b2trader/<broker host>).

Used through `transport()` (httpx, in-process tests) or `app()` (aiohttp, sandbox and end-to-end
tests). In `accept_all` mode (the sandbox) any well-formed key is valid: a person trying the bot
offline has no real keys.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from aiohttp import web

from bot.sandbox import signatures

Answer = tuple[int, Any]


@dataclass
class MockKey:
    venue: str
    fields: dict[str, str] = field(repr=False)
    behaviour: str = "ok"  # ok, or one documented refusal: see each venue's errors below
    permissions: dict[str, Any] = field(default_factory=dict)  # in the venue's own terms
    ips: list[str] = field(default_factory=list)
    read_only: bool = False
    expires_at: int | None = None
    name: str = ""
    drifted: bool = False  # the sandbox was asked to make this key differ from its record
    last_nonce: int = 0  # venues whose nonce must increase (Kraken)


@dataclass
class MockVenues:
    accept_all: bool = False
    clock: Callable[[], float] = time.time
    keys: dict[tuple[str, str], MockKey] = field(default_factory=dict)  # (venue, public id) → key
    sessions: dict[str, str] = field(default_factory=dict)  # B2Trader session token → broker host
    b2trader_delete_status: int | None = None  # set: DELETE answers this status and deletes nothing
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # (venue, path, status): no secrets
    # Set: requests over HTTP wait for it (a slow venue, so a test can act while a bot waits on one).
    gate: asyncio.Event | None = None
    held: int = 0  # requests that have waited at the gate

    def register(self, venue: str, public_id: str, **kwargs: Any) -> MockKey:
        key = MockKey(venue, **kwargs)
        self.keys[(venue, public_id)] = key
        return key

    def known(self, venue: str, public_id: str) -> MockKey | None:
        """The key a plug-in stand-in was asked about (trusted on first use in the sandbox)."""
        return self._key(venue, public_id, {})

    def _key(self, venue: str, public_id: str, fields: dict[str, str]) -> MockKey | None:
        found = self.keys.get((venue, public_id))
        if found is None and self.accept_all and public_id:
            found = self.register(venue, public_id, fields=fields)  # trust on first use
        return found

    # --- dispatch ----------------------------------------------------------------------------------

    def handle(self, method: str, url: str, headers: dict[str, str], body: bytes) -> Answer:
        parts = urlsplit(url)
        segments = parts.path.lstrip("/").split("/", 1)
        venue, rest = segments[0], "/" + (segments[1] if len(segments) > 1 else "")
        headers = {k.lower(): v for k, v in headers.items()}
        handler = getattr(self, f"_{venue}", None)
        if handler is not None:
            status, payload = handler(method.upper(), rest, parts.query, headers, body)
        else:
            plugin = _stand_in(venue)
            if plugin is None:
                return 404, {"error": "no such venue"}
            status, payload = plugin(self, method.upper(), rest, parts.query, headers, body)
        self.requests.append((venue, rest.split("?")[0], status))
        return status, payload

    def transport(self) -> httpx.MockTransport:
        def respond(request: httpx.Request) -> httpx.Response:
            status, payload = self.handle(request.method, str(request.url), dict(request.headers), request.content)
            return httpx.Response(status, json=payload, headers={"Date": _http_date(self.clock())})
        return httpx.MockTransport(respond)

    def app(self) -> web.Application:
        async def respond(request: web.Request) -> web.Response:
            if self.gate is not None:
                self.held += 1
                await self.gate.wait()
            status, payload = self.handle(request.method, str(request.rel_url), dict(request.headers),
                                          await request.read())
            return web.json_response(payload, status=status, headers={"Date": _http_date(self.clock())})
        async def drift(request: web.Request) -> web.Response:
            asked = await request.json()
            done = self.drift(str(asked.get("venue", "")), str(asked.get("key", "")))
            return web.json_response({"ok": done}, status=200 if done else 404)

        async def mirror(request: web.Request) -> web.Response:
            asked = await request.json()
            self.mirror(str(asked["venue"]), str(asked["key"]), permissions=list(asked["permissions"]),
                        ips=list(asked["ips"]), read_only=asked.get("read_only"), name=str(asked["name"]))
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post("/_sandbox/drift", drift)  # the sandbox page's "make this key differ"
        app.router.add_post("/_sandbox/mirror", mirror)  # a sandbox worker in another process saved a key
        app.router.add_route("*", "/{tail:.*}", respond)
        return app

    # --- the sandbox: stand-ins that agree with what the user recorded ---------------------------

    def mirror(self, venue: str, public_id: str, *, permissions: list[str], ips: list[str], read_only: bool | None,
               name: str) -> None:
        """Make the stand-in's key what the user recorded (in the venue's own terms), so an offline demo
        shows no drift. A key someone asked to drift (`drift`) keeps its difference."""
        key = self.keys.get((venue, public_id))
        if key is not None and key.drifted:
            return
        if key is None:
            key = self.register(venue, public_id, fields={})
        key.name, key.ips, key.read_only = name, list(ips), bool(read_only)
        key.permissions = _venue_permissions(venue, set(permissions))

    def drift(self, venue: str, public_id: str) -> bool:
        """Asked for by the sandbox page: the key on the venue now also withdraws, from any IP."""
        key = self.keys.get((venue, public_id))
        if key is None:
            return False
        key.drifted, key.ips, key.read_only = True, [], False
        key.permissions = {**key.permissions, **_venue_permissions(venue, {"withdraw"})}
        return True

    def _behaviour(self, key: MockKey, errors: dict[str, Answer]) -> Answer | None:
        return errors.get(key.behaviour)

    # --- venues ------------------------------------------------------------------------------------

    def _xrocket(self, method: str, path: str, query: str, h: dict[str, str], body: bytes) -> Answer:
        token = h.get("authorization", "").removeprefix("Bearer ")
        key = self._key("xrocket", token, {"token": token})
        if key is None:
            return 401, {"type": "about:blank", "title": "Unauthorized", "status": 401, "kind": "UNAUTHORIZED"}
        if key.behaviour == "permission":
            return 403, {"title": "Forbidden", "status": 403, "kind": "USER_BLOCKED"}
        return 200, {"balances": [{"asset": "TONCOIN", "balance": "1.5", "available": "1.5", "holds": "0"}]}

    def _xrocket_pay(self, method: str, path: str, query: str, h: dict[str, str], body: bytes) -> Answer:
        token = h.get("rocket-pay-key", "")
        if self._key("xrocket_pay", token, {"token": token}) is None:
            return 401, {"success": False, "message": "Unauthorized"}
        return 200, {"success": True, "data": {"name": "My app", "feePercents": 1.5}}

    def _xt(self, method: str, path: str, query: str, h: dict[str, str], body: bytes) -> Answer:
        appkey = h.get("validate-appkey", "")
        key = self._key("xt", appkey, {})
        if key is None:
            return 401, {"rc": 1, "mc": "AUTH_101", "ma": [], "result": None}
        ts, window = int(h.get("validate-timestamp", "0")), int(h.get("validate-recvwindow", "5000"))
        if "secret" in key.fields and not signatures.xt(key.fields["secret"], method, path, query, h, body):
            return 401, {"rc": 1, "mc": "AUTH_103"}
        if abs(self.clock() * 1000 - ts) > window:
            return 401, {"rc": 1, "mc": "AUTH_105"}
        error = self._behaviour(key, {"not_activated": (401, {"rc": 1, "mc": "AUTH_102"}),
                                      "ip_blocked": (401, {"rc": 1, "mc": "AUTH_104"}),
                                      "permission": (401, {"rc": 1, "mc": "AUTH_106"}),
                                      "rate_limited": (429, {"rc": 1, "mc": "GATEWAY_TOO_MANY"})})
        return error or (200, {"rc": 0, "mc": "SUCCESS", "ma": [], "result": {"totalUsdtAmount": "0", "assets": []}})

    def _roxom(self, method: str, path: str, query: str, h: dict[str, str], body: bytes) -> Answer:
        key = self._key("roxom", h.get("x-api-key", ""), {})
        if key is None:
            return 401, {"error": True, "message": "Invalid API key"}
        if "private_key" in key.fields and not signatures.roxom(key.fields["private_key"], method, path, query, h,
                                                                 body):
            return 401, {"error": True, "message": "Invalid signature"}
        if key.behaviour == "expired":
            return 401, {"error": True, "message": "API key has expired"}
        return 200, {"data": {"balances": [{"asset": "BTC", "available": "0.1"}]}, "error": False}

    def _b2trader(self, method: str, path: str, query: str, h: dict[str, str], body: bytes) -> Answer:
        host, _, rest = path.lstrip("/").partition("/")
        rest = "/" + rest
        if rest.startswith("/frontoffice/api/key"):
            return self._b2trader_manage(method, host, rest, h, body)
        key = self._key("b2trader", h.get("key", ""), {})
        if key is None:
            return 401, {"message": "Unauthorized"}
        if "private_key" in key.fields and not signatures.b2trader(key.fields["private_key"], query, h, body):
            return 401, {"message": "Invalid signature"}
        return 200, [{"currency": "USDT", "balance": 10.0}]

    def _b2trader_manage(self, method: str, host: str, path: str, h: dict[str, str], body: bytes) -> Answer:
        token = h.get("authorization", "").removeprefix("Bearer ")
        if self.sessions.get(token) != host:
            return 401, {"message": "Unauthorized"}
        mine = [(pk, k) for (venue, pk), k in self.keys.items() if venue == "b2trader" and k.fields.get("host") == host]
        if path == "/frontoffice/api/key" and method in ("GET", "POST") and not body:
            return 200, [{"publicKey": pk, "name": k.name, "isInfo": bool(k.permissions.get("info", True)),
                          "isTrade": bool(k.permissions.get("trade")), "ipWhiteList": k.ips} for pk, k in mine]
        if path == "/frontoffice/api/key" and method == "POST":
            request = json.loads(body)
            if len(mine) >= 3:
                return 400, {"message": "Maximum number of API keys reached"}
            public, private = str(uuid.uuid4()), str(uuid.uuid4())
            self.register("b2trader", public, fields={"private_key": private, "host": host}, name=request["name"],
                          permissions={"trade": request.get("isTrade", False), "info": request.get("isInfo", True)},
                          ips=request.get("IpWhiteList", []))
            return 200, {"publicKey": public, "privateKey": private, "name": request["name"],
                         "isInfo": request.get("isInfo", True),
                         "isTrade": request.get("isTrade", False), "ipWhiteList": request.get("IpWhiteList", [])}
        if path.startswith("/frontoffice/api/key/") and method == "DELETE":
            if self.b2trader_delete_status is not None:  # a broker whose delete path differs
                return self.b2trader_delete_status, {"message": "Not found"}
            public = path.rsplit("/", 1)[-1]
            if self.keys.pop(("b2trader", public), None) is None:
                return 404, {"message": "Not found"}
            return 200, {}
        return 405, {"message": "Method not allowed"}

    def _binance(self, method: str, path: str, query: str, h: dict[str, str], body: bytes) -> Answer:
        api_key = h.get("x-mbx-apikey", "")
        key = self._key("binance", api_key, {})
        if key is None:
            return 401, {"code": -2015, "msg": "Invalid API-key, IP, or permissions for action."}
        params = dict(parse_qsl(query))
        if "secret" in key.fields and not signatures.binance(key.fields["secret"], query, body):
            return 400, {"code": -1022, "msg": "Signature for this request is not valid."}
        if abs(self.clock() * 1000 - int(params.get("timestamp", 0))) > int(params.get("recvWindow", 5000)):
            return 400, {"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow."}
        if key.behaviour in ("ip_blocked", "permission"):
            return 401, {"code": -2015, "msg": "Invalid API-key, IP, or permissions for action."}
        if path.startswith("/api/v3/account"):
            return 200, {"canTrade": True, "balances": []}
        flags = {"enableReading": True, "enableSpotAndMarginTrading": False, "enableMargin": False,
                 "enableFutures": False, "permitsUniversalTransfer": False, "enableWithdrawals": False,
                 "enableInternalTransfer": False, "enableVanillaOptions": False,
                 "enablePortfolioMarginTrading": False}
        flags.update(key.permissions)
        return 200, {"ipRestrict": bool(key.ips), "createTime": 1700000000000, **flags,
                     **({"tradingAuthorityExpirationTime": key.expires_at * 1000} if key.expires_at else {})}

    def _bybit(self, method: str, path: str, query: str, h: dict[str, str], body: bytes) -> Answer:
        api_key = h.get("x-bapi-api-key", "")
        key = self._key("bybit", api_key, {})
        if key is None:
            return 401, {"retCode": 10003, "retMsg": "API key is invalid.", "result": {}}
        ts, window = int(h.get("x-bapi-timestamp", "0")), int(h.get("x-bapi-recv-window", "5000"))
        if "secret" in key.fields and not signatures.bybit(key.fields["secret"], query, h, body):
            return 401, {"retCode": 10004, "retMsg": "error sign!", "result": {}}
        if abs(self.clock() * 1000 - ts) > window:
            return 200, {"retCode": 10002, "retMsg": "invalid request, please check your server timestamp"}
        error = self._behaviour(key, {
            "ip_blocked": (401, {"retCode": 10010, "retMsg": "Unmatched IP, please check your API key's bound IP "
                                                                "addresses."}),
            "permission": (403, {"retCode": 10005, "retMsg": "Permission denied, please check your API key "
                                                                "permissions."}),
            "region_blocked": (403, "403 Forbidden"),  # the CDN's page, not a JSON body
            "auth_failed": (401, {"retCode": 10007, "retMsg": "User authentication failed."}),
            "banned": (403, {"retCode": 10008, "retMsg": "Common banned, please check your account mode"}),
            "ip_banned": (403, {"retCode": 10009, "retMsg": "IP has been banned."}),
            "ip_rate_limited": (403, {"retCode": 10018, "retMsg": "Exceeded the IP Rate Limit."})})
        if error:
            return error
        expired = datetime.fromtimestamp(key.expires_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if key.expires_at else ""
        return 200, {"retCode": 0, "retMsg": "", "result": {
            "id": "1", "note": key.name, "apiKey": api_key, "readOnly": int(key.read_only), "secret": "",
            "permissions": {"ContractTrade": [], "Spot": [], "Wallet": [], "Options": [], "Derivatives": [],
                            "Exchange": [], **key.permissions},
            "ips": key.ips or ["*"], "type": 1, "deadlineDay": 90, "expiredAt": expired}}

    def _okx(self, method: str, path: str, query: str, h: dict[str, str], body: bytes) -> Answer:
        api_key = h.get("ok-access-key", "")
        key = self._key("okx", api_key, {})
        if key is None:
            return 401, {"code": "50111", "msg": "Invalid OK-ACCESS-KEY", "data": []}
        ts = h.get("ok-access-timestamp", "")
        if "secret" in key.fields:
            if not signatures.okx(key.fields["secret"], method, path, query, h, body):
                return 401, {"code": "50113", "msg": "Invalid Sign", "data": []}
            if key.fields.get("passphrase") != h.get("ok-access-passphrase"):
                return 401, {"code": "50105", "msg": "Invalid OK-ACCESS-PASSPHRASE", "data": []}
        try:
            sent = datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
        except ValueError:
            sent = 0.0
        if abs(self.clock() - sent) > 30:
            return 401, {"code": "50102", "msg": "Timestamp request expired", "data": []}
        error = self._behaviour(key, {
            "ip_blocked": (401, {"code": "50110", "msg": "Your IP is not included in your API key's IP whitelist.",
                                 "data": []}),
            "frozen": (401, {"code": "50100", "msg": "API frozen, please contact customer service", "data": []}),
            "wrong_environment": (401, {"code": "50101", "msg": "APIKey does not match current environment",
                                        "data": []}),
            "bad_timestamp": (401, {"code": "50112", "msg": "Invalid OK-ACCESS-TIMESTAMP", "data": []}),
            "auth_failed": (401, {"code": "50114", "msg": "Invalid authorization", "data": []})})
        if error:
            return error
        perms = ",".join(p for p, on in {"read_only": True, **key.permissions}.items() if on)
        return 200, {"code": "0", "msg": "", "data": [{"uid": "1", "label": key.name, "perm": perms,
                                                        "ip": ",".join(key.ips), "acctLv": "2"}]}


def _venue_permissions(venue: str, ours: set[str]) -> dict[str, Any]:
    """Our permission ids in each venue's own introspection terms (what its endpoint would answer)."""
    if venue == "binance":
        flags = {"spot": "enableSpotAndMarginTrading", "margin": "enableMargin", "futures": "enableFutures",
                 "options": "enableVanillaOptions", "portfolio": "enablePortfolioMarginTrading",
                 "fix_api": "enableFixApiTrade", "sub_transfer": "enableInternalTransfer",
                 "transfer": "permitsUniversalTransfer", "withdraw": "enableWithdrawals"}
        return {flag: perm in ours for perm, flag in flags.items()}
    if venue == "bybit":
        groups: dict[str, list[str]] = {}
        scopes = {"contract": ("ContractTrade", "Order"), "spot": ("Spot", "SpotTrade"),
                  "options": ("Options", "OptionsTrade"), "exchange": ("Exchange", "ExchangeHistory"),
                  "transfer": ("Wallet", "AccountTransfer"), "withdraw": ("Wallet", "Withdraw")}
        for perm, (group, scope) in scopes.items():
            if perm in ours:
                groups.setdefault(group, []).append(scope)
        return groups
    if venue == "okx":
        return {"trade": "trade" in ours, "withdraw": "withdraw" in ours}
    return {}


def _stand_in(venue: str) -> Callable[..., Answer] | None:
    """A plug-in stand-in module for a venue added after the built-in ones, if there is one."""
    import importlib

    if not venue.isidentifier():
        return None
    try:
        module = importlib.import_module(f"bot.sandbox.stand_ins.{venue}")
    except ModuleNotFoundError:
        return None
    answer: Callable[..., Answer] = module.answer
    return answer


def _http_date(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def new_session(mock: MockVenues, host: str) -> str:
    token = secrets.token_urlsafe(24)
    mock.sessions[token] = host
    return token


def venue_urls(base: str) -> dict[str, Any]:
    """Settings fields that send every venue call to `base`/<venue>, for every venue in the catalog."""
    from bot.venues.catalog import VENUES

    base = base.rstrip("/")
    return {
        "venue_urls": {f"{v.id}:{env}": f"{base}/{v.id}" for v in VENUES for env in v.urls},
        "b2trader_url_template": f"{base}/b2trader/{{host}}",
        # The stand-in broker runs on this machine.
        "b2trader_allow_private_hosts": "true",
    }
