"""Keys and their encrypted credential fields."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from typing import Any

from domain.errors import NameTaken
from domain.models import ExpiryKind, KeyRecord, KeyStatus, NewKey, SealedField
from storage.lru import LRU
from storage.sql import Announce, Conflict, Row, Sql

_LIVE = "status != 'deleted'"
_UPDATABLE = frozenset({
    "name", "status", "expiry_kind", "expires_at", "masked_id", "rotation_pending", "activated_at", "last_used_at",
    "last_verified_at", "verify_outcome", "verify_code", "deleted_at", "health_check", "rotated_at", "revealed_at",
    "compromised_at", "drift", "venue_state", "permissions", "ip_allowlist", "read_only", "storage",
})


def _column(value: Any) -> Any:
    if isinstance(value, ExpiryKind | KeyStatus):
        return value.value
    if isinstance(value, list | dict):
        return json.dumps(value)
    return int(value) if isinstance(value, bool) else value


def _record(row: Row) -> KeyRecord:
    return KeyRecord(
        id=int(row["id"]),
        owner_id=int(row["owner_id"]),
        venue=str(row["venue"]),
        environment=str(row["environment"]),
        name=str(row["name"]),
        permissions=list(json.loads(row["permissions"])),
        read_only=None if row["read_only"] is None else bool(row["read_only"]),
        ip_allowlist=list(json.loads(row["ip_allowlist"])),
        expiry_kind=ExpiryKind(row["expiry_kind"]),
        expires_at=row["expires_at"],
        status=KeyStatus(row["status"]),
        created_at=int(row["created_at"]),
        host=row["host"],
        masked_id=row["masked_id"],
        rotation_pending=bool(row["rotation_pending"]),
        activated_at=row["activated_at"],
        last_used_at=row["last_used_at"],
        last_verified_at=row["last_verified_at"],
        verify_outcome=row["verify_outcome"],
        verify_code=row["verify_code"],
        health_check=bool(row["health_check"]),
        rotated_at=row["rotated_at"],
        version=int(row["version"]),
        compromised_at=row["compromised_at"],
        drift=None if row["drift"] is None else list(json.loads(row["drift"])),
        venue_state=None if row["venue_state"] is None else dict(json.loads(row["venue_state"])),
        storage=str(row["storage"]),
    )


class KeyRepo:
    def __init__(self, db: Sql, cache_size: int = 100_000, announce: Announce | None = None) -> None:
        self._db = db
        self._announce = announce  # other workers cache fingerprints too: they drop theirs on a change
        # Fingerprints of each owner's stored secrets, loaded on first scan; any change to any
        # secret clears it (changes are rare, scans are on every message).
        self._fingerprints: LRU[int, dict[bytes, int]] = LRU(cache_size)
        # Who has any fingerprint at all: most senders the guard sees (group members) have none, and
        # need no query. None: to be loaded (after any change to stored secrets).
        self._holders: set[int] | None = None

    async def create(self, new: NewKey, now: int) -> int:
        try:
            return await self._db.insert(
                "INSERT INTO keys(owner_id, venue, environment, host, name, permissions, read_only, "
                "ip_allowlist, expiry_kind, expires_at, status, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    new.owner_id, new.venue, new.environment, new.host, new.name,
                    json.dumps(new.permissions), None if new.read_only is None else int(new.read_only),
                    json.dumps(new.ip_allowlist), new.expiry_kind.value, new.expires_at,
                    KeyStatus.PENDING.value, now,
                ),
            )
        except Conflict as exc:
            raise NameTaken(new.name) from exc

    async def get(self, owner_id: int, key_id: int) -> KeyRecord | None:
        """A live key, only when it belongs to `owner_id`: forged ids find nothing."""
        row = await self._db.fetchone(
            f"SELECT * FROM keys WHERE id = ? AND owner_id = ? AND {_LIVE}", (key_id, owner_id)
        )
        return _record(row) if row else None

    async def names(self, owner_id: int) -> dict[int, str]:
        """Every key's name, deleted ones included (the history still names them)."""
        rows = await self._db.fetchall("SELECT id, name FROM keys WHERE owner_id = ?", (owner_id,))
        return {int(r["id"]): str(r["name"]) for r in rows}

    async def list_live(self, owner_id: int) -> list[KeyRecord]:
        rows = await self._db.fetchall(
            f"SELECT * FROM keys WHERE owner_id = ? AND {_LIVE} ORDER BY venue, environment, lower(name)",
            (owner_id,),
        )
        return [_record(r) for r in rows]

    async def count(
        self, owner_id: int, venue: str, statuses: Iterable[KeyStatus],
        environment: str | None = None, host: str | None = None,
    ) -> int:
        wanted = [s.value for s in statuses]
        marks = ",".join("?" * len(wanted))
        sql = f"SELECT COUNT(*) FROM keys WHERE owner_id = ? AND venue = ? AND status IN ({marks})"
        params: list[Any] = [owner_id, venue, *wanted]
        if environment is not None:
            sql += " AND environment = ?"
            params.append(environment)
        if host is not None:
            sql += " AND host = ?"
            params.append(host)
        row = await self._db.fetchone(sql, params)
        return int(row[0]) if row else 0

    async def name_taken(self, owner_id: int, venue: str, name: str, except_id: int | None = None) -> bool:
        row = await self._db.fetchone(
            f"SELECT 1 FROM keys WHERE owner_id = ? AND venue = ? AND lower(name) = lower(?) AND {_LIVE} "
            "AND id != ?",
            (owner_id, venue, name, except_id or 0),
        )
        return row is not None

    async def update(self, owner_id: int, key_id: int, **fields: Any) -> None:
        """Set columns of one live key owned by `owner_id`."""
        await self.update_if(owner_id, key_id, {}, **fields)

    async def update_if(self, owner_id: int, key_id: int, expected: dict[str, Any], **fields: Any) -> bool:
        """Set columns of one live key owned by `owner_id` only while the `expected` columns hold those
        values (a compare-and-set); bumps the key's version. False when nothing matched."""
        unknown = (set(fields) | set(expected)) - _UPDATABLE - ({"version"} & set(expected))
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        assignments = ", ".join([*(f"{name} = ?" for name in fields), "version = version + 1"])
        conditions = "".join(f" AND {name} = ?" for name in expected)
        try:
            changed = await self._db.execute_count(
                f"UPDATE keys SET {assignments} WHERE id = ? AND owner_id = ? AND {_LIVE}{conditions}",
                (*map(_column, fields.values()), key_id, owner_id, *map(_column, expected.values())),
            )
        except Conflict as exc:
            raise NameTaken(str(fields.get("name", ""))) from exc
        return changed > 0

    # --- credential fields -------------------------------------------------------------------

    async def put_secret(self, key_id: int, slot: str, sealed: SealedField) -> None:
        async with self._db.transaction():
            await self._secrets_changed()
            await self._db.execute(
                "INSERT INTO key_secrets(key_id, slot, field, data_key_id, nonce, ciphertext, fingerprint) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key_id, slot, field) DO UPDATE SET "
                "data_key_id = excluded.data_key_id, nonce = excluded.nonce, ciphertext = excluded.ciphertext, "
                "fingerprint = excluded.fingerprint",
                (key_id, slot, sealed.field, sealed.data_key_id, sealed.nonce, sealed.ciphertext,
                 sealed.fingerprint),
            )

    async def secrets(self, key_id: int, slot: str) -> list[SealedField]:
        rows = await self._db.fetchall(
            "SELECT field, data_key_id, nonce, ciphertext, fingerprint FROM key_secrets "
            "WHERE key_id = ? AND slot = ?",
            (key_id, slot),
        )
        return [
            SealedField(str(r["field"]), int(r["data_key_id"]), bytes(r["nonce"]), bytes(r["ciphertext"]),
                        bytes(r["fingerprint"]))
            for r in rows
        ]

    async def drop_slot(self, key_id: int, slot: str) -> None:
        async with self._db.transaction():
            await self._secrets_changed()
            await self._db.execute("DELETE FROM key_secrets WHERE key_id = ? AND slot = ?", (key_id, slot))

    def transaction(self) -> AbstractAsyncContextManager[object]:
        """A unit of work for a service: repository calls inside it commit together."""
        return self._db.transaction()

    async def promote_staged(self, key_id: int, keep_previous: bool) -> None:
        """staged → current. With `keep_previous` the old current becomes previous (a rotation);
        otherwise the old current is destroyed and any previous is left as it is."""
        async with self._db.transaction():
            await self._secrets_changed()
            if keep_previous:
                await self._db.execute("DELETE FROM key_secrets WHERE key_id = ? AND slot = 'previous'", (key_id,))
                await self._db.execute(
                    "UPDATE key_secrets SET slot = 'previous' WHERE key_id = ? AND slot = 'current'", (key_id,)
                )
            else:
                await self._db.execute("DELETE FROM key_secrets WHERE key_id = ? AND slot = 'current'", (key_id,))
            await self._db.execute(
                "UPDATE key_secrets SET slot = 'current' WHERE key_id = ? AND slot = 'staged'", (key_id,)
            )

    async def restore_previous(self, key_id: int) -> bool:
        """Roll a rotation back: previous → current, the new credentials destroyed. False (and nothing
        changed) when there is no previous set to go back to."""
        async with self._db.transaction():
            await self._secrets_changed()
            if await self._db.fetchone(
                    "SELECT 1 FROM key_secrets WHERE key_id = ? AND slot = 'previous' LIMIT 1", (key_id,)) is None:
                return False
            await self._db.execute("DELETE FROM key_secrets WHERE key_id = ? AND slot = 'current'", (key_id,))
            await self._db.execute(
                "UPDATE key_secrets SET slot = 'current' WHERE key_id = ? AND slot = 'previous'", (key_id,)
            )
        return True

    async def destroy(self, owner_id: int, key_id: int, now: int) -> None:
        """Delete the key: its secret material is erased (secure_delete zeroes the pages)."""
        async with self._db.transaction():
            await self._secrets_changed()
            await self._db.execute("DELETE FROM key_secrets WHERE key_id = ?", (key_id,))
            await self._db.execute("DELETE FROM key_fingerprints WHERE key_id = ?", (key_id,))
            await self._db.execute(
                "UPDATE keys SET status = 'deleted', deleted_at = ?, masked_id = NULL, version = version + 1 "
                "WHERE id = ? AND owner_id = ?",
                (now, key_id, owner_id),
            )

    async def keep_fingerprints_only(self, key_id: int) -> int:
        """Destroy every sealed field of the key (all slots), keeping their fingerprints; how many went."""
        async with self._db.transaction():
            await self._secrets_changed()
            await self._db.execute(
                "INSERT INTO key_fingerprints(key_id, fingerprint) "
                "SELECT key_id, fingerprint FROM key_secrets WHERE key_id = ? ON CONFLICT DO NOTHING", (key_id,))
            return await self._db.execute_count("DELETE FROM key_secrets WHERE key_id = ?", (key_id,))

    def forget_fingerprints(self) -> None:
        """Stored secrets changed (here or, announced, in another worker): load them again when needed."""
        self._fingerprints.clear()
        self._holders = None

    async def _secrets_changed(self) -> None:
        """Inside the unit of work that changes stored secrets: caches dropped now, and again once it is
        committed (a scan in between read what was committed then), and the other workers told."""
        self.forget_fingerprints()

        async def committed() -> None:
            self.forget_fingerprints()
            if self._announce is not None:
                await self._announce("secrets", 0)

        await self._db.after_commit(committed)

    async def owned_fingerprints(self, owner_id: int) -> dict[bytes, int]:
        """Fingerprint → key id for every secret this owner has stored (any slot)."""
        if self._holders is None:
            rows = await self._db.fetchall(
                "SELECT DISTINCT owner_id FROM keys WHERE status != 'deleted' AND (id IN "
                "(SELECT key_id FROM key_secrets) OR id IN (SELECT key_id FROM key_fingerprints))")
            self._holders = {int(r[0]) for r in rows}
        if owner_id not in self._holders:
            return {}
        known = self._fingerprints.get(owner_id)
        if known is None:
            rows = await self._db.fetchall(
                "SELECT s.fingerprint, s.key_id FROM key_secrets s JOIN keys k ON k.id = s.key_id "
                "WHERE k.owner_id = ? UNION ALL "
                "SELECT f.fingerprint, f.key_id FROM key_fingerprints f JOIN keys k ON k.id = f.key_id "
                "WHERE k.owner_id = ? AND k.status != 'deleted'",
                (owner_id, owner_id),
            )
            known = {bytes(r[0]): int(r[1]) for r in rows}
            self._fingerprints[owner_id] = known
        return known
