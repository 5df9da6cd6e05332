"""Scheduled work claimed by several workers at once: each reminder, deletion and leak reminder is
taken by one of them (PostgreSQL: SKIP LOCKED; SQLite: one process, one atomic statement), and a claim
whose worker died is taken over when its lease runs out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from storage.db import Database
from storage.deletions import DeletionRepo
from storage.guard import GuardRepo
from storage.pg import PostgresDatabase
from storage.reminders import ReminderRepo
from storage.sql import Sql

WORKERS, TASKS = 3, 4  # three processes, each with four overlapping ticks


@pytest.fixture
async def workers(tmp_path: Path, database_url: str | None) -> AsyncIterator[list[Sql]]:
    """One database handle per worker: separate connection pools on PostgreSQL, as separate processes
    would have; on SQLite the one process's database (the file lock allows no second process)."""
    if database_url is None:
        db = Database(tmp_path / "w.sqlite3")
        await db.open()
        yield [db] * WORKERS
        await db.close()
        return
    pools = [PostgresDatabase(database_url) for _ in range(WORKERS)]
    for pool in pools:
        await pool.open()
    yield list(pools)
    for pool in pools:
        await pool.close()


async def _drain(claim: Callable[[], Awaitable[Sequence[Any]]], out: list[Any]) -> None:
    while rows := await claim():
        out.extend(rows)
        await asyncio.sleep(0)


async def test_each_reminder_is_claimed_by_one_worker(workers: list[Sql]) -> None:
    first = ReminderRepo(workers[0])
    await workers[0].execute("INSERT INTO users(id, language, created_at) VALUES (1, 'en', 0)")
    for key_id in range(1, 1201):
        await first.add(1, key_id, "unused", 100)
    claimed: list[list[Any]] = [[] for _ in range(WORKERS * TASKS)]
    repos = [ReminderRepo(db) for db in workers]
    await asyncio.gather(*(
        _drain(partial(repos[i % WORKERS].claim_due, 200, 400, 25), claimed[i])
        for i in range(WORKERS * TASKS)))
    ids = [row.id for rows in claimed for row in rows]
    assert len(ids) == 1200
    assert len(set(ids)) == 1200  # nobody claimed a row twice
    assert await first.claim_due(399, 600, 25) == []  # leased until 400
    assert len(await first.claim_due(400, 600, 2000)) == 1200  # every lease ran out: all claimable again


async def test_a_released_reminder_is_due_again_at_once(workers: list[Sql]) -> None:
    repo = ReminderRepo(workers[0])
    await repo.add(1, 7, "unused", 100)
    [row] = await repo.claim_due(200, 400, 10)
    assert await repo.claim_due(201, 400, 10) == []
    await repo.release([row.id])
    assert [r.id for r in await repo.claim_due(202, 400, 10)] == [row.id]


async def test_each_deletion_is_claimed_by_one_worker(workers: list[Sql]) -> None:
    first = DeletionRepo(workers[0])
    for message_id in range(1, 601):
        await first.schedule(-100, message_id, 100)
    claimed: list[list[Any]] = [[] for _ in range(WORKERS * TASKS)]
    repos = [DeletionRepo(db) for db in workers]
    await asyncio.gather(*(
        _drain(partial(repos[i % WORKERS].claim_due, 200, 260, 20), claimed[i])
        for i in range(WORKERS * TASKS)))
    messages = [row[1] for rows in claimed for row in rows]
    assert sorted(messages) == list(range(1, 601))
    assert await first.claim_due(259, 400) == []
    await first.retry_later(-100, 5, 300)  # a failed attempt: due again later, unclaimed
    assert sorted(m for _, m, _ in await first.claim_due(300, 400, 1000)) == list(range(1, 601))


async def test_each_leak_reminder_goes_to_one_worker_and_moves_on(workers: list[Sql]) -> None:
    first = GuardRepo(workers[0])
    for message_id in range(1, 301):
        await first.remind(-100, message_id, 9, "seed", 100, 0)
    claimed: list[list[Any]] = [[] for _ in range(WORKERS * TASKS)]
    repos = [GuardRepo(db) for db in workers]
    await asyncio.gather(*(
        _drain(partial(repos[i % WORKERS].claim_reminders, 200, 3800, 10), claimed[i])
        for i in range(WORKERS * TASKS)))
    messages = [r.message_id for rows in claimed for r in rows]
    assert sorted(messages) == list(range(1, 301))
    assert await first.claim_reminders(3799, 7400) == []
    assert len(await first.claim_reminders(3800, 7400, 1000)) == 300
