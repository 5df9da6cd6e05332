"""Kraken's private REST API as its "Spot REST Authentication" guide describes it: API-Key and API-Sign
headers, a nonce that must increase per key, errors as {"error": ["EAPI:…"]}."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

if TYPE_CHECKING:
    from bot.sandbox.venues import MockVenues


def _expected(private_key: str, path: str, body: bytes) -> str:
    nonce = dict(parse_qsl(body.decode())).get("nonce", "")
    inner = hashlib.sha256(nonce.encode() + body).digest()
    return base64.b64encode(hmac.new(base64.b64decode(private_key), path.encode() + inner,
                                     hashlib.sha512).digest()).decode()


def answer(mock: MockVenues, method: str, path: str, query: str, headers: dict[str, str],
           body: bytes) -> tuple[int, Any]:
    key = mock.known("kraken", headers.get("api-key", ""))
    if key is None:
        return 200, {"error": ["EAPI:Invalid key"]}
    if "private_key" in key.fields and not hmac.compare_digest(
            _expected(key.fields["private_key"], path, body), headers.get("api-sign", "")):
        return 200, {"error": ["EAPI:Invalid signature"]}
    nonce = int(dict(parse_qsl(body.decode())).get("nonce", "0") or 0)
    if nonce <= key.last_nonce:
        return 200, {"error": ["EAPI:Invalid nonce"]}
    key.last_nonce = nonce
    if key.behaviour == "permission":
        return 200, {"error": ["EGeneral:Permission denied"]}
    if key.behaviour == "rate_limited":
        return 200, {"error": ["EAPI:Rate limit exceeded"]}
    return 200, {"error": [], "result": {"ZUSD": "100.0000", "XXBT": "0.0100000000"}}
