"""Leaks of stored keys and their revocation."""

from __future__ import annotations

from domain.models import LeakStats
from storage.sql import Sql


class LeakRepo:
    def __init__(self, db: Sql) -> None:
        self._db = db

    async def add(self, owner_id: int, key_id: int, place: str, at: int) -> None:
        await self._db.execute("INSERT INTO leaks(owner_id, key_id, place, leaked_at) VALUES (?, ?, ?, ?)",
                               (owner_id, key_id, place, at))

    async def resolve(self, key_id: int, at: int, by: str) -> int:
        """Close every open leak of the key; returns how many were open."""
        return await self._db.execute_count(
            "UPDATE leaks SET revoked_at = ?, revoked_by = ? WHERE key_id = ? AND revoked_at IS NULL",
            (at, by, key_id))

    async def stats(self, owner_id: int) -> LeakStats:
        rows = await self._db.fetchall("SELECT leaked_at, revoked_at FROM leaks WHERE owner_id = ?", (owner_id,))
        spans = sorted(int(r[1]) - int(r[0]) for r in rows if r[1] is not None)
        median = spans[len(spans) // 2] if spans else None
        return LeakStats(open=sum(1 for r in rows if r[1] is None), revoked=len(spans), median_seconds=median)
