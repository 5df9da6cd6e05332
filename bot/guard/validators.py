"""Checks that turn a shape into a secret: checksums, structure and randomness."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import itertools
import json
import math
import operator
import re
import unicodedata
from collections import Counter
from functools import cache

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mnemonic import Mnemonic

# BIP-39 wordlists the mnemonic package ships whose words are separated by spaces.
# Every wordlist the reference implementation ships: the BIP-39 ten plus the Russian and Turkish ones
# some wallets use. Chinese words are single characters, Japanese ones kana, Korean ones hangul.
MNEMONIC_LANGUAGES = ("english", "spanish", "french", "italian", "czech", "portuguese", "japanese", "korean",
                      "chinese_simplified", "chinese_traditional", "russian", "turkish")
# Version bytes of BIP-32 extended *private* keys (xprv, yprv, zprv, Yprv, Zprv, tprv, uprv, vprv, Uprv, Vprv).
XPRV_VERSIONS = {bytes.fromhex(v) for v in (
    "0488ade4", "049d7878", "04b2430c", "0295b005", "02aa7a99",
    "04358394", "044a4e28", "045f18bc", "024285b5", "02575048")}
WIF_VERSIONS = {0x80, 0xEF}  # mainnet, testnet


_C_LOG_C = [0.0] + [c * math.log2(c) for c in range(1, 4097)]


def shannon_entropy(text: str) -> float:
    """Bits per character: log2(n) - Σ c·log2(c) / n, with c·log2(c) read from a table (in C, via map)."""
    n = len(text)
    if n == 0:
        return 0.0
    if n > 4096:
        return -sum(c / n * math.log2(c / n) for c in Counter(text).values())
    return math.log2(n) - sum(map(_C_LOG_C.__getitem__, Counter(text).values())) / n


_DIGIT = re.compile(r"\d")


def char_classes(text: str) -> int:
    """How many of lower case, upper case and digits the text has (in C: a cased letter changes under
    upper() or lower())."""
    return (text.upper() != text) + (text.lower() != text) + (_DIGIT.search(text) is not None)


def is_byte_array(text: str) -> bool:
    """A JSON array of 64 numbers 0–255 with many distinct values: a key pair's bytes, not a list of ids."""
    numbers = [int(n) for n in text.strip("[] \n").split(",")]
    return len(numbers) == 64 and max(numbers) <= 255 and len(set(numbers)) >= 32


_B58_DIGITS = {c: i for i, c in enumerate("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")}


def _b58_64(token: str) -> bytes | None:
    """The 64 bytes a base58 string encodes, or None (one big-integer pass, no per-byte divisions)."""
    number = 0
    try:
        for c in token:
            number = number * 58 + _B58_DIGITS[c]
    except KeyError:
        return None
    zeros = len(token) - len(token.lstrip("1"))  # each leading "1" is a leading zero byte
    if number.bit_length() > (64 - zeros) * 8:
        return None
    raw = bytes(zeros) + number.to_bytes(64 - zeros, "big") if zeros < 64 else bytes(64)
    return raw if len(raw) == 64 and (zeros == 64 or raw[zeros] != 0 or number == 0) else None


def is_solana_keypair(token: str) -> bool:
    """A Solana secret key in base58: 64 bytes, an ed25519 seed followed by its own public key (what
    solana-keygen writes and wallets export). A transaction signature has the length but not the relation."""
    raw = _b58_64(token)
    if raw is None:
        return False
    public = Ed25519PrivateKey.from_private_bytes(raw[:32]).public_key().public_bytes_raw()
    return hmac.compare_digest(public, raw[32:])


_PIECES = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def is_identifier(token: str) -> bool:
    """Words run together ("EncryptedPassportElement", "X-Api-Secret-Token"): nearly every letter sits in a
    piece of three or more, and there are no digits. Random text breaks into short pieces."""
    if _DIGIT.search(token) is not None:
        return False
    pieces = _PIECES.findall(token)
    if not pieces:
        return False
    # Acronyms are short: a long capital run ("LMGYHLUOGZS") is randomness, not a word.
    words = sum(len(p) for p in pieces if len(p) >= 3 and not (p.isupper() and len(p) > 5))
    return words >= 0.9 * sum(len(p) for p in pieces)


