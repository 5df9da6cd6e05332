"""What a venue connector does: verify a key with one cheap read-only call, and inspect what the
venue says the key may do. Outcomes are the few a user understands; the venue's own code is kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from bot.venues.http import VenueHttp


class Outcome(StrEnum):
    OK = "ok"
    BAD_KEY = "bad_key"
    BAD_SECRET = "bad_secret"  # noqa: S105 - an outcome name: wrong secret, signature or passphrase
    IP_NOT_ALLOWED = "ip_not_allowed"  # the key exists and the signature is fine, but not from this address
    EXPIRED = "expired"
    NOT_ACTIVATED = "not_activated"
    PERMISSION_DENIED = "permission_denied"
    CLOCK_SKEW = "clock_skew"
    RATE_LIMITED = "rate_limited"
    # The venue refused the bot's address itself: too many requests from it, or a region it serves not
    # (Bybit's plain HTTP 403, 10009 "IP has been banned").
    ACCESS_BLOCKED = "access_blocked"
    FROZEN = "frozen"  # OKX 50100 "API frozen, please contact customer service"; Bybit 10008 "Common banned"
    WRONG_ENVIRONMENT = "wrong_environment"  # OKX 50101 "APIKey does not match current environment"
    AUTH_FAILED = "auth_failed"  # Bybit 10007 "User authentication failed", OKX 50114 "Invalid authorization"
    # Binance −2015 "Invalid API-key, IP, or permissions for action": three causes, one code.
    KEY_IP_OR_PERMISSION = "key_ip_or_permission"
    UNDOCUMENTED = "undocumented"  # B2Trader: error answers are not documented
    UNREACHABLE = "unreachable"
    NO_API = "no_api"  # the venue has no public API to check against
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Verification:
    outcome: Outcome
    code: str = ""  # the venue's own code or HTTP status; never a message that could echo a secret


@dataclass(frozen=True, slots=True)
class Inspection:
    """What the venue reports about the key; None where it does not tell."""

    permissions: frozenset[str]  # our permission ids
    read_only: bool | None = None
    ips: tuple[str, ...] | None = None  # () = any IP
    ip_restricted: bool | None = None  # when the venue tells only whether there is a list
    expires_at: int | None = None


@dataclass(frozen=True, slots=True)
class Credentials:
    """Plaintext credentials, in memory for one call. Never printed."""

    values: dict[str, str] = field(repr=False)
    environment: str = "mainnet"
    host: str | None = None
    ip_allowlist: tuple[str, ...] = ()
    egress_ip: str | None = None

    def __getitem__(self, field_id: str) -> str:
        return self.values[field_id]


@dataclass(frozen=True, slots=True)
class Check:
    """One call to the venue: whether the key works, and what the venue says about it (when it says)."""

    verification: Verification
    inspection: Inspection | None = None


class Connector(Protocol):
    async def check(self, creds: Credentials) -> Check: ...

    async def verify(self, creds: Credentials) -> Verification: ...

    async def inspect(self, creds: Credentials) -> Inspection | None: ...


class BaseConnector:
    """Shared plumbing: the HTTP client and the base URL of each environment."""

    venue = ""

    def __init__(self, http: VenueHttp, urls: Mapping[str, str]) -> None:
        self.http = http
        self.urls = urls

    def base(self, creds: Credentials) -> str:
        return self.urls[f"{self.venue}:{creds.environment}"].rstrip("/")

    async def check(self, creds: Credentials) -> Check:
        """Venues with no introspection endpoint: the verification call is the whole check."""
        return Check(await self.verify(creds))

    async def verify(self, creds: Credentials) -> Verification:
        raise NotImplementedError

    async def inspect(self, creds: Credentials) -> Inspection | None:
        return None


class IntrospectingConnector(BaseConnector):
    """Venues whose cheapest signed read also describes the key: one call answers both questions, so a
    check costs the venue's rate limit once."""

    async def check(self, creds: Credentials) -> Check:
        raise NotImplementedError

    async def verify(self, creds: Credentials) -> Verification:
        return (await self.check(creds)).verification

    async def inspect(self, creds: Credentials) -> Inspection | None:
        return (await self.check(creds)).inspection


def json_or_empty(response: object) -> dict[str, object]:
    try:
        data = response.json()  # type: ignore[attr-defined]
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
