"""Each user's unlock passphrase, as Argon2id hashes only, with the wrong-attempt streak and the unlocked
period. Never holds the passphrase."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager

from domain.models import UnlockState
from storage.sql import Row, Sql


def _state(row: Row) -> UnlockState:
    return UnlockState(row["hash"], row["pending"], int(row["failures"]), row["blocked_until"],
                       row["unlocked_until"])


class UnlockRepo:
    def __init__(self, db: Sql) -> None:
        self._db = db

    def transaction(self) -> AbstractAsyncContextManager[object]:
        return self._db.transaction()

    async def get(self, user_id: int) -> UnlockState | None:
        row = await self._db.fetchone("SELECT * FROM unlock WHERE user_id = ?", (user_id,))
        return None if row is None else _state(row)

    async def put_pending(self, user_id: int, pending: str, now: int) -> None:
        await self._db.execute(
            "INSERT INTO unlock(user_id, pending, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET pending = excluded.pending, updated_at = excluded.updated_at",
            (user_id, pending, now),
        )

    async def activate_pending(self, user_id: int, unlocked_until: int, now: int) -> None:
        await self._db.execute(
            "UPDATE unlock SET hash = pending, pending = NULL, failures = 0, blocked_until = NULL, "
            "unlocked_until = ?, updated_at = ? WHERE user_id = ? AND pending IS NOT NULL",
            (unlocked_until, now, user_id),
        )

    async def clear(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM unlock WHERE user_id = ?", (user_id,))

    async def unlocked(self, user_id: int, until: int | None, now: int) -> None:
        """A right passphrase (`until`: the end of the unlocked period) or /lock (None)."""
        if until is None:  # /lock: failures and any block stay as they are
            await self._db.execute("UPDATE unlock SET unlocked_until = NULL, updated_at = ? WHERE user_id = ?",
                                   (now, user_id))
            return
        await self._db.execute(
            "UPDATE unlock SET failures = 0, blocked_until = NULL, unlocked_until = ?, updated_at = ? "
            "WHERE user_id = ?", (until, now, user_id))

    async def failed(self, user_id: int, failures: int, blocked_until: int | None, now: int) -> None:
        await self._db.execute(
            "UPDATE unlock SET failures = ?, blocked_until = ?, unlocked_until = NULL, updated_at = ? "
            "WHERE user_id = ?",
            (failures, blocked_until, now, user_id),
        )
