"""Scans a user's message for secrets: detector rules plus exact matches of their own stored secrets."""

from __future__ import annotations

import re

from bot.guard.detector import Detector, Finding
from bot.vault import Vault
from storage.keys import KeyRepo

_TOKEN = re.compile(r"[^\s\"'`<>()\[\]{},;]{8,}")


class SecretScanner:
    def __init__(self, detector: Detector, vault: Vault, keys: KeyRepo) -> None:
        self._detector = detector
        self._vault = vault
        self._keys = keys

    async def scan(self, owner_id: int, text: str) -> list[Finding]:
        findings = self._detector.find(text)
        owned = await self._keys.owned_fingerprints(owner_id)
        if owned:
            for match in _TOKEN.finditer(text):
                if any(f.start <= match.start() < f.end for f in findings):
                    continue
                token = match.group(0)
                if any(self._vault.fingerprint(c) in owned for c in {token, token.lower()}):
                    findings.append(Finding("own_secret", match.start(), match.end()))
        return sorted(findings, key=lambda f: f.start)
