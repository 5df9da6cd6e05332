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


async def test_workers_sharing_redis_take_the_turns_one_process_would(redis_url: str) -> None:
    """Two workers' paces on one Redis, asking alternately for 40 turns at one instant, are handed
    exactly the turns a single process's pace hands out for the same requests: 30/s overall, 1/s per
    chat, never a turn twice."""
    from redis.asyncio import Redis

    from bot.reminders.pacing import LocalPace
    from keybot.shared import RedisPace

    now = 1_800_000_000.0
    redis = Redis.from_url(redis_url)
    try:
        workers = [RedisPace(redis, clock=lambda: now), RedisPace(Redis.from_url(redis_url), clock=lambda: now)]
        alone = LocalPace(monotonic=lambda: now)
        chats = [1 + (i * 7) % 5 for i in range(40)]
        shared = [now + await workers[i % 2].reserve(chat) for i, chat in enumerate(chats)]
        expected = [now + await alone.reserve(chat) for chat in chats]
        assert shared == pytest.approx(expected, abs=1e-5)
        assert all(b - a >= 1 / 30 - 1e-5 for a, b in itertools.pairwise(sorted(shared)))
        for chat in set(chats):
            turns = sorted(t for t, c in zip(shared, chats, strict=True) if c == chat)
            assert all(b - a >= 1 - 1e-5 for a, b in itertools.pairwise(turns))
        assert max(shared) - now > 7  # 40 turns over 5 chats: the per-chat limit sets the pace
    finally:
        await redis.aclose()


async def test_a_429_one_worker_hears_holds_every_worker(redis_url: str) -> None:
    """Worker A's send is refused with retry_after 5: worker B's next turn, for another chat, waits
    those 5 seconds too (it comes right after A's retried send); a shorter hold does not shorten one."""
    from redis.asyncio import Redis

    from keybot.shared import RedisPace

    clock = VirtualTime()
    redis = Redis.from_url(redis_url)
    try:
        a = PacedSender(sleep=clock.sleep, pace=RedisPace(redis, clock=lambda: 1000 + clock.now))
        b = RedisPace(redis, clock=lambda: 1000 + clock.now)
        tries: list[float] = []

        async def refused_once() -> str:
            tries.append(clock.now)
            if len(tries) == 1:
                raise TelegramRetryAfter(method=SendMessage(chat_id=1, text="x"), message="Too Many Requests",
                                         retry_after=5)
            return "sent"

        assert await clock.run(a.send(1, refused_once)) == "sent"
        assert tries == pytest.approx([0.0, 5.0])
        assert await b.reserve(2) == pytest.approx(1 / 30, abs=1e-5)
        await a.hold(20)
        await b.hold(1)  # heard later, shorter
        assert await b.reserve(3) == pytest.approx(20, abs=1e-5)
    finally:
        await redis.aclose()


async def test_a_429_on_a_reply_holds_the_scheduled_sends() -> None:
    """An interactive reply refused with retry_after 3: the reply waits and is sent, and the reminders'
    pace gives no turn for those 3 seconds."""
    from bot.reminders.pacing import LocalPace
    from bot.telegram import RetryAfter

    clock = VirtualTime()
    pace = LocalPace(monotonic=clock.monotonic)
    refused: list[float] = []

    async def make_request(bot: object, method: SendMessage) -> str:
        if not refused:
            refused.append(clock.now)
            raise TelegramRetryAfter(method=method, message="Too Many Requests", retry_after=3)
        return "ok"

    turns: list[float] = []

    async def sleep(seconds: float) -> None:  # while the reply waits, a reminder asks for its turn
        turns.append(await pace.reserve(7))
        await clock.sleep(seconds)

    retry: Any = RetryAfter(sleep, budget=60, hold=pace.hold)
    assert await clock.run(retry(make_request, None, SendMessage(chat_id=1, text="x"))) == "ok"
    assert clock.now == pytest.approx(3.0)
    assert turns == pytest.approx([3.0])
