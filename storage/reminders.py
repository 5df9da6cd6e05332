"""Reminder rows: planned per key (and per user for abandoned setups), claimed before sending and
marked sent after, so a reminder goes out once."""

from __future__ import annotations

from collections.abc import Iterable

from domain.models import ReminderRow
from storage.sql import Row, Sql

_INSERT = ("INSERT INTO reminders(owner_id, key_id, kind, due_at, send_after) VALUES (?, ?, ?, ?, ?) "
           "ON CONFLICT DO NOTHING")


# Due, or claimed by a worker whose lease ran out (it died between claiming and recording).
_CLAIMABLE = ("send_after <= ? AND (state = 'due' OR (state = 'sending' AND "
              "(lease_until IS NULL OR lease_until <= ?)))")


def _row(r: Row) -> ReminderRow:
    return ReminderRow(int(r[0]), int(r[1]), int(r[2]), str(r[3]), int(r[4]), int(r[5]), str(r[6]))


class ReminderRepo:
    def __init__(self, db: Sql) -> None:
        self._db = db

    async def plan(self, owner_id: int, key_id: int, plan: Iterable[tuple[str, int]]) -> None:
        """Make the pending rows of this key (or user, key_id 0) exactly `plan`; sent rows stay sent,
        so re-planning never repeats a reminder."""
        wanted = set(plan)
        async with self._db.transaction():
            rows = await self._db.fetchall(
                "SELECT id, kind, due_at FROM reminders WHERE owner_id = ? AND key_id = ? AND state = 'due'",
                (owner_id, key_id))
            stale = [(int(r[0]),) for r in rows if (str(r[1]), int(r[2])) not in wanted]
            if stale:
                await self._db.executemany("UPDATE reminders SET state = 'cancelled' WHERE id = ?", stale)
            if wanted:
                await self._db.executemany(_INSERT, [(owner_id, key_id, kind, due, due) for kind, due in wanted])

    async def add(self, owner_id: int, key_id: int, kind: str, due_at: int) -> None:
        """One extra reminder (a snooze)."""
        await self._db.execute(_INSERT, (owner_id, key_id, kind, due_at, due_at))

    async def due(self, now: int, limit: int = 500) -> list[ReminderRow]:
        """Pending rows whose time has come (also claimed ones whose claim ran out), without claiming."""
        rows = await self._db.fetchall(
            f"SELECT id, owner_id, key_id, kind, due_at, send_after, state FROM reminders WHERE {_CLAIMABLE} "
            "ORDER BY send_after LIMIT ?", (now, now, limit))
        return [_row(r) for r in rows]

    async def claim_due(self, now: int, lease_until: int, limit: int) -> list[ReminderRow]:
        """Take the due rows (state 'sending', leased until `lease_until`) in one statement: workers
        claiming at once get different rows; a worker that dies leaves them to the lease's end."""
        rows = await self._db.write_returning(
            "UPDATE reminders SET state = 'sending', lease_until = ? WHERE id IN ("
            f"SELECT id FROM reminders WHERE {_CLAIMABLE} ORDER BY send_after LIMIT ?{self._db.skip_locked}) "
            "RETURNING id, owner_id, key_id, kind, due_at, send_after, state", (lease_until, now, now, limit))
        return sorted((_row(r) for r in rows), key=lambda r: (r.send_after, r.id))

    async def release(self, ids: list[int]) -> None:
        """Claimed but not acted on this time (more than one message's worth): due again at once."""
        await self._db.executemany("UPDATE reminders SET state = 'due', lease_until = NULL WHERE id = ?",
                                   [(i,) for i in ids])

    async def postpone(self, ids: list[int], until: int) -> None:
        await self._db.executemany("UPDATE reminders SET send_after = ?, state = 'due', lease_until = NULL "
                                   "WHERE id = ?",
                                   [(until, i) for i in ids])

    async def finish(self, ids: list[int], state: str, now: int) -> None:
        await self._db.executemany("UPDATE reminders SET state = ?, sent_at = ? WHERE id = ?",
                                   [(state, now, i) for i in ids])

    async def cancel_key(self, key_id: int) -> None:
        await self._db.execute(
            "UPDATE reminders SET state = 'cancelled' WHERE key_id = ? AND state IN ('due', 'sending')", (key_id,))

    async def row(self, owner_id: int, row_id: int) -> ReminderRow | None:
        r = await self._db.fetchone(
            "SELECT id, owner_id, key_id, kind, due_at, send_after, state FROM reminders WHERE id = ? AND owner_id = ?",
            (row_id, owner_id))
        return None if r is None else _row(r)

    async def snooze(self, owner_id: int, row_id: int, until: int) -> bool:
        """Pending again from `until`, whatever state it was in; only its owner can."""
        return await self._db.execute_count(
            "UPDATE reminders SET state = 'due', send_after = ? WHERE id = ? AND owner_id = ?",
            (until, row_id, owner_id)) > 0

    async def mute_row(self, owner_id: int, row_id: int) -> bool:
        """No more reminders of this row's kind for its key."""
        row = await self.row(owner_id, row_id)
        if row is None or row.key_id == 0:
            return False
        await self.mute(row.key_id, row.kind)
        await self._db.execute(
            "UPDATE reminders SET state = 'cancelled' WHERE key_id = ? AND kind = ? AND state = 'due'",
            (row.key_id, row.kind))
        return True

    async def mute(self, key_id: int, kind: str) -> None:
        await self._db.execute("INSERT INTO reminder_mutes(key_id, kind) VALUES (?, ?) ON CONFLICT DO NOTHING",
                               (key_id, kind))

    async def muted(self, key_id: int) -> set[str]:
        rows = await self._db.fetchall("SELECT kind FROM reminder_mutes WHERE key_id = ?", (key_id,))
        return {str(r[0]) for r in rows}

    async def stale_drafts(self, older_than: int) -> list[tuple[int, int]]:
        """Setup drafts untouched since `older_than`: (user id, updated at)."""
        rows = await self._db.fetchall(
            "SELECT user_id, updated_at FROM fsm WHERE has_draft = 1 AND updated_at <= ? AND user_id IS NOT NULL",
            (older_than,))
        return [(int(r[0]), int(r[1])) for r in rows]

    async def draft_updated_at(self, owner_id: int) -> int | None:
        row = await self._db.fetchone(
            "SELECT MAX(updated_at) FROM fsm WHERE user_id = ? AND has_draft = 1", (owner_id,))
        return int(row[0]) if row and row[0] is not None else None
