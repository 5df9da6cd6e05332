"""Rule-based secret detection over chat text.

Shape alone is not enough for many credentials (a UUID is an XT access key *and* an order id), so
ambiguous shapes need either key-like context nearby or a message that is nothing but the token.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

_CONTEXT = re.compile(
    r"(?i)(api[\s_-]?key|secret|private|priv[\s_-]?key|passphrase|password|passwd|token|apikey|"
    r"access[\s_-]?key|signing|seed|mnemonic|ключ|секрет|пароль|токен)"
)
_CONTEXT_WINDOW = 40


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    needs_context: bool = False
    min_entropy: float = 0.0


def shannon_entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


_RULES: tuple[_Rule, ...] = (
    _Rule("pem_private_key", re.compile(
        r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"
        r"(?:[\s\S]*?-----END (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----|[A-Za-z0-9+/=\s]{40,})"
    )),
    _Rule("telegram_bot_token", re.compile(r"(?<![\w:])\d{6,12}:AA[A-Za-z0-9_-]{33}(?![\w-])")),
    _Rule("jwt", re.compile(r"(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")),
    _Rule("github_token", re.compile(r"(?<!\w)(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,})")),
    _Rule("aws_access_key", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    _Rule("hex_secret", re.compile(r"(?<![0-9A-Fa-fx])[0-9A-Fa-f]{32,128}(?![0-9A-Fa-f])"),
          needs_context=True, min_entropy=3.0),
    _Rule("api_secret", re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{32,128}(?![A-Za-z0-9])"),
          needs_context=True, min_entropy=4.0),
    _Rule("uuid_secret", re.compile(
        r"(?<![0-9a-fA-F-])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9a-fA-F-])"
    ), needs_context=True),
)


class Detector:
    """Finds secrets in text by shape, validators and context."""

    def find(self, text: str) -> list[Finding]:
        findings: list[Finding] = []
        bare = text.strip()
        for rule in _RULES:
            for match in rule.pattern.finditer(text):
                if any(f.start <= match.start() < f.end for f in findings):
                    continue
                token = match.group(0)
                if rule.min_entropy and shannon_entropy(token) < rule.min_entropy:
                    continue
                if rule.needs_context and not self._has_context(text, match) and token != bare:
                    continue
                if rule.kind == "uuid_secret" and token == bare:
                    continue  # a bare UUID is as likely an order id or a public key id
                findings.append(Finding(rule.kind, match.start(), match.end()))
        return sorted(findings, key=lambda f: f.start)

    @staticmethod
    def _has_context(text: str, match: re.Match[str]) -> bool:
        before = text[max(0, match.start() - _CONTEXT_WINDOW): match.start()]
        return _CONTEXT.search(before) is not None

    def redact(self, text: str) -> str:
        for finding in reversed(self.find(text)):
            text = f"{text[:finding.start]}[REDACTED:{finding.kind}]{text[finding.end:]}"
        return text
