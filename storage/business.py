"""Telegram Business connections and the rights each one gives the bot."""

from __future__ import annotations

from domain.models import BusinessLink
from storage.sql import Row, Sql


def _link(row: Row) -> BusinessLink:
    return BusinessLink(str(row["id"]), int(row["owner_id"]), bool(row["can_read"]), bool(row["can_delete"]),
                        bool(row["enabled"]))


class BusinessRepo:
    def __init__(self, db: Sql) -> None:
        self._db = db

    async def save(self, link: BusinessLink, now: int) -> None:
        await self._db.execute(
            "INSERT INTO business_connections(id, owner_id, can_read, can_delete, enabled, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET owner_id = excluded.owner_id, "
            "can_read = excluded.can_read, can_delete = excluded.can_delete, enabled = excluded.enabled, "
            "updated_at = excluded.updated_at",
            (link.id, link.owner_id, int(link.can_read), int(link.can_delete), int(link.enabled), now))

    async def get(self, connection_id: str) -> BusinessLink | None:
        row = await self._db.fetchone("SELECT * FROM business_connections WHERE id = ?", (connection_id,))
        return _link(row) if row else None

    async def of_owner(self, owner_id: int) -> list[BusinessLink]:
        rows = await self._db.fetchall("SELECT * FROM business_connections WHERE owner_id = ? ORDER BY updated_at",
                                       (owner_id,))
        return [_link(r) for r in rows]
