"""Sending at the pace Telegram allows: at most 30 messages a second overall and one a second per
chat, waiting out `retry_after` when Telegram says 429."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram.exceptions import TelegramRetryAfter

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_RETRIES = 5


class PacedSender:
    def __init__(self, per_second: float = 30.0, per_chat_seconds: float = 1.0,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._interval = 1.0 / per_second
        self._per_chat = per_chat_seconds
        self._monotonic = monotonic
        self._sleep = sleep  # injectable, so tests run in virtual time
        self._next_any = 0.0
        self._next_chat: dict[int, float] = {}
        self._lock = asyncio.Lock()
        self.retry_afters = 0  # 429s received: the goal is none

    async def _wait_turn(self, chat_id: int) -> None:
        async with self._lock:
            now = self._monotonic()
            at = max(now, self._next_any, self._next_chat.get(chat_id, 0.0))
            self._next_any = at + self._interval
            self._next_chat[chat_id] = at + self._per_chat
            if len(self._next_chat) > 10_000:  # forget chats whose turn is long past
                self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        if at > now:
            await self._sleep(at - now)

    async def send(self, chat_id: int, call: Callable[[], Awaitable[T]]) -> T:
        for _ in range(MAX_RETRIES):
            await self._wait_turn(chat_id)
            try:
                return await call()
            except TelegramRetryAfter as exc:
                self.retry_afters += 1
                log.warning("Telegram asked to wait %s s", exc.retry_after)
                async with self._lock:
                    resume = self._monotonic() + exc.retry_after
                    self._next_any = max(self._next_any, resume)
        return await call()
