"""Scans a message for secrets: detector rules plus exact matches of the sender's own stored secrets."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

from bot.guard.detector import Detector, Finding
from bot.vault import Vault
from storage.keys import KeyRepo

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
                token = match.group(0)
                for candidate in {token, token.lower()}:
                    key_id = owned.get(self._vault.fingerprint(candidate))
                    if key_id is not None:
                        key_ids.append(key_id)
                        if not any(f.start <= match.start() < f.end for f in findings):
                            findings.append(Finding("own_secret", match.start(), match.end()))
                        break
        if not findings:
            return None
        return Leak(sorted(findings, key=lambda f: f.start), sorted(set(key_ids)))
