"""How the bot talks to the Bot API: 429s are waited out and retried, start-up waits for an unreachable
API instead of failing with a traceback, and answers are parsed without rebuilding their models."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import User

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class KeepsResponseModels(BaseSession):
    """aiogram parses every answer with `Response[<the method's result type>]`. pydantic keeps such
    parametrised models in a weak cache, so the garbage collector drops them between calls and a later
    call rebuilds one for a few milliseconds (ten rebuilds per 300 setup buttons, ~100 µs an update).
    Holding each model once keeps pydantic's cache warm. Put first among a session's bases."""

    _kept: ClassVar[dict[Any, Any]] = {}

    def check_response(self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int,
                       content: str) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._kept:
            self._kept[returning] = Response[returning]  # type: ignore[valid-type]
        return super().check_response(bot, method, status_code, content)


class RetryAfter(BaseRequestMiddleware):
    """Telegram's 429 carries `retry_after`: wait that long and send again, so an interactive reply is
    late rather than lost. Gives up (re-raises) once the waits would add up to over `budget` seconds.

    A budget, not a count of attempts: in a burst (200 users at once against 30 messages a second) a
    reply may be refused several times in a row, each time with a short wait, and still be due within
    seconds; five attempts of one second lost the last 50 of those 200 replies.

    `hold` hears every 429 (the scheduled sends' pace, shared by all workers): reminders make way while
    Telegram throttles the bot. Replies themselves do not wait for one another's 429s: Telegram does
    not say whether a 429 was for one chat or for the whole bot."""

    def __init__(self, sleep: Sleep = asyncio.sleep, budget: float = 120,
                 hold: Callable[[float], Awaitable[None]] | None = None) -> None:
        self._sleep = sleep
        self._budget = budget
        self._hold = hold

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        waited = 0.0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if self._hold is not None:
                    await self._hold(exc.retry_after)
                if waited + exc.retry_after > self._budget:
                    raise
                log.info("Bot API asked to wait %ss before %s (%.0f s waited so far)", exc.retry_after,
                         type(method).__name__, waited)
                waited += exc.retry_after
                await self._sleep(exc.retry_after)


async def wait_for_api(bot: Bot, sleep: Sleep = asyncio.sleep, first: float = 1, longest: float = 60) -> User:
    """getMe until the Bot API answers: one log line per failed attempt, backing off to `longest`."""
    delay = first
    while True:
        try:
            return await bot.get_me()
        except (TelegramNetworkError, TelegramServerError, OSError) as exc:
            log.warning("Bot API unreachable (%s: %s); retrying in %.0f s", type(exc).__name__, exc, delay)
        await sleep(delay)
        delay = min(delay * 2, longest)
