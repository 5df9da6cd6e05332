"""Rows the vault needs: its metadata (canary, wrapped fingerprint key) and wrapped data keys."""

from __future__ import annotations

from typing import Any

from domain.models import WrappedKey
from storage.sql import Sql


def _wrapped(row: Any) -> WrappedKey:
    salt = row["salt"]
    return WrappedKey(int(row["id"]), int(row["user_id"]), bytes(row["wrapped"]), str(row["kind"]),
                      bytes(salt) if salt is not None else None)


class VaultStore:
    def __init__(self, db: Sql) -> None:
        self._db = db

    async def get_meta(self, name: str) -> bytes | None:
        row = await self._db.fetchone("SELECT value FROM meta WHERE name = ?", (name,))
        return bytes(row["value"]) if row else None

    async def put_meta(self, name: str, value: bytes) -> None:
        await self._db.execute(
            "INSERT INTO meta(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    async def data_key_for_user(self, user_id: int, kind: str = "server") -> WrappedKey | None:
        row = await self._db.fetchone(
            "SELECT id, user_id, wrapped, kind, salt FROM data_keys WHERE user_id = ? AND kind = ? "
            "ORDER BY id DESC LIMIT 1", (user_id, kind))
        return _wrapped(row) if row else None

    async def data_key(self, key_id: int) -> WrappedKey | None:
        row = await self._db.fetchone("SELECT id, user_id, wrapped, kind, salt FROM data_keys WHERE id = ?",
                                      (key_id,))
        return _wrapped(row) if row else None

    async def add_data_key(self, user_id: int, wrapped: bytes, now: int, kind: str = "server",
                           salt: bytes | None = None) -> int:
        return await self._db.insert(
            "INSERT INTO data_keys(user_id, wrapped, created_at, kind, salt) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (user_id, wrapped, now, kind, salt))

    async def rewrap(self, key_id: int, wrapped: bytes, salt: bytes | None) -> None:
        """A locked data key sealed again under a new passphrase."""
        await self._db.execute("UPDATE data_keys SET wrapped = ?, salt = ? WHERE id = ?", (wrapped, salt, key_id))

    async def drop_locked(self, user_id: int) -> None:
        await self._db.execute(
            "DELETE FROM data_keys WHERE user_id = ? AND kind = 'locked' "
            "AND id NOT IN (SELECT data_key_id FROM key_secrets)", (user_id,))

    async def all_wrapped(self) -> tuple[list[WrappedKey], dict[str, bytes]]:
        """Every wrapped data key and every meta value, for master-key rotation."""
        keys = await self._db.fetchall("SELECT id, user_id, wrapped, kind, salt FROM data_keys")
        meta = await self._db.fetchall("SELECT name, value FROM meta")
        return [_wrapped(r) for r in keys], {str(r["name"]): bytes(r["value"]) for r in meta}

    async def replace_all(self, data_keys: dict[int, bytes], meta: dict[str, bytes]) -> None:
        """Swap every wrapped blob in one transaction: a crash leaves either all old or all new."""
        async with self._db.transaction():
            await self._db.executemany("UPDATE data_keys SET wrapped = ? WHERE id = ?",
                                       [(wrapped, key_id) for key_id, wrapped in data_keys.items()])
            await self._db.executemany("UPDATE meta SET value = ? WHERE name = ?",
                                       [(value, name) for name, value in meta.items()])
