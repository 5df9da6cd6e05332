"""How each venue checks a request's signature, for the stand-in venues.

Written again from the venues' documentation (docs/venues.md cites each scheme) and deliberately not
importing `bot.venues.signing`: the stand-ins must disagree with a client that signs wrongly instead of
agreeing with it because both run the same code. Each check takes the request as it arrived on the wire
(method, path, raw query string, headers, raw body), so a client that signs one thing and sends another
fails too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import parse_qsl, unquote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def xt(secret: str, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> bool:
    """XT spot v4 ("Signature" section): X is the validate-* headers other than the signature, as
    name=value sorted by name and joined with &; Y is #METHOD#path, then #query with its parameters
    sorted, then #body. Lower-case hex HMAC-SHA256 of X+Y."""
    signed = sorted((k, v) for k, v in headers.items() if k.startswith("validate-") and k != "validate-signature")
    prehash = "&".join(f"{k}={v}" for k, v in signed) + f"#{method}#{path}"
    if query:
        prehash += "#" + "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(query, keep_blank_values=True)))
    if body:
        prehash += "#" + body.decode()
    digest = hmac.new(secret.encode(), prehash.encode(), hashlib.sha256).hexdigest()
    return _same(digest, headers.get("validate-signature", ""))


def binance(secret: str, query: str, body: bytes) -> bool:
    """Binance SIGNED endpoints: hex HMAC-SHA256 of the total parameters (query string, then body) as
    sent, without the signature parameter itself; for RSA and Ed25519 keys, a base64 signature of the
    same string, URL-encoded, checked with the key's public half."""
    params, _, signature = query.rpartition("&signature=")
    if not params:
        return False
    if secret.startswith("-----BEGIN"):
        return _public_verify(secret, params.encode() + body, unquote(signature))
    digest = hmac.new(secret.encode(), params.encode() + body, hashlib.sha256).hexdigest()
    return _same(digest, signature)


def _public_verify(private_key_pem: str, signed: bytes, signature_b64: str) -> bool:
    """Verify with the public half, as the venue does (it holds only the public key)."""
    public = serialization.load_pem_private_key(private_key_pem.encode(), None).public_key()
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        if isinstance(public, ed25519.Ed25519PublicKey):
            public.verify(signature, signed)
        elif isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True


def bybit(secret: str, query: str, headers: dict[str, str], body: bytes) -> bool:
    """Bybit v5: hex HMAC-SHA256 of timestamp + API key + recv_window + (query string for GET, raw JSON
    body for POST), all taken from the request's own X-BAPI-* headers."""
    prehash = (headers.get("x-bapi-timestamp", "") + headers.get("x-bapi-api-key", "")
               + headers.get("x-bapi-recv-window", "") + (body.decode() if body else query))
    if secret.startswith("-----BEGIN"):  # an RSA key: base64 RSA-SHA256 of the same string
        return _public_verify(secret, prehash.encode(), headers.get("x-bapi-sign", ""))
    digest = hmac.new(secret.encode(), prehash.encode(), hashlib.sha256).hexdigest()
    return _same(digest, headers.get("x-bapi-sign", ""))


def okx(secret: str, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> bool:
    """OKX v5: base64 of HMAC-SHA256 over timestamp + METHOD + request path (with ?query) + body."""
    target = path + (f"?{query}" if query else "")
    prehash = headers.get("ok-access-timestamp", "") + method + target + body.decode()
    try:
        sent = base64.b64decode(headers.get("ok-access-sign", ""), validate=True)
    except ValueError:
        return False
    return hmac.compare_digest(hmac.new(secret.encode(), prehash.encode(), hashlib.sha256).digest(), sent)


def b2trader(private_key: str, query: str, headers: dict[str, str], body: bytes) -> bool:
    """B2Trader legacy API: upper-case hex HMAC-SHA512 of "?query" for GET, of the JSON body otherwise."""
    payload = body if body else f"?{query}".encode()
    digest = hmac.new(private_key.encode(), payload, hashlib.sha512).hexdigest().upper()
    return _same(digest, headers.get("sign", ""))


def roxom(private_key_pem: str, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> bool:
    """Roxom: RSA PKCS#1 v1.5 over SHA-256 of "METHOD:path?query", plus ":" and the body's parameters
    sorted by name as k=v&… when there is a body; base64 in X-API-Signature."""
    import json

    signed = f"{method}:{path}" + (f"?{query}" if query else "")
    if body:
        params = json.loads(body)
        signed += ":" + "&".join(f"{k}={params[k]}" for k in sorted(params) if params[k] is not None)
    public = serialization.load_pem_private_key(private_key_pem.encode(), None).public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        return False
    try:
        public.verify(base64.b64decode(headers.get("x-api-signature", "")), signed.encode(), padding.PKCS1v15(),
                      hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True
