"""The obvious SQLite FSM storage a bot author would write first: aiosqlite, autocommit, one statement per
get or set, no cache. The baseline (b) of bench/dispatch.py."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aiosqlite
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey


class NaiveSQLiteStorage(BaseStorage):
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._keys = DefaultKeyBuilder(with_destiny=True)

    @classmethod
    async def open(cls, path: Path) -> NaiveSQLiteStorage:
        conn = await aiosqlite.connect(path, isolation_level=None)
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS fsm (k TEXT PRIMARY KEY, state TEXT, data TEXT NOT NULL DEFAULT '{}')")
        return cls(conn)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._conn.execute(
            "INSERT INTO fsm(k, state) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET state = excluded.state",
            (self._keys.build(key), value))

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._conn.execute("SELECT state FROM fsm WHERE k = ?", (self._keys.build(key),)) as cursor:
            row = await cursor.fetchone()
        return None if row is None else row[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._conn.execute(
            "INSERT INTO fsm(k, data) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET data = excluded.data",
            (self._keys.build(key), json.dumps(dict(data))))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._conn.execute("SELECT data FROM fsm WHERE k = ?", (self._keys.build(key),)) as cursor:
            row = await cursor.fetchone()
        return {} if row is None else dict(json.loads(row[0]))

    async def close(self) -> None:
        await self._conn.close()
