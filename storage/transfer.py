"""Moving an install from the SQLite file to PostgreSQL: every row copied as it is (ciphertext stays
ciphertext, so the same master key opens it), in one PostgreSQL transaction, into an empty database."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import StorageError
from storage.db import Database
from storage.pg import PostgresDatabase

# Parents before children (foreign keys); every table of the schema.
TABLES = (
    "meta", "users", "data_keys", "keys", "key_secrets", "key_fingerprints", "venue_sessions", "second_factor",
    "unlock", "audit", "leaks", "reminders", "reminder_mutes", "pending_deletions", "fsm", "group_guard",
    "group_exemptions", "leak_reminders", "business_connections",
)
_IDENTITIES = ("data_keys", "keys", "audit", "reminders", "leaks")  # ids PostgreSQL hands out


@dataclass(frozen=True)
class Moved:
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


async def sqlite_to_postgres(source: Database, target: PostgresDatabase) -> Moved:
    """Copy every table; refuse a target that already holds users or keys (no silent merge)."""
    for table in ("users", "keys", "data_keys"):
        row = await target.fetchone(f"SELECT COUNT(*) FROM {table}")
        if row is not None and int(row[0]) > 0:
            raise StorageError(f"the PostgreSQL database already has rows in {table}: migrate into an empty one")
    moved: dict[str, int] = {}
    async with target.transaction():
        for table in TABLES:
            rows = await source.fetchall(f"SELECT * FROM {table}")
            if rows:
                columns = list(rows[0].keys())
                marks = ", ".join("?" * len(columns))
                await target.executemany(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({marks})",
                                         [tuple(r) for r in rows])
            moved[table] = len(rows)
        for table in _IDENTITIES:  # the next id PostgreSQL gives continues after the copied ones
            await target.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) "
                f"FROM {table}")
    for table, count in moved.items():  # read back: what arrived is what left
        row = await target.fetchone(f"SELECT COUNT(*) FROM {table}")
        if row is None or int(row[0]) != count:
            raise StorageError(f"{table}: {count} rows copied but {row[0] if row else 0} arrived")
    return Moved(moved)
