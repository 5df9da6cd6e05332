"""The paced sender: spacing overall and per chat, and waiting out Telegram's retry_after."""

from __future__ import annotations

import asyncio
import itertools
import time

from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage

from bot.reminders.pacing import PacedSender


async def test_spacing_overall_and_per_chat() -> None:
    sender = PacedSender(per_second=50, per_chat_seconds=0.1)
    stamps: dict[int, list[float]] = {1: [], 2: []}

    async def call(chat: int) -> None:
        stamps[chat].append(time.monotonic())

    start = time.monotonic()
    await asyncio.gather(*(sender.send(chat, lambda c=chat: call(c)) for chat in (1, 2, 1, 2, 1, 2)))  # type: ignore[misc]
    all_stamps = sorted(stamps[1] + stamps[2])
    assert all(b - a >= 0.019 for a, b in itertools.pairwise(all_stamps))  # 50/s overall
    for chat in (1, 2):
        assert all(b - a >= 0.099 for a, b in itertools.pairwise(stamps[chat]))  # per chat
    assert time.monotonic() - start >= 0.2


async def test_retry_after_is_waited_out() -> None:
    sender = PacedSender(per_second=1000, per_chat_seconds=0)
    attempts: list[float] = []

    async def flaky() -> str:
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            raise TelegramRetryAfter(method=SendMessage(chat_id=1, text="x"), message="Too Many Requests",
                                     retry_after=1)
        return "sent"

    assert await sender.send(1, flaky) == "sent"
    assert sender.retry_afters == 1
    assert attempts[1] - attempts[0] >= 0.99
