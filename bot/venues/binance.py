"""Binance: HMAC keys with restriction switches; IP list of up to 30; withdrawals need an IP list."""

from __future__ import annotations

import re

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
from bot.venues.formats import HMAC_OR_PEM, hmac_or_private_key, normalize_secret
from bot.venues.module import Venue
from bot.venues.signing import binance_query, binance_signature

_KEY = re.compile(r"[A-Za-z0-9]{64}")

PROFILE = VenueProfile(
    id="binance",
    title="Binance",
    environments=("mainnet", "testnet"),
    # HMAC, RSA and Ed25519 keys (docs/venues.md): an RSA or Ed25519 key is pasted as its private key PEM.
    fields=(CredentialField("api_key", _KEY, public_id=True),
            CredentialField("secret", HMAC_OR_PEM, pem=True, check=hmac_or_private_key(ed25519_allowed=True),
                            normalize=normalize_secret)),
    permissions=(
        Permission("reading", "Enable Reading", default=True, required=True),
        Permission("spot", "Enable Spot & Margin Trading", writes=True),
        Permission("margin", "Enable Margin Loan, Repay & Transfer", writes=True),
        Permission("futures", "Enable Futures", writes=True),
        # apiRestrictions fields the docs describe (docs/venues.md, "Facts checked"): options, portfolio margin
        # and FIX trading place orders; internal and universal transfers move funds between accounts.
        Permission("options", "Enable European Options", writes=True),
        Permission("portfolio", "Enable Portfolio Margin Trading", writes=True),
        Permission("fix_api", "Enable FIX API Trading", writes=True),
        Permission("sub_transfer", "Enable Internal Transfer", writes=True, danger=True),
        Permission("transfer", "Permits Universal Transfer", writes=True, danger=True),
        Permission("withdraw", "Enable Withdrawals", writes=True, danger=True),
    ),
    ip=IpRules(
        supported=True, max_entries=30, required_for=frozenset({"withdraw"}), consequence="venue-binance-no-ip"
    ),
    actions=(VenueAction("edit", "Edit restrictions"), VenueAction("delete", "Delete", revokes=True)),
    warnings=("venue-binance-warn-hmac",),
    # apiRestrictions.tradingAuthorityExpirationTime: "Expiration time for spot and margin trading permission".
    venue_expiry_label="venue-binance-expiry-on",
    skip_reasons={Step.READ_ONLY: "venue-binance-skip-ro"},
)

RECV_WINDOW = 5000
# Binance error codes (docs/venues.md table): −2014 bad key format, −1022 bad signature, −1021 timestamp
# outside recvWindow, −2015 "Invalid API-key, IP, or permissions for action" (three causes).
_ERRORS = {-2014: Outcome.BAD_KEY, -1022: Outcome.BAD_SECRET, -1021: Outcome.CLOCK_SKEW,
           -2015: Outcome.KEY_IP_OR_PERMISSION, -1002: Outcome.PERMISSION_DENIED, -1003: Outcome.RATE_LIMITED}
# apiRestrictions flag → our permission id
_FLAGS = {"enableReading": "reading", "enableSpotAndMarginTrading": "spot", "enableMargin": "margin",
          "enableFutures": "futures", "enableVanillaOptions": "options",
          "enablePortfolioMarginTrading": "portfolio", "enableFixApiTrade": "fix_api",
          "enableInternalTransfer": "sub_transfer", "permitsUniversalTransfer": "transfer",
          "enableWithdrawals": "withdraw"}


class BinanceConnector(IntrospectingConnector):
    venue = "binance"

    async def _signed_get(self, creds: Credentials, path: str) -> tuple[int, dict[str, object]]:
        query = binance_query({"recvWindow": RECV_WINDOW, "timestamp": self.http.now_ms(self.venue)})
        query += "&signature=" + binance_signature(creds["secret"], query)
        response = await self.http.request(self.venue, "GET", f"{self.base(creds)}{path}?{query}",
                                           headers={"X-MBX-APIKEY": creds["api_key"]})
        return response.status_code, json_or_empty(response)

    def _path(self, creds: Credentials) -> str:
        # The testnet has no /sapi: its cheapest signed read is the account.
        return "/api/v3/account" if creds.environment == "testnet" else "/sapi/v1/account/apiRestrictions"

    async def check(self, creds: Credentials) -> Check:
        status, body = await self._signed_get(creds, self._path(creds))
        if status == 200:
            return Check(Verification(Outcome.OK, "200"), self._inspection(creds, body))
        if status in (418, 429):
            return Check(Verification(Outcome.RATE_LIMITED, str(status)))
        code = body.get("code")
        outcome = _ERRORS.get(code, Outcome.UNKNOWN) if isinstance(code, int) else Outcome.UNKNOWN
        if code == -2015 and creds.ip_allowlist and creds.egress_ip not in creds.ip_allowlist:
            # With a recorded IP list that leaves the bot out, the IP is the likeliest of the three causes.
            outcome = Outcome.IP_NOT_ALLOWED
        return Check(Verification(outcome, str(code if code is not None else status)))

    @staticmethod
    def _inspection(creds: Credentials, body: dict[str, object]) -> Inspection | None:
        if creds.environment == "testnet":
            return None  # the testnet's account call says nothing about the key's restrictions
        expiry = body.get("tradingAuthorityExpirationTime")
        return Inspection(
            permissions=frozenset(perm for flag, perm in _FLAGS.items() if body.get(flag)),
            ip_restricted=bool(body.get("ipRestrict")),
            expires_at=int(expiry) // 1000 if isinstance(expiry, int) and expiry > 0 else None,
        )


VENUE = Venue(
    PROFILE,
    urls={"mainnet": "https://api.binance.com", "testnet": "https://testnet.binance.vision"},
    # The docs' HMAC example secret (its published signature) and a key of the same shape.
    sample=lambda: ("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
                    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"),
    connector=lambda ctx: BinanceConnector(ctx.http, ctx.urls),
)
