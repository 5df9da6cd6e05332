"""Encrypted venue session tokens, kept only when the user asked."""

from __future__ import annotations

from domain.models import SealedField
from storage.sql import Sql


class SessionRepo:
    def __init__(self, db: Sql) -> None:
        self._db = db

    async def put(self, owner_id: int, venue: str, host: str, sealed: SealedField, now: int) -> None:
        await self._db.execute(
            "INSERT INTO venue_sessions(owner_id, venue, host, data_key_id, nonce, ciphertext, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(owner_id, venue, host) DO UPDATE SET "
            "data_key_id = excluded.data_key_id, nonce = excluded.nonce, ciphertext = excluded.ciphertext, "
            "created_at = excluded.created_at",
            (owner_id, venue, host, sealed.data_key_id, sealed.nonce, sealed.ciphertext, now))

    async def get(self, owner_id: int, venue: str, host: str) -> SealedField | None:
        row = await self._db.fetchone(
            "SELECT data_key_id, nonce, ciphertext FROM venue_sessions WHERE owner_id = ? AND venue = ? AND host = ?",
            (owner_id, venue, host))
        if row is None:
            return None
        return SealedField(f"session:{venue}:{host}", int(row[0]), bytes(row[1]), bytes(row[2]), b"")

    async def forget(self, owner_id: int, venue: str, host: str) -> None:
        await self._db.execute("DELETE FROM venue_sessions WHERE owner_id = ? AND venue = ? AND host = ?",
                               (owner_id, venue, host))