def looks_random(token: str, min_entropy: float = 3.5) -> bool:
    """High entropy and more than one character class: not a word, a number or a placeholder."""
    if len(set(token)) < 6 or shannon_entropy(token) < min_entropy:
        return False
    low = token.lower()
    if any(p in low for p in ("xxxx", "****", "example", "your_", "dummy", "12345")):
        return False
    # In a long random token "abcd" or "here" is chance; in a short one it is a placeholder's tell.
    return len(token) >= 32 or not any(p in low for p in ("0000", "1234", "abcd", "your", "here"))


@cache
def _mnemonic(language: str) -> Mnemonic:
    return Mnemonic(language)


@cache
def wordlist(language: str) -> frozenset[str]:
    return frozenset(unicodedata.normalize("NFKD", w) for w in _mnemonic(language).wordlist)


@cache
def any_wordlist() -> frozenset[str]:
    """Every word of every supported wordlist, as stored (NFKD) and as typed (NFC): a quick first filter
    on raw text."""
    words = frozenset().union(*(wordlist(lang) for lang in MNEMONIC_LANGUAGES))
    return words | {unicodedata.normalize("NFC", w) for w in words}


@cache
def any_wordlist_utf8() -> frozenset[bytes]:
    return frozenset(w.encode() for w in any_wordlist())


@cache
def _wordlist_utf8(language: str) -> frozenset[bytes]:
    return frozenset(f.encode() for w in wordlist(language) for f in (w, unicodedata.normalize("NFC", w)))


@cache
def _language_bits() -> dict[bytes, int]:
    """Each word (UTF-8), with a bit set for every wordlist it is in."""
    bits: dict[bytes, int] = {}
    for n, language in enumerate(MNEMONIC_LANGUAGES):
        for word in _wordlist_utf8(language):
            bits[word] = bits.get(word, 0) | 1 << n
    return bits


def languages_of(words: list[bytes]) -> list[str]:
    """The wordlists at least four of these (UTF-8) words come from, in MNEMONIC_LANGUAGES order. The bits
    of all words are OR-ed in C first; only the few wordlists that appear are counted."""
    union = functools.reduce(operator.or_, map(_language_bits().get, words, itertools.repeat(0)), 0)
    found = frozenset(words)
    return [language for n, language in enumerate(MNEMONIC_LANGUAGES)
            if union >> n & 1 and len(_wordlist_utf8(language).intersection(found)) >= 4]


@cache
def _indices(language: str) -> dict[str, int]:
    return {unicodedata.normalize("NFKD", w): i for i, w in enumerate(_mnemonic(language).wordlist)}


def is_bip39(words: list[str], language: str) -> bool:
    """12, 15, 18, 21 or 24 words of one wordlist whose checksum holds (BIP-39: the first
    words*11/33 bits of SHA-256 over the entropy)."""
    if len(words) not in (12, 15, 18, 21, 24):
        return False
    index = _indices(language)
    try:
        bits = 0
        for word in words:
            bits = (bits << 11) | index[word]
    except KeyError:
        return False
    checksum_bits = len(words) * 11 // 33
    entropy = (bits >> checksum_bits).to_bytes(len(words) * 11 * 32 // 33 // 8, "big")
    return hashlib.sha256(entropy).digest()[0] >> (8 - checksum_bits) == bits & ((1 << checksum_bits) - 1)


def base58check(text: str) -> bytes | None:
    try:
        return bytes(base58.b58decode_check(text))
    except ValueError:
        return None


def is_wif(token: str) -> bool:
    """Wallet Import Format private key: version 0x80/0xEF, 32 bytes, optional 0x01, valid checksum."""
    if len(token) not in (51, 52):
        return False
    raw = base58check(token)
    return raw is not None and raw[0] in WIF_VERSIONS and (
        len(raw) == 33 or (len(raw) == 34 and raw[-1] == 0x01))


def is_extended_private_key(token: str) -> bool:
    raw = base58check(token)
    return raw is not None and len(raw) == 78 and raw[:4] in XPRV_VERSIONS and raw[45] == 0


def is_jwt(token: str) -> bool:
    """Three base64url segments whose header is JSON naming an algorithm."""
    head = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and ("alg" in header or "typ" in header)


def is_basic_credentials(token: str) -> bool:
    """HTTP Basic credentials: base64 of "user:password"."""
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    user, sep, password = decoded.partition(":")
    return bool(sep and user and password) and decoded.isprintable()


def is_base64_private_key(token: str) -> bool:
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        return False
    return b"PRIVATE KEY" in decoded[:64]
