"""Scans a message for secrets: detector rules plus exact matches of the sender's own stored secrets."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

from bot.guard.detector import Detector, Finding
from bot.vault import Vault
from domain.ports import KeyRepo

_TOKEN = re.compile(r"[^\s\"'`<>()\[\]{},;]{8,}")
# A whole Telegram message is at most 4,096 characters; anything longer is a document, scanned in a worker
# thread so a big upload never holds up other users' updates.
INLINE_MAX = 4096


@dataclass(frozen=True, slots=True)
class Leak:
    findings: list[Finding]
    key_ids: list[int] = field(default_factory=list)  # the sender's stored keys it matches

    @property
    def kinds(self) -> list[str]:
        return sorted({f.kind for f in self.findings})


class SecretScanner:
    def __init__(self, detector: Detector, vault: Vault, keys: KeyRepo) -> None:
        self._detector = detector
        self._vault = vault
        self._keys = keys

    async def inspect(self, owner_id: int, text: str) -> Leak | None:
        if len(text) <= INLINE_MAX:
            findings = self._detector.find(text)
        else:
            findings = await asyncio.to_thread(self._detector.find, text)
        key_ids: list[int] = []
        owned = await self._keys.owned_fingerprints(owner_id)
        if owned:
            for match in _TOKEN.finditer(text):
                for start, part in _parts(match.group(0), match.start()):
                    key_id = next((k for c in (part, part.lower())
                                   if (k := owned.get(self._vault.fingerprint(c))) is not None), None)
                    if key_id is None:
                        continue
                    key_ids.append(key_id)
                    if not any(f.start <= start < f.end for f in findings):
                        findings.append(Finding("own_secret", start, start + len(part)))
        if not findings:
            return None
        return Leak(sorted(findings, key=lambda f: f.start), sorted(set(key_ids)))


_SEPARATORS = re.compile(r"[=:&?]")


def _parts(token: str, start: int) -> list[tuple[int, str]]:
    """The token, and the values inside it: `secret_key=VALUE`, `?apiKey=A&secret=B`, `key:VALUE`."""
    out = [(start, token)]
    offset = 0
    for piece in _SEPARATORS.split(token):
        if len(piece) >= 8 and piece != token:
            out.append((start + offset, piece))
        offset += len(piece) + 1
    return out
