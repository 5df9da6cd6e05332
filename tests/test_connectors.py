"""Each venue's connector against the mock venues through httpx's MockTransport: success, every
documented error, inspection and drift, retries, Retry-After and clock skew."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import httpx
import pytest

from bot.config import Settings
from bot.sandbox.venues import MockVenues, new_session
from bot.venues.catalog import VENUES
from bot.venues.connector import Credentials, Outcome
from bot.venues.connectors import Connectors
from bot.venues.http import VenueHttp, VenueUnreachable
from bot.venues.registry import default_registry
from bot.verification import compare
from domain.clock import FrozenClock
from domain.models import ExpiryKind, KeyRecord, KeyStatus
from tests.creds import credentials, roxom_pem
from tests.venue_mock import venue_settings

FIELDS = {p.id: [f.id for f in p.fields] for p in default_registry()}


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime.now(UTC))


@pytest.fixture
def mock(clock: FrozenClock) -> MockVenues:
    return MockVenues(clock=lambda: clock.now().timestamp())


@pytest.fixture
async def connectors(mock: MockVenues, clock: FrozenClock) -> AsyncIterator[Connectors]:
    settings = Settings(_env_file=None, **venue_settings("http://mock"))
    async with httpx.AsyncClient(transport=mock.transport()) as client:
        yield Connectors(VenueHttp(client, clock, backoff=0), settings)


def creds(venue: str, environment: str = "mainnet", *, host: str | None = None,
          ip_allowlist: tuple[str, ...] = (), egress_ip: str | None = None) -> Credentials:
    return Credentials(dict(zip(FIELDS[venue], credentials(venue), strict=True)), environment, host, ip_allowlist,
                       egress_ip)


def register(mock: MockVenues, venue: str, **kw: object) -> None:
    values = dict(zip(FIELDS[venue], credentials(venue), strict=True))
    public = next(f.id for f in default_registry()[venue].fields if f.public_id)
    mock.register(venue, values[public], fields=values, **kw)


# Every venue with a public API on a fixed host, from the catalog: a new venue is tested here at once.
_CHECKABLE = [v.id for v in VENUES if v.connector is not None and not v.profile.needs_host]


@pytest.mark.parametrize("venue", _CHECKABLE)
async def test_ok_and_unknown_key(connectors: Connectors, mock: MockVenues, venue: str) -> None:
    connector = connectors.get(venue)
    assert connector is not None
    # Binance answers an unknown key with −2015, which also means a refused IP or a missing permission.
    unknown = Outcome.KEY_IP_OR_PERMISSION if venue == "binance" else Outcome.BAD_KEY
    assert (await connector.verify(creds(venue))).outcome == unknown
    register(mock, venue)
    assert (await connector.verify(creds(venue))).outcome == Outcome.OK


async def test_b2trader_verify_on_the_brokers_host(connectors: Connectors, mock: MockVenues) -> None:
    register(mock, "b2trader")
    connector = connectors.get("b2trader")
    assert connector is not None
    assert (await connector.verify(creds("b2trader", host="exchange.mybroker.com"))).outcome == Outcome.OK
    wrong = Credentials({"public_key": credentials("b2trader")[0],
                         "private_key": "00000000-0000-4000-8000-000000000000"}, host="exchange.mybroker.com")
    # B2Trader does not document its error answers: the outcome says so instead of guessing "unknown key".
    assert (await connector.verify(wrong)).outcome == Outcome.UNDOCUMENTED


@pytest.mark.parametrize(("venue", "bad_field"), [("xt", "secret"), ("binance", "secret"), ("bybit", "secret"),
                                                  ("okx", "secret"), ("okx", "passphrase")])
async def test_wrong_secret_is_bad_secret(connectors: Connectors, mock: MockVenues, venue: str, bad_field: str) -> None:
    register(mock, venue)
    good = creds(venue)
    values = dict(good.values)
    values[bad_field] = "a" * len(values[bad_field]) if bad_field != "passphrase" else "Wrong!123"
    result = await connectors.get(venue).verify(Credentials(values))  # type: ignore[union-attr]
    assert result.outcome == Outcome.BAD_SECRET, result


async def test_roxom_wrong_private_key_and_expired(connectors: Connectors, mock: MockVenues) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    register(mock, "roxom")
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    roxom = connectors.get("roxom")
    assert roxom is not None
    wrong = Credentials({"key_id": credentials("roxom")[0], "private_key": other})
    assert (await roxom.verify(wrong)).outcome == Outcome.BAD_SECRET
    mock.keys[("roxom", credentials("roxom")[0])].behaviour = "expired"
    result = await roxom.verify(Credentials({"key_id": credentials("roxom")[0], "private_key": roxom_pem()}))
    assert result.outcome == Outcome.EXPIRED


@pytest.mark.parametrize(("venue", "behaviour", "outcome", "code"), [
    ("xt", "not_activated", Outcome.NOT_ACTIVATED, "AUTH_102"),
    ("xt", "ip_blocked", Outcome.IP_NOT_ALLOWED, "AUTH_104"),
    ("xt", "permission", Outcome.PERMISSION_DENIED, "AUTH_106"),
    ("xt", "rate_limited", Outcome.RATE_LIMITED, "429"),
    ("bybit", "ip_blocked", Outcome.IP_NOT_ALLOWED, "10010"),
    ("bybit", "permission", Outcome.PERMISSION_DENIED, "10005"),
    ("okx", "ip_blocked", Outcome.IP_NOT_ALLOWED, "50110"),
    # Bybit: a bare 403 is rate limiting or a blocked region, never the key's IP list.
    ("bybit", "region_blocked", Outcome.ACCESS_BLOCKED, "403"),
    ("bybit", "auth_failed", Outcome.AUTH_FAILED, "10007"),
    ("bybit", "banned", Outcome.FROZEN, "10008"),
    ("bybit", "ip_banned", Outcome.ACCESS_BLOCKED, "10009"),
    ("bybit", "ip_rate_limited", Outcome.RATE_LIMITED, "10018"),
    # OKX: 50100 is a frozen key (not "not activated"), 50101 a key of the other environment.
    ("okx", "frozen", Outcome.FROZEN, "50100"),
    ("okx", "wrong_environment", Outcome.WRONG_ENVIRONMENT, "50101"),
    ("okx", "bad_timestamp", Outcome.CLOCK_SKEW, "50112"),
    ("okx", "auth_failed", Outcome.AUTH_FAILED, "50114"),
    ("xrocket", "permission", Outcome.PERMISSION_DENIED, "USER_BLOCKED"),
])
async def test_documented_errors(connectors: Connectors, mock: MockVenues, venue: str, behaviour: str,
                                 outcome: Outcome, code: str) -> None:
    register(mock, venue, behaviour=behaviour)
    result = await connectors.get(venue).verify(creds(venue))  # type: ignore[union-attr]
    assert (result.outcome, result.code) == (outcome, code)


async def test_binance_2015_is_ip_when_the_list_leaves_the_bot_out(connectors: Connectors, mock: MockVenues) -> None:
    register(mock, "binance", behaviour="ip_blocked")
    binance = connectors.get("binance")
    assert binance is not None
    plain = await binance.verify(creds("binance"))
    assert (plain.outcome, plain.code) == (Outcome.KEY_IP_OR_PERMISSION, "-2015")
    listed = await binance.verify(creds("binance", ip_allowlist=("8.8.8.8",), egress_ip="203.0.113.10"))
    assert listed.outcome == Outcome.IP_NOT_ALLOWED


@pytest.mark.parametrize("venue", ["xt", "binance", "bybit", "okx"])
async def test_clock_skew_is_detected_and_corrected(connectors: Connectors, mock: MockVenues, clock: FrozenClock,
                                                    venue: str) -> None:
    register(mock, venue)
    real = clock.now()
    mock.clock = lambda: real.timestamp() + 120  # the venue's clock runs two minutes ahead
    connector = connectors.get(venue)
    assert connector is not None
    first = await connector.verify(creds(venue))
    assert first.outcome == Outcome.CLOCK_SKEW
    again = await connector.verify(creds(venue))  # the Date header taught the client the offset
    assert again.outcome == Outcome.OK


async def test_inspection_and_drift(connectors: Connectors, mock: MockVenues) -> None:
    profile = default_registry()["bybit"]
    register(mock, "bybit", read_only=False, ips=[], expires_at=1_900_000_000,
             permissions={"Spot": ["SpotTrade"], "Wallet": ["AccountTransfer", "Withdraw"]})
    inspection = await connectors.get("bybit").inspect(creds("bybit"))  # type: ignore[union-attr]
    assert inspection is not None
    assert inspection.permissions == {"read", "spot", "transfer", "withdraw"}
    assert inspection.ips == ()
    assert inspection.expires_at == 1_900_000_000
    record = KeyRecord(1, 1, "bybit", "mainnet", "k", ["read"], True, ["8.8.8.8"], ExpiryKind.NONE, None,
                       KeyStatus.ACTIVE, 0)
    kinds = [d.kind for d in compare(profile, record, inspection)]
    assert kinds == ["read-only-but-writes", "danger-enabled", "ips-open"]


async def test_binance_and_okx_inspection(connectors: Connectors, mock: MockVenues) -> None:
    register(mock, "binance", permissions={"enableSpotAndMarginTrading": True}, ips=["8.8.8.8"],
             expires_at=1_800_000_000)
    inspection = await connectors.get("binance").inspect(creds("binance"))  # type: ignore[union-attr]
    assert inspection is not None
    assert inspection.permissions == {"reading", "spot"}
    assert inspection.ip_restricted is True
    assert inspection.expires_at == 1_800_000_000
    register(mock, "okx", permissions={"trade": True}, ips=["1.1.1.1", "8.8.8.8"])
    okx = await connectors.get("okx").inspect(creds("okx"))  # type: ignore[union-attr]
    assert okx is not None
    assert okx.permissions == {"read", "trade"}
    assert okx.ips == ("1.1.1.1", "8.8.8.8")


async def test_b2trader_key_management(connectors: Connectors, mock: MockVenues) -> None:
    host = "exchange.mybroker.com"
    token = new_session(mock, host)
    manager = connectors.b2trader
    created = await manager.create_key(host, token, name="bot", is_info=True, is_trade=True, ips=["8.8.8.8"])
    assert created.private_key
    assert created.ips == ("8.8.8.8",)
    listed = await manager.list_keys(host, token)
    assert [k.public_key for k in listed] == [created.public_key]
    assert await manager.delete_key(host, token, created.public_key) is True
    assert await manager.delete_key(host, token, created.public_key) is False
    from bot.venues.b2trader import SessionRejected

    with pytest.raises(SessionRejected):
        await manager.list_keys(host, "not-a-session")


async def test_retries_and_unreachable(clock: FrozenClock) -> None:
    calls: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "0"})
        if len(calls) == 2:
            return httpx.Response(503)
        return httpx.Response(200, json={"ok": True})

    async with httpx.AsyncClient(transport=httpx.MockTransport(flaky)) as client:
        http = VenueHttp(client, clock, backoff=0)
        response = await http.request("x", "GET", "http://v/x")
        assert response.status_code == 200
        assert calls == ["GET", "GET", "GET"]
        calls.clear()
        calls.append("seed")  # next call starts at the 503 branch: a POST is not retried on 5xx
        with pytest.raises(VenueUnreachable):
            await http.request("x", "POST", "http://v/x")

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    async with httpx.AsyncClient(transport=httpx.MockTransport(down)) as client:
        with pytest.raises(VenueUnreachable) as info:
            await VenueHttp(client, clock, backoff=0).request("x", "GET", "http://v/x?signature=abc")
        assert "signature" not in str(info.value)


async def test_a_slow_venue_does_not_hold_up_another(clock: FrozenClock) -> None:
    import asyncio

    release = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "slow":
            await release.wait()
        return httpx.Response(200, json={})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        http = VenueHttp(client, clock)
        stuck = [asyncio.create_task(http.request("slow", "GET", "http://slow/x")) for _ in range(20)]
        await asyncio.sleep(0.05)
        fast = await asyncio.wait_for(http.request("fast", "GET", "http://fast/x"), 1)
        assert fast.status_code == 200
        assert not any(t.done() for t in stuck)
        release.set()
        assert all(r.status_code == 200 for r in await asyncio.gather(*stuck))


async def test_b2trader_list_falls_back_to_get(clock: FrozenClock) -> None:
    from bot.venues.b2trader import B2TraderManager

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(405)
        return httpx.Response(200, json=[{"publicKey": "P", "name": "n", "isInfo": True, "isTrade": False,
                                          "IpWhiteList": ["1.1.1.1"]}])

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        keys = await B2TraderManager(VenueHttp(client, clock), "http://{host}").list_keys("b.example", "t")
    assert [(k.public_key, k.ips) for k in keys] == [("P", ("1.1.1.1",))]


def test_the_stand_in_venues_check_signatures_with_their_own_code() -> None:
    """The mock venues verify signatures with code written from the docs, not with the client's."""
    import ast
    from pathlib import Path

    import bot.sandbox

    folder = Path(bot.sandbox.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.module != "bot.venues.signing", path.name


# A plausible mistake in each client signer: the stand-ins must refuse it.
Mutation = Callable[[Callable[..., str]], Callable[..., str]]
_WRONG_SIGNERS: dict[str, tuple[str, Mutation]] = {
    "xt": ("bot.venues.xt.xt_signature",
           lambda real: lambda secret, **kw: real(secret, **{**kw, "recvwindow": kw["recvwindow"] + 1})),
    "binance": ("bot.venues.binance.binance_signature",
                lambda real: lambda secret, query: real(secret, query.replace("recvWindow=5000&", ""))),
    "bybit": ("bot.venues.bybit.bybit_signature",
              lambda real: lambda secret, **kw: real(secret, **{**kw, "payload": "x"})),
    "okx": ("bot.venues.okx.okx_signature",
            lambda real: lambda secret, **kw: real(secret, **{**kw, "request_path": kw["request_path"][4:]})),
    "roxom": ("bot.venues.roxom.roxom_payload", lambda real: lambda method, path, body=None: real(method, path + "x")),
    "b2trader": ("bot.venues.b2trader.b2trader_signature",
                 lambda real: lambda key, payload: real(key, payload).lower()),
}


@pytest.mark.parametrize("venue", sorted(_WRONG_SIGNERS))
async def test_a_wrong_signature_scheme_is_refused(connectors: Connectors, mock: MockVenues, venue: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    target, mutate = _WRONG_SIGNERS[venue]
    module_name, name = target.rsplit(".", 1)
    module = importlib.import_module(module_name)
    monkeypatch.setattr(module, name, mutate(getattr(module, name)))
    if venue == "b2trader":
        values = creds("b2trader", host="exchange.mybroker.com")
        mock.register("b2trader", values["public_key"], fields={**values.values, "host": "exchange.mybroker.com"})
    elif venue == "roxom":
        register(mock, venue)
        values = Credentials({"key_id": credentials("roxom")[0], "private_key": roxom_pem()})
    else:
        register(mock, venue)
        values = creds(venue)
    connector = connectors.get(venue)
    assert connector is not None
    assert (await connector.verify(values)).outcome in (Outcome.BAD_SECRET, Outcome.BAD_KEY, Outcome.UNDOCUMENTED)


@pytest.mark.parametrize("venue", ["binance", "bybit", "okx"])
async def test_one_venue_call_per_check(connectors: Connectors, mock: MockVenues, venue: str) -> None:
    """The signed read that verifies the key also describes it: a check costs one request."""
    register(mock, venue)
    connector = connectors.get(venue)
    assert connector is not None
    before = len(mock.requests)
    answer = await connector.check(creds(venue))
    assert answer.verification.outcome == Outcome.OK
    assert answer.inspection is not None
    assert len(mock.requests) - before == 1


async def test_binance_transfers_between_accounts_are_not_safe(connectors: Connectors, mock: MockVenues) -> None:
    register(mock, "binance", permissions={"enableInternalTransfer": True, "enableVanillaOptions": True,
                                           "enablePortfolioMarginTrading": True, "enableFixApiTrade": True})
    inspection = await connectors.get("binance").inspect(creds("binance"))  # type: ignore[union-attr]
    assert inspection is not None
    assert {"sub_transfer", "options", "portfolio", "fix_api"} <= inspection.permissions
    profile = default_registry()["binance"]
    assert profile.dangerous(sorted(inspection.permissions)) == ["sub_transfer"]


async def test_regional_and_demo_sites_are_their_own_hosts(mock: MockVenues, clock: FrozenClock) -> None:
    """A key from a regional Bybit site is checked on that site's host, not on bybit.com."""
    base = venue_settings("http://mock")
    urls = {**base, "venue_urls": {**base["venue_urls"], "bybit:demo": "http://mock/bybit/demo",
                                   "bybit:nl": "http://mock/bybit/nl"}}
    settings = Settings(_env_file=None, **urls)
    register(mock, "bybit")
    async with httpx.AsyncClient(transport=mock.transport()) as client:
        bybit = Connectors(VenueHttp(client, clock, backoff=0), settings).get("bybit")
        assert bybit is not None
        for environment in ("nl", "demo"):
            assert (await bybit.verify(creds("bybit", environment))).outcome == Outcome.OK
    assert [path for venue, path, _ in mock.requests] == ["/nl/v5/user/query-api", "/demo/v5/user/query-api"]
    assert {"eea", "nl", "tr", "kz", "ge", "ae", "id", "demo"} <= set(default_registry()["bybit"].environments)
    assert {"eea", "us"} <= set(default_registry()["okx"].environments)


def _pem(kind: str) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    key = ed25519.Ed25519PrivateKey.generate() if kind == "ed25519" else \
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@pytest.mark.parametrize(("venue", "kind"), [("binance", "ed25519"), ("binance", "rsa"), ("bybit", "rsa")])
async def test_rsa_and_ed25519_keys_sign_with_the_pasted_pem(connectors: Connectors, mock: MockVenues,
                                                            venue: str, kind: str) -> None:
    """Binance: HMAC, RSA and Ed25519 keys; Bybit: HMAC and RSA. The stand-in checks the signature with
    the public half only."""
    profile = default_registry()[venue]
    pem = _pem(kind)
    secret_field = next(f for f in profile.fields if f.id == "secret")
    assert secret_field.accepts(secret_field.normalize(pem))
    api_key = credentials(venue)[0]
    mock.register(venue, api_key, fields={"api_key": api_key, "secret": secret_field.normalize(pem)})
    connector = connectors.get(venue)
    assert connector is not None
    good = Credentials({"api_key": api_key, "secret": secret_field.normalize(pem)})
    assert (await connector.verify(good)).outcome == Outcome.OK
    other = Credentials({"api_key": api_key, "secret": secret_field.normalize(_pem(kind))})
    assert (await connector.verify(other)).outcome == Outcome.BAD_SECRET


def test_bybit_takes_no_ed25519_key() -> None:
    field = next(f for f in default_registry()["bybit"].fields if f.id == "secret")
    assert not field.accepts(field.normalize(_pem("ed25519")))


async def test_a_tenth_venue_from_one_module(connectors: Connectors, mock: MockVenues, clock: FrozenClock) -> None:
    """Kraken was added as bot/venues/kraken.py, its stand-in and its two locale files: the registry, the
    settings, the connectors and the stand-in venue all found it."""
    from bot.venues.catalog import BY_ID

    assert "kraken" in [p.id for p in default_registry()]
    kraken = connectors.get("kraken")
    assert kraken is not None
    assert (await kraken.verify(creds("kraken"))).outcome == Outcome.BAD_KEY
    register(mock, "kraken")
    assert (await kraken.verify(creds("kraken"))).outcome == Outcome.OK
    clock.advance(seconds=1)  # Kraken's nonce must increase
    wrong = dict(creds("kraken").values)
    wrong["private_key"] = "A" * 86 + "=="
    assert (await kraken.verify(Credentials(wrong))).outcome == Outcome.BAD_SECRET
    mock.keys[("kraken", credentials("kraken")[0])].behaviour = "permission"
    clock.advance(seconds=1)
    result = await kraken.verify(creds("kraken"))
    assert (result.outcome, result.code) == (Outcome.PERMISSION_DENIED, "EGeneral:Permission denied")
    assert BY_ID["kraken"].urls["mainnet"] == "https://api.kraken.com"


def test_plug_in_stand_ins_do_not_import_the_clients_code() -> None:
    import ast
    from pathlib import Path

    import bot.sandbox.stand_ins

    for path in Path(bot.sandbox.stand_ins.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("bot.venues"), (path.name, node.module)
