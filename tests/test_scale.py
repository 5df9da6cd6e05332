"""Holding up at scale: caches that forget the least recently used entry instead of emptying, isolation
locks that go away when idle, and aiogram's per-update log line off unless debugging."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.guard.detector import Detector
from bot.redact import install
from keybot.isolation import IdleFreeIsolation
from storage.lru import LRU
from tests.harness import BOB, GROUP, Harness


def test_lru_forgets_the_least_recently_used() -> None:
    cache: LRU[int, str] = LRU(3)
    for n in range(3):
        cache[n] = str(n)
    assert cache.get(0) == "0"  # 0 is now the most recent
    cache[3] = "3"
    assert 1 not in cache
    assert [n in cache for n in (0, 2, 3)] == [True, True, True]
    assert len(cache) == 3


def test_lru_keeps_pinned_entries() -> None:
    pinned = {0, 1}
    cache: LRU[int, int] = LRU(2, keep=lambda k: k in pinned)
    for n in range(5):
        cache[n] = n
    assert 0 in cache
    assert 1 in cache  # over the size while they are pinned, rather than lose unwritten changes
    pinned.clear()
    cache[9] = 9
    assert len(cache) == 2


def _key(chat: int, user: int) -> StorageKey:
    return StorageKey(bot_id=1, chat_id=chat, user_id=user)


async def test_isolation_serialises_one_key_and_frees_idle_locks() -> None:
    isolation = IdleFreeIsolation()
    order: list[str] = []
    entered = asyncio.Event()

    async def first() -> None:
        async with isolation.lock(_key(1, 1)):
            order.append("first in")
            entered.set()
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            order.append("first out")

    async def second() -> None:
        await entered.wait()
        async with isolation.lock(_key(1, 1)):
            order.append("second in")

    async def other() -> None:
        await entered.wait()
        async with isolation.lock(_key(2, 2)):
            order.append("other chat")

    await asyncio.gather(first(), second(), other())
    assert order.index("first out") < order.index("second in")
    assert order.index("other chat") < order.index("first out")  # another chat does not wait
    assert isolation.held() == 0


async def test_closing_while_an_update_holds_a_lock_is_harmless() -> None:
    isolation = IdleFreeIsolation()
    async with isolation.lock(_key(1, 1)):
        await isolation.close()  # aiogram closes it at shutdown, with updates still finishing
    assert isolation.held() == 0
    async with isolation.lock(_key(1, 1)):
        assert isolation.held() == 1


async def test_locks_do_not_pile_up_for_chats_seen_once(h: Harness) -> None:
    for n in range(30):
        await h.chat(BOB, GROUP).send(f"/guard@bot {n}")  # commands take the full path, with its lock
    isolation = h.dp.fsm.events_isolation
    if h.services.shared is not None:  # several workers: the locks are Redis keys, gone once released
        assert [k async for k in h.services.shared.redis.scan_iter("keybot:*:lock")] == []
        return
    assert isinstance(isolation, IdleFreeIsolation)
    assert isolation.held() == 0


@pytest.mark.parametrize(("level", "shown"), [("INFO", False), ("DEBUG", True)])
def test_aiogram_update_lines_only_when_debugging(level: str, shown: bool) -> None:
    root = logging.getLogger()
    handlers, before = list(root.handlers), root.level
    try:
        root.handlers = []
        logging.getLogger("aiogram.event").setLevel(logging.NOTSET)
        install(Detector(), level)
        assert logging.getLogger("aiogram.event").isEnabledFor(logging.INFO) == shown
    finally:
        root.handlers, root.level = handlers, before
        logging.getLogger("aiogram.event").setLevel(logging.NOTSET)
