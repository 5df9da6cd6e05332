"""Where statements run: single statements on the event loop when no transaction is open, the aiosqlite
way otherwise; a busy database is waited for, not refused; the loop's writes are checkpointed."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import storage.db
from storage.db import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "paths.sqlite3")
    await database.open()
    await database.execute("CREATE TABLE t (v TEXT)")
    yield database
    await database.close()


async def test_a_statement_waits_for_an_open_transaction_instead_of_joining_it(db: Database) -> None:
    """A write from another coroutine while a unit of work is open lands after its commit, and a
    rollback of that unit does not take the other write with it."""
    inside, go_on = asyncio.Event(), asyncio.Event()

    async def unit_of_work() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES ('in the transaction')")
            inside.set()
            await go_on.wait()
            raise RuntimeError("rolled back")

    task = asyncio.create_task(unit_of_work())
    await inside.wait()
    other = asyncio.create_task(db.execute("INSERT INTO t VALUES ('outside')"))
    for _ in range(20):
        await asyncio.sleep(0)
    assert not other.done()  # it waits for the write lock
    go_on.set()
    with pytest.raises(RuntimeError):
        await task
    await other
    assert [r[0] for r in await db.fetchall("SELECT v FROM t")] == ["outside"]


async def test_a_database_busy_in_another_process_is_waited_for(db: Database) -> None:
    """Another connection holds the write lock: the loop's writer (no busy wait) hands the statement to
    aiosqlite, which waits for the lock and then writes; nothing fails with 'database is locked'."""
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    write = asyncio.create_task(db.execute("INSERT INTO t VALUES ('after the lock')"))
    for _ in range(20):
        await asyncio.sleep(0)
    assert not write.done()
    other.execute("COMMIT")
    other.close()
    await write
    assert await db.fetchone("SELECT v FROM t") is not None


async def test_reads_inside_a_transaction_see_its_writes_and_outside_only_committed(db: Database) -> None:
    written, seen = asyncio.Event(), asyncio.Event()
    outside: list[int] = []

    async def another_update() -> None:
        await written.wait()
        row = await db.fetchone("SELECT COUNT(*) FROM t")
        outside.append(row[0] if row else -1)
        seen.set()

    task = asyncio.create_task(another_update())  # started outside the transaction
    async with db.transaction():
        await db.execute("INSERT INTO t VALUES ('mine')")
        assert (await db.fetchone("SELECT COUNT(*) FROM t"))[0] == 1  # type: ignore[index]
        written.set()
        await seen.wait()
    await task
    assert outside == [0]
    assert (await db.fetchone("SELECT COUNT(*) FROM t"))[0] == 1  # type: ignore[index]


async def test_the_loops_writes_are_checkpointed_into_the_database_file(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop's writer never checkpoints itself (it would fsync on the loop); every CHECKPOINT_EVERY
    writes aiosqlite's thread does. Seen from outside: the rows reach the main file, not only the WAL."""
    monkeypatch.setattr(storage.db, "CHECKPOINT_EVERY", 50)
    marker = "checkpointed-marker-"
    for n in range(49):
        await db.execute("INSERT INTO t VALUES (?)", (f"{marker}{n:03}",))
    assert marker.encode() not in db.path.read_bytes()  # still only in the WAL
    await db.execute("INSERT INTO t VALUES (?)", (f"{marker}049",))
    for _ in range(100):  # the checkpoint runs as its own task in aiosqlite's thread
        if marker.encode() in db.path.read_bytes():
            break
        await asyncio.sleep(0.01)
    assert f"{marker}049".encode() in db.path.read_bytes()


async def test_returned_ids_and_rowcounts(db: Database) -> None:
    await db.execute("CREATE TABLE n (id INTEGER PRIMARY KEY, v TEXT)")
    first = await db.insert("INSERT INTO n(v) VALUES ('a') RETURNING id")
    async with db.transaction():
        second = await db.insert("INSERT INTO n(v) VALUES ('b') RETURNING id")
    assert (first, second) == (1, 2)
    assert await db.execute_count("UPDATE n SET v = 'c'") == 2


async def test_a_unit_of_work_waits_for_another_process_in_aiosqlites_thread(db: Database) -> None:
    """SQLite's lock held elsewhere: the transaction begins in aiosqlite's thread (which waits) instead
    of on the loop (which must not), and commits every statement together."""
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    async def unit_of_work() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES ('one')")
            await db.executemany("INSERT INTO t VALUES (?)", [("two",), ("three",)])

    task = asyncio.create_task(unit_of_work())
    for _ in range(20):
        await asyncio.sleep(0)
    assert not task.done()
    other.execute("COMMIT")
    other.close()
    await task
    assert sorted(r[0] for r in await db.fetchall("SELECT v FROM t")) == ["one", "three", "two"]


async def test_a_broken_rule_is_a_conflict_and_undoes_the_unit(db: Database) -> None:
    from storage.sql import Conflict

    await db.execute("CREATE UNIQUE INDEX t_v ON t(v)")

    async def twice() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES ('a')")
            await db.execute("INSERT INTO t VALUES ('a')")

    with pytest.raises(Conflict):
        await twice()
    assert await db.fetchall("SELECT v FROM t") == []
