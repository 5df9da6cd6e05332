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

    async def claim_due(self, now: int, lease_until: int, limit: int = 100) -> list[tuple[int, int, int]]:
        """Take the due deletions (leased until `lease_until`): workers claiming at once get different
        ones; a worker that dies leaves its claims to the lease's end."""
        rows = await self._db.write_returning(
            "UPDATE pending_deletions SET lease_until = ? WHERE (chat_id, message_id) IN ("
            "SELECT chat_id, message_id FROM pending_deletions WHERE delete_at <= ? "
            f"AND (lease_until IS NULL OR lease_until <= ?) ORDER BY delete_at LIMIT ?{self._db.skip_locked}) "
            "RETURNING chat_id, message_id, attempts, delete_at",
            (lease_until, now, now, limit),
        )
        ordered = sorted(rows, key=lambda r: (int(r["delete_at"]), int(r["chat_id"]), int(r["message_id"])))
        return [(int(r["chat_id"]), int(r["message_id"]), int(r["attempts"])) for r in ordered]

    async def done(self, chat_id: int, message_id: int) -> None:
        await self._db.execute(
            "DELETE FROM pending_deletions WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
        )

    async def retry_later(self, chat_id: int, message_id: int, delete_at: int) -> None:
        await self._db.execute(
            "UPDATE pending_deletions SET attempts = attempts + 1, delete_at = ?, lease_until = NULL "
            "WHERE chat_id = ? AND message_id = ?",
            (delete_at, chat_id, message_id),
        )
