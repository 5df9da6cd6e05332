"""How the bot talks to the Bot API when Telegram pushes back: 429s are waited out and retried, and
start-up waits for an unreachable API instead of failing with a traceback."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import User

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class RetryAfter(BaseRequestMiddleware):
    """Telegram's 429 carries `retry_after`: wait that long and send again, so an interactive reply is
    late rather than lost. Gives up (re-raises) after `attempts`, or when asked to wait over `max_wait`."""

    def __init__(self, sleep: Sleep = asyncio.sleep, attempts: int = 5, max_wait: float = 120) -> None:
        self._sleep = sleep
        self._attempts = attempts
        self._max_wait = max_wait

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        for attempt in range(1, self._attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self._attempts or exc.retry_after > self._max_wait:
                    raise
                log.info("Bot API asked to wait %ss before %s (attempt %s)", exc.retry_after,
                         type(method).__name__, attempt)
                await self._sleep(exc.retry_after)
        raise AssertionError("unreachable")


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
