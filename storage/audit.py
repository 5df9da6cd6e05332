"""Append-only audit of actions on keys. Never holds a secret."""

from __future__ import annotations

from domain.models import AuditEntry
from storage.sql import Sql


class AuditRepo:
    def __init__(self, db: Sql) -> None:
        self._db = db

    async def add(self, owner_id: int, key_id: int | None, action: str, at: int, detail: str = "") -> None:
        await self._db.execute(
            "INSERT INTO audit(owner_id, key_id, action, detail, at) VALUES (?, ?, ?, ?, ?)",
            (owner_id, key_id, action, detail, at),
        )

    async def last(self, owner_id: int, key_id: int, limit: int = 5) -> list[AuditEntry]:
        rows = await self._db.fetchall(
            "SELECT action, detail, at FROM audit WHERE owner_id = ? AND key_id = ? ORDER BY id DESC LIMIT ?",
            (owner_id, key_id, limit),
        )
        return [AuditEntry(str(r["action"]), str(r["detail"]), int(r["at"])) for r in rows]

    async def recent(self, owner_id: int, limit: int, before: int | None = None) -> list[AuditEntry]:
        """The owner's whole history, newest first: keys and the account (unlocks, passphrase, panic)."""
        rows = await self._db.fetchall(
            "SELECT id, key_id, action, detail, at FROM audit WHERE owner_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
            (owner_id, before or 2**62, limit))
        return [AuditEntry(str(r["action"]), str(r["detail"]), int(r["at"]), r["key_id"], int(r["id"])) for r in rows]
