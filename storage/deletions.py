"""Messages the bot must delete later (revealed secrets, notices): survive restarts."""

from __future__ import annotations

from storage.sql import Sql


class DeletionRepo:
    def __init__(self, db: Sql) -> None:
        self._db = db

    async def schedule(self, chat_id: int, message_id: int, delete_at: int) -> None:
        await self._db.execute(
            "INSERT INTO pending_deletions(chat_id, message_id, delete_at) VALUES (?, ?, ?) "
            "ON CONFLICT(chat_id, message_id) DO UPDATE SET delete_at = excluded.delete_at, attempts = 0",
            (chat_id, message_id, delete_at),
        )

    async def due(self, now: int, limit: int = 100) -> list[tuple[int, int, int]]:
        rows = await self._db.fetchall(
            "SELECT chat_id, message_id, attempts FROM pending_deletions WHERE delete_at <= ? "
            "ORDER BY delete_at LIMIT ?",
            (now, limit),
        )
        return [(int(r["chat_id"]), int(r["message_id"]), int(r["attempts"])) for r in rows]

    async def done(self, chat_id: int, message_id: int) -> None:
        await self._db.execute(
            "DELETE FROM pending_deletions WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
        )

    async def retry_later(self, chat_id: int, message_id: int, delete_at: int) -> None:
        await self._db.execute(
            "UPDATE pending_deletions SET attempts = attempts + 1, delete_at = ? "
            "WHERE chat_id = ? AND message_id = ?",
            (delete_at, chat_id, message_id),
        )
