"""aiogram FSM storage on SQLite, so a half-finished flow survives a restart."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey

from bot.clock import Clock
from storage.db import Database


class SQLiteStorage(BaseStorage):
    def __init__(self, db: Database, clock: Clock, key_builder: KeyBuilder | None = None) -> None:
        self._db = db
        self._clock = clock
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)

    def _now(self) -> int:
        return int(self._clock.now().timestamp())

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._db.execute(
            "INSERT INTO fsm(storage_key, state, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(storage_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            (self._keys.build(key), value, self._now()),
        )

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._db.fetchone("SELECT state FROM fsm WHERE storage_key = ?", (self._keys.build(key),))
        return None if row is None else row["state"]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._db.execute(
            "INSERT INTO fsm(storage_key, data, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(storage_key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (self._keys.build(key), json.dumps(dict(data), ensure_ascii=False), self._now()),
        )

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._db.fetchone("SELECT data FROM fsm WHERE storage_key = ?", (self._keys.build(key),))
        return {} if row is None else dict(json.loads(row["data"]))

    async def close(self) -> None:
        """The database is closed by its owner."""
