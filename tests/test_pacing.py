"""The paced sender: spacing overall and per chat, and waiting out Telegram's retry_after."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage

from bot.reminders.pacing import PacedSender
from tests.virtual_time import VirtualTime


async def test_spacing_overall_and_per_chat() -> None:
    """In virtual time: each send's exact moment, 20 ms apart overall (50/s) and 100 ms apart per chat."""
    clock = VirtualTime()
    sender = PacedSender(per_second=50, per_chat_seconds=0.1, monotonic=clock.monotonic, sleep=clock.sleep)
    stamps: dict[int, list[float]] = {1: [], 2: []}

    async def call(chat: int) -> None:
        stamps[chat].append(clock.now)

    await clock.run(asyncio.gather(*(sender.send(chat, lambda c=chat: call(c))  # type: ignore[misc]
                                     for chat in (1, 2, 1, 2, 1, 2))))
    assert stamps[1] == pytest.approx([0.0, 0.1, 0.2])
    assert stamps[2] == pytest.approx([0.02, 0.12, 0.22])
    all_stamps = sorted(stamps[1] + stamps[2])
    assert all(b - a >= 0.02 - 1e-9 for a, b in itertools.pairwise(all_stamps))


async def test_retry_after_is_waited_out() -> None:
    clock = VirtualTime()
    sender = PacedSender(per_second=1000, per_chat_seconds=0, monotonic=clock.monotonic, sleep=clock.sleep)
    attempts: list[float] = []

    async def flaky() -> str:
        attempts.append(clock.now)
        if len(attempts) == 1:
            raise TelegramRetryAfter(method=SendMessage(chat_id=1, text="x"), message="Too Many Requests",
                                     retry_after=1)
        return "sent"

    assert await clock.run(sender.send(1, flaky)) == "sent"
    assert sender.retry_afters == 1
    assert attempts == pytest.approx([0.0, 1.0])


async def test_a_reply_refused_many_times_in_a_burst_is_still_sent() -> None:
    """The session's RetryAfter keeps trying while the waits fit its budget: ten refusals of one second
    each (a reply at the back of a 300-message burst at 30/s) and it is sent."""
    from bot.telegram import RetryAfter

    clock = VirtualTime()
    refusals = 10
    sent: list[float] = []

    async def make_request(bot: object, method: SendMessage) -> str:
        if len(sent) < refusals:
            sent.append(-clock.now)
            raise TelegramRetryAfter(method=method, message="Too Many Requests", retry_after=1)
        sent.append(clock.now)
        return "ok"

    retry: Any = RetryAfter(clock.sleep, budget=60)  # called with a stand-in for the next request
    assert await clock.run(retry(make_request, None, SendMessage(chat_id=1, text="x"))) == "ok"
    assert sent[-1] == pytest.approx(10.0)


async def test_retry_after_gives_up_past_its_budget() -> None:
    from bot.telegram import RetryAfter

    clock = VirtualTime()
    calls: list[float] = []

    async def make_request(bot: object, method: SendMessage) -> str:
        calls.append(clock.now)
        raise TelegramRetryAfter(method=method, message="Too Many Requests", retry_after=25)

    retry: Any = RetryAfter(clock.sleep, budget=60)
    with pytest.raises(TelegramRetryAfter):
        await clock.run(retry(make_request, None, SendMessage(chat_id=1, text="x")))
    assert calls == pytest.approx([0.0, 25.0, 50.0])  # a third wait would pass 60 s: it re-raises
