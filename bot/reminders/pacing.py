"""Sending at the pace Telegram allows: at most 30 messages a second overall and one a second per
chat, waiting out `retry_after` when Telegram says 429.

The pace itself (who may send when) is a `Pace`: `LocalPace` in one process; with several workers,
one pace in Redis (`keybot.shared.RedisPace`) that every worker reserves its turns from, so N workers
together still send 30 a second, and a 429 any of them receives holds all of them."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from aiogram.exceptions import TelegramRetryAfter

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_RETRIES = 5
PER_SECOND = 30.0  # Telegram's broadcast limit for a bot
PER_CHAT_SECONDS = 1.0  # and for one private chat


class Pace(Protocol):
    async def reserve(self, chat_id: int) -> float:
        """Take this chat's next turn; the seconds to wait for it."""

    async def hold(self, seconds: float) -> None:
        """Telegram said 429: nobody's turn comes sooner than `seconds` from now."""


class LocalPace:
    """Turns handed out in this process: each send one interval after the previous one overall and
    `per_chat_seconds` after the chat's previous one."""

    def __init__(self, per_second: float = PER_SECOND, per_chat_seconds: float = PER_CHAT_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / per_second
        self._per_chat = per_chat_seconds
        self._monotonic = monotonic
        self._next_any = 0.0
        self._next_chat: dict[int, float] = {}

    async def reserve(self, chat_id: int) -> float:
        now = self._monotonic()
        at = max(now, self._next_any, self._next_chat.get(chat_id, 0.0))
        self._next_any = at + self._interval
        self._next_chat[chat_id] = at + self._per_chat
        if len(self._next_chat) > 10_000:  # forget chats whose turn is long past
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        return at - now

    async def hold(self, seconds: float) -> None:
        self._next_any = max(self._next_any, self._monotonic() + seconds)


class PacedSender:
    def __init__(self, per_second: float = PER_SECOND, per_chat_seconds: float = PER_CHAT_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, pace: Pace | None = None) -> None:
        self.pace = pace or LocalPace(per_second, per_chat_seconds, monotonic)
        self._sleep = sleep  # injectable, so tests run in virtual time
        self._lock = asyncio.Lock()  # turns are taken one at a time, in the order asked
        self.retry_afters = 0  # 429s received: the goal is none

    async def _wait_turn(self, chat_id: int) -> None:
        async with self._lock:
            wait = await self.pace.reserve(chat_id)
        if wait > 0:
            await self._sleep(wait)

    async def hold(self, seconds: float) -> None:
        """Someone else (an interactive reply) was told 429: scheduled sends make way."""
        await self.pace.hold(seconds)

    async def send(self, chat_id: int, call: Callable[[], Awaitable[T]]) -> T:
        for _ in range(MAX_RETRIES):
            await self._wait_turn(chat_id)
            try:
                return await call()
            except TelegramRetryAfter as exc:
                self.retry_afters += 1
                log.warning("Telegram asked to wait %s s", exc.retry_after)
                await self.pace.hold(exc.retry_after)
        return await call()
