"""Self-destructing messages: a persistent schedule and the worker that deletes what is due.

Telegram has no timer for bot messages, and deleteMessage works only within 48 hours, so every
message that must disappear is recorded with its time and deleted by this worker, also after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
)

from domain.clock import Clock
from domain.ports import DeletionRepo

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20
LEASE_SECONDS = 60  # a claimed deletion another worker may take over once its claimant has died


class DeletionService:
    def __init__(self, repo: DeletionRepo, clock: Clock) -> None:
        self._repo = repo
        self._clock = clock
        self._wake = asyncio.Event()

    def _now(self) -> int:
        return int(self._clock.now().timestamp())

    async def schedule(self, chat_id: int, message_id: int, after_seconds: int) -> None:
        await self._repo.schedule(chat_id, message_id, self._now() + after_seconds)
        self._wake.set()

    async def run_due(self, bot: Bot) -> int:
        """Delete every message that is due; returns how many were settled."""
        settled = 0
        now = self._now()
        for chat_id, message_id, attempts in await self._repo.claim_due(now, now + LEASE_SECONDS):
            try:
                await bot.delete_message(chat_id, message_id)
            except TelegramRetryAfter as exc:
                await self._repo.retry_later(chat_id, message_id, self._now() + exc.retry_after)
                continue
            except (TelegramBadRequest, TelegramForbiddenError) as exc:
                # Already gone or not deletable any more: nothing further the bot can do.
                log.info("scheduled deletion of %s/%s settled: %s", chat_id, message_id, exc.message)
            except TelegramNetworkError:
                if attempts + 1 < MAX_ATTEMPTS:
                    await self._repo.retry_later(chat_id, message_id, self._now() + 5 * (attempts + 1))
                    continue
                log.warning("giving up deleting %s/%s after %s attempts", chat_id, message_id, attempts + 1)
            await self._repo.done(chat_id, message_id)
            settled += 1
        return settled

    async def run_forever(self, bot: Bot, idle_seconds: float = 1.0,
                          jobs: Sequence[Callable[[Bot], Awaitable[object]]] = ()) -> None:
        """Every tick: due deletions, then any other periodic job (the guard's reminders)."""
        while True:
            busy = False
            for job in (self.run_due, *jobs):
                try:
                    busy = bool(await job(bot)) or busy
                except Exception:
                    log.exception("housekeeping job %s failed", getattr(job, "__name__", job))
            if busy:
                continue  # more may be due right away (a storm of reminders): no idle wait
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=idle_seconds)
