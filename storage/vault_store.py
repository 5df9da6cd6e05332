"""Rows the vault needs: its metadata (canary, wrapped fingerprint key) and wrapped data keys."""

from __future__ import annotations

from storage.db import Database


class VaultStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_meta(self, name: str) -> bytes | None:
        row = await self._db.fetchone("SELECT value FROM meta WHERE name = ?", (name,))
        return bytes(row["value"]) if row else None

    async def put_meta(self, name: str, value: bytes) -> None:
        await self._db.execute(
            "INSERT INTO meta(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    async def data_key_for_user(self, user_id: int) -> tuple[int, bytes] | None:
        row = await self._db.fetchone(
            "SELECT id, wrapped FROM data_keys WHERE user_id = ? ORDER BY id DESC LIMIT 1", (user_id,)
        )
        return (int(row["id"]), bytes(row["wrapped"])) if row else None

    async def data_key(self, key_id: int) -> tuple[int, bytes] | None:
        row = await self._db.fetchone("SELECT user_id, wrapped FROM data_keys WHERE id = ?", (key_id,))
        return (int(row["user_id"]), bytes(row["wrapped"])) if row else None

    async def add_data_key(self, user_id: int, wrapped: bytes, now: int) -> int:
        return await self._db.execute(
            "INSERT INTO data_keys(user_id, wrapped, created_at) VALUES (?, ?, ?)", (user_id, wrapped, now)
        )

    async def all_wrapped(self) -> tuple[list[tuple[int, int, bytes]], dict[str, bytes]]:
        """Every wrapped data key (id, user, blob) and every meta value, for master-key rotation."""
        keys = await self._db.fetchall("SELECT id, user_id, wrapped FROM data_keys")
        meta = await self._db.fetchall("SELECT name, value FROM meta")
        return (
            [(int(r["id"]), int(r["user_id"]), bytes(r["wrapped"])) for r in keys],
            {str(r["name"]): bytes(r["value"]) for r in meta},
        )

    async def replace_all(self, data_keys: dict[int, bytes], meta: dict[str, bytes]) -> None:
        """Swap every wrapped blob in one transaction: a crash leaves either all old or all new."""
        async with self._db.transaction() as conn:
            for key_id, wrapped in data_keys.items():
                await conn.execute("UPDATE data_keys SET wrapped = ? WHERE id = ?", (wrapped, key_id))
            for name, value in meta.items():
                await conn.execute("UPDATE meta SET value = ? WHERE name = ?", (value, name))
