"""Bybit v5: read-only or read-write keys; keys with no IP bound expire after 90 days."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime

from bot.venues.base import CredentialField, IpRules, Permission, VenueAction, VenueProfile
from bot.venues.connector import (
    Check,
    Credentials,
    Inspection,
    IntrospectingConnector,
    Outcome,
    Verification,
    json_or_empty,
)
from bot.venues.formats import PEM_PRIVATE_KEY, hmac_or_private_key, normalize_secret
from bot.venues.module import Venue
from bot.venues.signing import bybit_signature

PROFILE = VenueProfile(
    id="bybit",
    title="Bybit",
    # Demo trading and the regional sites are separate environments: "API key is invalid. Check whether
    # the key and domain are matched" (10003); regional hosts per docs/venues.md (Facts checked).
    environments=("mainnet", "testnet", "demo", "eea", "nl", "tr", "kz", "ge", "ae", "id"),
    steps_variants={region: "regional" for region in ("eea", "nl", "tr", "kz", "ge", "ae", "id")},
    fields=(
        CredentialField("api_key", re.compile(r"[A-Za-z0-9]{10,64}"), public_id=True),
        # HMAC secrets, or the private key PEM of an RSA key the user generated (Bybit: HMAC and RSA).
        CredentialField("secret", re.compile(r"[A-Za-z0-9]{20,128}|" + PEM_PRIVATE_KEY.pattern, re.DOTALL), pem=True,
                        check=hmac_or_private_key(ed25519_allowed=False), normalize=normalize_secret),
    ),
    permissions=(
        Permission("read", "Read", default=True, required=True),
        Permission("contract", "Contract - Orders & Positions", writes=True),
        Permission("spot", "Spot - Trade", writes=True),
        Permission("options", "USDC Contracts - Trade", writes=True),
        Permission("exchange", "Exchange - Convert", writes=True),
        Permission("transfer", "Assets - Transfer", writes=True, danger=True),
        Permission("withdraw", "Assets - Withdrawal", writes=True, danger=True),
    ),
    read_only_switch=True,
    actions=(VenueAction("edit", "Edit"), VenueAction("delete", "Delete", revokes=True)),
    ip=IpRules(supported=True, consequence="venue-bybit-no-ip"),
    # "No ip bound api key will be invalid after 90 days" (docs/venues.md, Facts checked).
    no_ip_expiry_days=90,
    venue_expiry_label="venue-bybit-expiry-on",
    warnings=("venue-bybit-warn-password",),
)

RECV_WINDOW = 5000
# Bybit v5 error codes ("Error Codes" page): 10003 "API key is invalid. Check whether the key and domain
# are matched" (mainnet, testnet, demo), 10004 "Error sign", 10005 "Permission denied", 10006 "Too many
# visits", 10007 "User authentication failed", 10008 "Common banned, please check your account mode",
# 10009 "IP has been banned", 10010 "Unmatched IP", 10018 "Exceeded the IP Rate Limit", 33004 key expired.
_ERRORS = {10003: Outcome.BAD_KEY, 10004: Outcome.BAD_SECRET, 10005: Outcome.PERMISSION_DENIED,
           10010: Outcome.IP_NOT_ALLOWED, 10002: Outcome.CLOCK_SKEW, 10006: Outcome.RATE_LIMITED,
           10007: Outcome.AUTH_FAILED, 10008: Outcome.FROZEN, 10009: Outcome.ACCESS_BLOCKED,
           10018: Outcome.RATE_LIMITED, 33004: Outcome.EXPIRED}
# query-api permission group → our permission id (a non-empty group grants it)
_GROUPS = {"ContractTrade": "contract", "Spot": "spot", "Options": "options", "Exchange": "exchange",
           "Derivatives": "contract"}


class BybitConnector(IntrospectingConnector):
    venue = "bybit"

    async def _query_api(self, creds: Credentials) -> tuple[int, dict[str, object]]:
        timestamp = self.http.now_ms(self.venue)
        signature = bybit_signature(creds["secret"], timestamp=timestamp, api_key=creds["api_key"],
                                    recv_window=RECV_WINDOW, payload="")
        response = await self.http.request(self.venue, "GET", f"{self.base(creds)}/v5/user/query-api", headers={
            "X-BAPI-API-KEY": creds["api_key"], "X-BAPI-TIMESTAMP": str(timestamp),
            "X-BAPI-RECV-WINDOW": str(RECV_WINDOW), "X-BAPI-SIGN": signature})
        return response.status_code, json_or_empty(response)

    async def check(self, creds: Credentials) -> Check:
        status, body = await self._query_api(creds)
        if status in (403, 429) and "retCode" not in body:
            # A bare 403 is Bybit's "access too frequent … your IP has exceeded the allowed request
            # frequency", or its block of US and mainland-China addresses: never the key's IP list.
            return Check(Verification(Outcome.RATE_LIMITED if status == 429 else Outcome.ACCESS_BLOCKED,
                                      str(status)))
        code = body.get("retCode")
        if code == 0:
            return Check(Verification(Outcome.OK, "0"), self._inspection(body))
        outcome = _ERRORS.get(code, Outcome.UNKNOWN) if isinstance(code, int) else Outcome.UNKNOWN
        return Check(Verification(outcome, str(code if code is not None else status)))

    @staticmethod
    def _inspection(body: dict[str, object]) -> Inspection | None:
        result = body.get("result")
        if not isinstance(result, dict):
            return None
        groups = result.get("permissions") or {}
        perms = {"read"} | {perm for group, perm in _GROUPS.items() if isinstance(groups, dict) and groups.get(group)}
        wallet = [str(p) for p in groups.get("Wallet", []) or []] if isinstance(groups, dict) else []
        if any("Transfer" in p for p in wallet):
            perms.add("transfer")
        if any("Withdraw" in p for p in wallet):
            perms.add("withdraw")
        ips = [str(ip) for ip in result.get("ips") or []]
        expired = result.get("expiredAt")
        expires_at = None
        if isinstance(expired, str) and expired:
            with contextlib.suppress(ValueError):
                expires_at = int(datetime.fromisoformat(expired.replace("Z", "+00:00")).timestamp())
        return Inspection(permissions=frozenset(perms), read_only=bool(result.get("readOnly")),
                          ips=() if ips in ([], ["*"]) else tuple(ips), expires_at=expires_at)


VENUE = Venue(
    PROFILE,
    urls={"mainnet": "https://api.bybit.com", "testnet": "https://api-testnet.bybit.com",
          "demo": "https://api-demo.bybit.com", "eea": "https://api.bybit.eu", "nl": "https://api.bybit.nl",
          "tr": "https://api.bybit-tr.com", "kz": "https://api.bybit.kz", "ge": "https://api.bybitgeorgia.ge",
          "ae": "https://api.bybit.ae", "id": "https://api.bybit.id"},
    sample=lambda: ("A1b2C3d4E5f6G7h8I9", "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"),
    connector=lambda ctx: BybitConnector(ctx.http, ctx.urls),
)
