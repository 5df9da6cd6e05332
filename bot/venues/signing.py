"""Request signing for each venue, as pure functions (known-answer tested in tests/test_signing.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa


def hmac_hex(secret: str, payload: str, digest: Any = hashlib.sha256) -> str:
    return hmac.new(secret.encode(), payload.encode(), digest).hexdigest()


def xt_signature(secret: str, *, appkey: str, timestamp: int, recvwindow: int, method: str, path: str,
                 query: Mapping[str, Any] | None = None, body: str | None = None) -> str:
    """XT spot v4: HMAC-SHA256 over X (the four validate-* headers sorted, k=v&…) + Y (#METHOD#path[#query][#body])."""
    x = "&".join(f"{k}={v}" for k, v in sorted({
        "validate-algorithms": "HmacSHA256", "validate-appkey": appkey,
        "validate-recvwindow": str(recvwindow), "validate-timestamp": str(timestamp)}.items()))
    y = f"#{method.upper()}#{path}"
    if query:
        y += "#" + "&".join(f"{k}={v}" for k, v in sorted(query.items()))
    if body:
        y += "#" + body
    return hmac_hex(secret, x + y)


def b2trader_signature(private_key: str, payload: str) -> str:
    """Legacy B2Trader API: uppercase hex HMAC-SHA512 of the query string (with ?) or the JSON body."""
    return hmac_hex(private_key, payload, hashlib.sha512).upper()


def _private_key(pem: str) -> Any:
    return serialization.load_pem_private_key(pem.encode(), password=None)


def asymmetric_signature(private_key_pem: str, payload: str) -> str:
    """Base64 signature of the payload by an RSA (PKCS#1 v1.5, SHA-256) or Ed25519 private key."""
    key = _private_key(private_key_pem)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return base64.b64encode(key.sign(payload.encode())).decode()
    if isinstance(key, rsa.RSAPrivateKey):
        return base64.b64encode(key.sign(payload.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
    raise ValueError("an RSA or Ed25519 private key is needed")


def is_pem(secret: str) -> bool:
    return secret.lstrip().startswith("-----BEGIN")


def binance_signature(secret: str, query: str) -> str:
    """HMAC keys: hex HMAC-SHA256 of the query. RSA and Ed25519 keys: the base64 signature, URL-encoded
    (Binance: "the signature must be URL-encoded")."""
    if is_pem(secret):
        return quote(asymmetric_signature(secret, query), safe="")
    return hmac_hex(secret, query)


def binance_query(params: Mapping[str, Any]) -> str:
    return urlencode(list(params.items()))


def bybit_signature(secret: str, *, timestamp: int, api_key: str, recv_window: int, payload: str) -> str:
    """Bybit v5: HMAC-SHA256 hex of timestamp + key + recvWindow + (query string or JSON body); an RSA
    key signs the same string, base64."""
    prehash = f"{timestamp}{api_key}{recv_window}{payload}"
    return asymmetric_signature(secret, prehash) if is_pem(secret) else hmac_hex(secret, prehash)


def okx_signature(secret: str, *, timestamp: str, method: str, request_path: str, body: str = "") -> str:
    """OKX v5: base64 HMAC-SHA256 of timestamp + METHOD + path(+query) + body."""
    mac = hmac.new(secret.encode(), f"{timestamp}{method.upper()}{request_path}{body}".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def roxom_payload(method: str, path_with_query: str, body: Mapping[str, Any] | None = None) -> str:
    """Roxom: METHOD:path?query, then ':' + body params sorted by key as k=v&… (nulls dropped)."""
    payload = f"{method.upper()}:{path_with_query}"
    if body:
        payload += ":" + "&".join(f"{k}={v}" for k, v in sorted(body.items()) if v is not None)
    return payload


def roxom_signature(private_key_pem: str, payload: str) -> str:
    """RSA-SHA256 with PKCS#1 v1.5 padding (the docs' openssl example), base64."""
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("Roxom needs an RSA private key")
    return base64.b64encode(key.sign(payload.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
