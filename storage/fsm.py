"""aiogram FSM storage on SQLite, so a half-finished flow survives a restart.

Reads are served from memory after a key's first load (this process is the only writer). Writes
change memory at once and are persisted by `flush()`, which the dispatcher calls when each update's
handling ends: one SQLite round trip per update instead of one per set_state/set_data.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey

from bot.clock import Clock
from storage.db import Database

CACHE_LIMIT = 50_000
_UPSERT = ("INSERT INTO fsm(storage_key, state, data, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(storage_key) "
           "DO UPDATE SET state = excluded.state, data = excluded.data, updated_at = excluded.updated_at")
_DELETE = "DELETE FROM fsm WHERE storage_key = ?"


class SQLiteStorage(BaseStorage):
    def __init__(self, db: Database, clock: Clock, key_builder: KeyBuilder | None = None) -> None:
        self._db = db
        self._clock = clock
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._cache: dict[str, tuple[str | None, dict[str, Any]]] = {}
        self._dirty: set[str] = set()

    async def _load(self, key: str) -> tuple[str | None, dict[str, Any]]:
        cached = self._cache.get(key)
        if cached is None:
            row = await self._db.fetchone("SELECT state, data FROM fsm WHERE storage_key = ?", (key,))
            cached = (None, {}) if row is None else (row["state"], dict(json.loads(row["data"])))
            if len(self._cache) >= CACHE_LIMIT and not self._dirty:
                self._cache.clear()
            self._cache[key] = cached
        return cached

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        built = self._keys.build(key)
        _, data = await self._load(built)
        self._cache[built] = (state.state if isinstance(state, State) else state, data)
        self._dirty.add(built)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(self._keys.build(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        built = self._keys.build(key)
        state, _ = await self._load(built)
        self._cache[built] = (state, copy.deepcopy(dict(data)))
        self._dirty.add(built)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        # A copy: handlers may change what they got without touching the stored draft.
        return copy.deepcopy((await self._load(self._keys.build(key)))[1])

    async def flush(self) -> None:
        """Persist every changed key in one transaction."""
        if not self._dirty:
            return
        keys, self._dirty = self._dirty, set()
        now = int(self._clock.now().timestamp())
        upserts, deletes = [], []
        for key in keys:
            state, data = self._cache[key]
            if state is None and not data:
                deletes.append((key,))
            else:
                upserts.append((key, state, json.dumps(data, ensure_ascii=False), now))
        if len(upserts) + len(deletes) == 1:  # the usual case: one statement, autocommit, one round trip
            if upserts:
                await self._db.execute(_UPSERT, upserts[0])
            else:
                await self._db.execute(_DELETE, deletes[0])
            return
        async with self._db.transaction() as conn:
            if upserts:
                await conn.executemany(_UPSERT, upserts)
            if deletes:
                await conn.executemany(_DELETE, deletes)

    async def close(self) -> None:
        """Persist what is pending; the database itself is closed by its owner."""
        await self.flush()
