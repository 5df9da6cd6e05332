"""The SQLite FSM storage: an update's changes are written when it ends, undone when it fails, and never
lost to the cache's eviction while another update is still running."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey

from domain.clock import FrozenClock
from storage.db import Database
from storage.fsm import SQLiteStorage


def _key(n: int) -> StorageKey:
    return StorageKey(bot_id=1, chat_id=n, user_id=n)


async def test_scope_writes_on_success_and_undoes_on_failure(tmp_path: Path) -> None:
    db = Database(tmp_path / "f.sqlite3")
    await db.open()
    storage = SQLiteStorage(db, FrozenClock())
    try:
        async with storage.scope():
            await storage.set_state(_key(1), "A:one")

        async def failing_update() -> None:
            async with storage.scope():
                await storage.set_state(_key(1), "A:two")
                raise RuntimeError

        with pytest.raises(RuntimeError):
            await failing_update()
        assert await storage.get_state(_key(1)) == "A:one"
        fresh = SQLiteStorage(db, FrozenClock())  # what a restart would read
        assert await fresh.get_state(_key(1)) == "A:one"
    finally:
        await db.close()


async def test_eviction_keeps_what_a_running_update_has_not_written(tmp_path: Path) -> None:
    db = Database(tmp_path / "f.sqlite3")
    await db.open()
    storage = SQLiteStorage(db, FrozenClock(), cache_size=5)
    inside, release = asyncio.Event(), asyncio.Event()

    async def slow_update() -> None:
        async with storage.scope():
            await storage.set_state(_key(1), "A:kept")
            inside.set()
            await release.wait()

    try:
        task = asyncio.create_task(slow_update())
        await inside.wait()
        for n in range(100, 120):  # other users' reads fill the cache past its limit meanwhile
            await storage.get_state(_key(n))
        release.set()
        await task
        assert await SQLiteStorage(db, FrozenClock()).get_state(_key(1)) == "A:kept"
    finally:
        await db.close()


async def test_a_unit_of_work_is_seen_only_by_its_own_task(tmp_path: Path) -> None:
    """Inside a transaction its reads see its writes; another coroutine sees them only after the commit."""
    import asyncio

    from storage.db import Database

    db = Database(tmp_path / "uow.sqlite3")
    await db.open()
    try:
        await db.execute("CREATE TABLE t (v INTEGER)")
        inside, go_on = asyncio.Event(), asyncio.Event()
        seen_inside: list[int] = []

        async def writer() -> None:
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (1)")
                seen_inside.append(len(await db.fetchall("SELECT v FROM t")))
                inside.set()
                await go_on.wait()

        task = asyncio.create_task(writer())
        await inside.wait()
        assert seen_inside == [1]
        assert await db.fetchall("SELECT v FROM t") == []  # not committed yet: invisible here
        go_on.set()
        await task
        assert len(await db.fetchall("SELECT v FROM t")) == 1
    finally:
        await db.close()


async def test_the_shared_storage_writes_state_and_data_as_one(tmp_path: Path, redis_url: str) -> None:
    """Scale-out FSM: an update's state and data go to Redis in one MULTI/EXEC (one EXEC, no SET before
    it), under RedisStorage's own keys and format, so plain RedisStorage reads what was written; a
    failing update writes nothing; no state and no data leave no keys."""
    from redis.asyncio import Redis

    from keybot.shared import KEYS, Shared
    from storage.fsm import DraftMarks, SharedStorage

    db = Database(tmp_path / "f.sqlite3")
    await db.open()
    shared = Shared(redis_url)
    plain = shared.storage()
    storage = SharedStorage(plain, DraftMarks(db), FrozenClock(), KEYS)
    counter = Redis.from_url(redis_url)

    async def calls(command: str) -> int:
        stats = await counter.info("commandstats")
        return int(stats.get(f"cmdstat_{command}", {}).get("calls", 0))

    try:
        execs, sets = await calls("exec"), await calls("set")
        async with storage.scope():
            await storage.set_state(_key(3), "Setup:name")
            await storage.set_data(_key(3), {"venue": "xt", "draft": 7})
        assert (await calls("exec"), await calls("set")) == (execs + 1, sets + 2)
        assert await plain.get_state(_key(3)) == "Setup:name"
        assert await plain.get_data(_key(3)) == {"venue": "xt", "draft": 7}

        async def failing_update() -> None:
            async with storage.scope():
                await storage.set_state(_key(3), "Setup:ips")
                await storage.set_data(_key(3), {})
                raise RuntimeError

        with pytest.raises(RuntimeError):
            await failing_update()
        assert await storage.get_state(_key(3)) == "Setup:name"
        async with storage.scope():
            await storage.set_state(_key(3), None)
            await storage.set_data(_key(3), {})
        assert await counter.keys("keybot:*") == []
    finally:
        await counter.aclose()
        await shared.close()
        await db.close()
