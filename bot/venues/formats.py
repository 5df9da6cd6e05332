"""Credential formats shared by several venues. Shapes marked unconfirmed in venues.md stay lenient."""

from __future__ import annotations

import re
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# A token whose exact shape is unconfirmed: URL-safe characters, long enough to be a credential.
LENIENT_TOKEN = re.compile(r"[A-Za-z0-9_.:+/=\-]{16,4096}")
PEM_PRIVATE_KEY = re.compile(
    r"-----BEGIN PRIVATE KEY-----\s+[A-Za-z0-9+/=\s]+-----END PRIVATE KEY-----\s*", re.DOTALL
)


RSA_MAX_BITS = 4096


def rsa_key_bits(text: str) -> int | None:
    """The size of an unencrypted PKCS#8 RSA private key, read without the (slow) key validation; None
    when the text is not one."""
    try:
        key = load_pem_private_key(text.encode(), password=None, unsafe_skip_rsa_key_validation=True)
    except (ValueError, TypeError):
        return None
    return key.key_size if isinstance(key, rsa.RSAPrivateKey) else None


def is_rsa_pkcs8(text: str) -> bool:
    """The PEM parses as an unencrypted PKCS#8 RSA private key of at most 4096 bits. The size is read
    first: validating a huge key would hold the event loop for seconds."""
    bits = rsa_key_bits(text)
    if bits is None or bits > RSA_MAX_BITS:
        return False
    try:
        key = load_pem_private_key(text.encode(), password=None)
    except (ValueError, TypeError):
        return False
    return isinstance(key, rsa.RSAPrivateKey)


def is_ed25519_pkcs8(text: str) -> bool:
    try:
        key = load_pem_private_key(text.encode(), password=None)
    except (ValueError, TypeError):
        return False
    return isinstance(key, ed25519.Ed25519PrivateKey)


# An HMAC secret (64 characters) or, for an RSA or Ed25519 key the user generated, its private key PEM.
HMAC_OR_PEM = re.compile(r"[A-Za-z0-9]{64}|" + PEM_PRIVATE_KEY.pattern, re.DOTALL)


def hmac_or_private_key(*, ed25519_allowed: bool) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        if not text.lstrip().startswith("-----BEGIN"):
            return True
        return is_rsa_pkcs8(text) or (ed25519_allowed and is_ed25519_pkcs8(text))
    return check


def normalize_secret(text: str) -> str:
    """HMAC secrets are stripped; a PEM keeps its line breaks."""
    return normalize_pem(text) if text.lstrip().startswith("-----BEGIN") else text.strip()


def normalize_pem(text: str) -> str:
    return text.strip().replace("\r\n", "\n") + "\n"


def lower_strip(text: str) -> str:
    return text.strip().lower()
