"""Telegram lets a bot send about 20 messages a minute into one group. In a busy group under a flood of
leaks the guard's deletions never wait; its notices do. Each group gets at most `per_minute` notices in
any minute, and what does not fit is merged into one notice, sent when a slot frees (the housekeeping
tick asks). Kept in memory: after a restart a merged notice that was still waiting is not sent — the
messages themselves were deleted already."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from domain.clock import Clock

WINDOW = 60.0
NAMES_SHOWN = 5


@dataclass
class Merged:
    """Notices that did not fit: how many, whose (first few names), which kinds, in whose language."""

    language: str
    count: int = 0
    names: list[str] = field(default_factory=list)
    others: int = 0  # senders not named (past NAMES_SHOWN)
    kinds: set[str] = field(default_factory=set)


class GroupNotices:
    def __init__(self, clock: Clock, per_minute: int = 20) -> None:
        self._clock = clock
        self._per_minute = per_minute
        self._sent: dict[int, deque[float]] = {}
        self._waiting: dict[int, Merged] = {}

    def _slot(self, chat_id: int) -> bool:
        now = self._clock.now().timestamp()
        sent = self._sent.setdefault(chat_id, deque())
        while sent and sent[0] <= now - WINDOW:
            sent.popleft()
        if len(sent) >= self._per_minute:
            return False
        sent.append(now)
        return True

    def take(self, chat_id: int) -> bool:
        """A notice may go to the group now (and is counted); False while a merged one waits, so the
        notices keep their order."""
        return chat_id not in self._waiting and self._slot(chat_id)

    def defer(self, chat_id: int, language: str, name: str, kinds: list[str]) -> None:
        merged = self._waiting.setdefault(chat_id, Merged(language))
        merged.count += 1
        if name and name not in merged.names:
            if len(merged.names) < NAMES_SHOWN:
                merged.names.append(name)
            else:
                merged.others += 1
        merged.kinds.update(kinds)

    def due(self) -> list[tuple[int, Merged]]:
        """Merged notices whose group has a free slot now (the slot is taken)."""
        ready = [chat for chat in self._waiting if self._slot(chat)]
        out = [(chat, self._waiting.pop(chat)) for chat in ready]
        horizon = self._clock.now().timestamp() - WINDOW
        for chat in [c for c, times in self._sent.items() if (not times or times[-1] <= horizon)
                     and c not in self._waiting]:
            del self._sent[chat]  # groups quiet for a minute cost nothing
        return out
