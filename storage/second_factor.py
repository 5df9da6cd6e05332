"""Each user's authenticator (TOTP): the secret as vault ciphertext, the last accepted time step and the
recovery codes as SHA-256 hashes. Nothing here opens without the master key."""

from __future__ import annotations

import json
from contextlib import AbstractAsyncContextManager

from domain.models import SecondFactorState
from storage.sql import Row, Sql


def _state(row: Row) -> SecondFactorState:
    return SecondFactorState(int(row["data_key_id"]), bytes(row["nonce"]), bytes(row["ciphertext"]),
                             bool(row["active"]), int(row["last_step"]), tuple(json.loads(row["recovery"])),
                             row["passed_until"])


class SecondFactorRepo:
    def __init__(self, db: Sql) -> None:
        self._db = db

    def transaction(self) -> AbstractAsyncContextManager[object]:
        return self._db.transaction()

    async def get(self, user_id: int) -> SecondFactorState | None:
        row = await self._db.fetchone("SELECT * FROM second_factor WHERE user_id = ?", (user_id,))
        return None if row is None else _state(row)

    async def put_pending(self, user_id: int, data_key_id: int, nonce: bytes, ciphertext: bytes, now: int) -> None:
        """A new secret awaiting its first code; replaces any earlier one, active or not."""
        await self._db.execute(
            "INSERT INTO second_factor(user_id, data_key_id, nonce, ciphertext, active, last_step, "
            "recovery, passed_until, updated_at) VALUES (?, ?, ?, ?, 0, 0, '[]', NULL, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET data_key_id = excluded.data_key_id, nonce = excluded.nonce, "
            "ciphertext = excluded.ciphertext, active = 0, last_step = 0, recovery = '[]', passed_until = NULL, "
            "updated_at = excluded.updated_at",
            (user_id, data_key_id, nonce, ciphertext, now))

    async def activate(self, user_id: int, step: int, recovery: list[str], now: int) -> None:
        await self._db.execute(
            "UPDATE second_factor SET active = 1, last_step = ?, recovery = ?, updated_at = ? WHERE user_id = ?",
            (step, json.dumps(recovery), now, user_id))

    async def accepted(self, user_id: int, step: int | None, recovery: list[str], passed_until: int,
                       now: int) -> None:
        """A right code (`step`: its time step) or a recovery code (`step` None, `recovery` without it)."""
        await self._db.execute(
            "UPDATE second_factor SET last_step = COALESCE(?, last_step), recovery = ?, passed_until = ?, "
            "updated_at = ? WHERE user_id = ?",
            (step, json.dumps(recovery), passed_until, now, user_id))

    async def spend(self, user_id: int) -> None:
        """The passphrase followed the code: the code's window is used up."""
        await self._db.execute("UPDATE second_factor SET passed_until = NULL WHERE user_id = ?", (user_id,))

    async def clear(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM second_factor WHERE user_id = ?", (user_id,))
