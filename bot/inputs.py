"""Validation of what a user types: key names, IP lists, broker hosts, dates. Pure functions."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

NAME_MAX = 64
HOST_MAX = 253
_SEPARATORS = re.compile(r"[,;\s]+")
# Bidirectional overrides and marks can make a name display as something else; emoji joiners stay allowed.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
# Shapes of exchange credentials typed where an answer was expected: a UUID (XT, B2Trader keys), a long
# hex string (XT secrets, raw private keys), a long random token (Binance, OKX, Bybit secrets).
_CREDENTIAL_SHAPES = (
    re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
    re.compile(r"(?:0x)?[0-9a-fA-F]{32,}"),
    re.compile(r"[A-Za-z0-9+/=_\-]{32,}"),
)
_TOKEN_SPLIT = re.compile(r"[\s,;]+")
# Characters that show as nothing: a name made only of these looks empty (or like another name).
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5")


class NameError_(ValueError):
    """Why a name was refused; `reason` is a locale id suffix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def looks_like_credential(text: str) -> bool:
    """Some word of `text` has the shape of an exchange key or secret (or the text holds a PEM block)."""
    if "-----BEGIN" in text:
        return True
    for word in _TOKEN_SPLIT.split(text):
        if len(word) < 32 and "-" not in word:
            continue
        for shape in _CREDENTIAL_SHAPES:
            if shape.fullmatch(word) and (shape is _CREDENTIAL_SHAPES[0] or _mixed(word)):
                return True
    return False


def _mixed(word: str) -> bool:
    """Letters and digits, many distinct: a random token, not a long word or a repeated pattern."""
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word) and len(set(word)) > 8


def _visible(ch: str) -> bool:
    return ch not in _INVISIBLE and unicodedata.category(ch) not in {"Cf", "Zs", "Mn", "Me", "Cc"}


def clean_name(text: str) -> str:
    """A key name: trimmed, 1–64 characters, no control or invisible formatting characters, and at
    least one character that shows."""
    name = unicodedata.normalize("NFC", text).strip()
    if not name or not any(_visible(ch) for ch in name):
        raise NameError_("empty")
    if len(name) > NAME_MAX:
        raise NameError_("too-long")
    # Cc: control characters, Cs/Co/Cn: surrogates, private use, unassigned; Zl/Zp: line breaks.
    if any(ch in _BIDI or unicodedata.category(ch) in {"Cc", "Cs", "Co", "Cn", "Zl", "Zp"} for ch in name):
        raise NameError_("control")
    return name


@dataclass(slots=True)
class IpParse:
    ips: list[str] = field(default_factory=list)
    bad: list[tuple[str, str]] = field(default_factory=list)  # (entry, reason locale suffix)
    duplicates: int = 0
    over_limit: bool = False


def parse_ip_list(text: str, *, ipv6: bool, cidr: bool, max_entries: int | None) -> IpParse:
    """Split on commas, semicolons and white space; name every bad entry; drop duplicates."""
    result = IpParse()
    seen: set[str] = set()
    for entry in (e for e in _SEPARATORS.split(text) if e):
        try:
            network = ipaddress.ip_network(entry, strict=True) if "/" in entry else None
            address = network.network_address if network else ipaddress.ip_address(entry)
        except ValueError:
            result.bad.append((entry, "invalid"))
            continue
        if network is not None and not cidr:
            result.bad.append((entry, "no-cidr"))
            continue
        if address.version == 6 and not ipv6:
            result.bad.append((entry, "no-ipv6"))
            continue
        if not address.is_global:
            result.bad.append((entry, "not-public"))
            continue
        canonical = str(network) if network is not None and network.num_addresses > 1 else str(address)
        if canonical in seen:
            result.duplicates += 1
            continue
        seen.add(canonical)
        result.ips.append(canonical)
    if max_entries is not None and len(result.ips) > max_entries:
        result.over_limit = True
    return result


# Names that never point at a broker on the public internet: loopback, LAN and cloud-internal ones
# (metadata.google.internal), and the special-use suffixes of RFC 6761 / 8375.
_INTERNAL_SUFFIXES = (".localhost", ".internal", ".local", ".lan", ".home.arpa", ".intranet", ".corp",
                      ".localdomain", ".test", ".invalid", ".example")


def check_host(text: str) -> tuple[str | None, str]:
    """A broker's hostname from what the user typed (an https URL is reduced to its host) and, when
    refused, why: "invalid" (not a host name) or "private" (internal name, private address, a port
    other than 443). Where the name really resolves is checked again when the bot connects."""
    host = text.strip().lower()
    if host.startswith("http://"):
        return None, "private"  # plain HTTP would send the session token in the clear
    host = re.sub(r"^https://", "", host).split("/", 1)[0]
    bracketed = re.fullmatch(r"\[([0-9a-f:.]{2,45})\](?::(\d{1,5}))?", host)
    if bracketed:  # an IPv6 literal
        try:
            ip = ipaddress.ip_address(bracketed.group(1))
        except ValueError:
            return None, "invalid"
        if not ip.is_global or (bracketed.group(2) or "443") != "443":
            return None, "private"
        return f"[{ip}]", ""
    if host.count(":") == 1:
        host, port = host.split(":")
        if not port.isdigit():
            return None, "invalid"
        if int(port) != 443:
            return None, "private"
    if not host or len(host) > HOST_MAX:
        return None, "invalid"
    try:
        return (host, "") if ipaddress.ip_address(host).is_global else (None, "private")
    except ValueError:
        pass
    labels = host.split(".")
    if not all(_HOST_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        return None, "invalid"
    if host == "localhost" or host.endswith(_INTERNAL_SUFFIXES) or len(labels) < 2:
        return None, "private"
    return host, ""


def parse_host(text: str) -> str | None:
    """A broker's hostname, or None when it is refused (see check_host)."""
    return check_host(text)[0]


def parse_date(text: str, today: date) -> date | None:
    """YYYY-MM-DD or DD.MM.YYYY, strictly after today and within ten years."""
    value = text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            parsed = datetime.strptime(value, fmt).replace(tzinfo=UTC).date()
        except ValueError:
            continue
        if today < parsed <= today + timedelta(days=3653):
            return parsed
        return None
    return None
