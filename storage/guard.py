"""Guard settings per group, exempt users, and reminders about leaked messages still to delete."""

from __future__ import annotations

from domain.models import GroupGuard, LeakReminder
from storage.sql import Sql


class GuardRepo:
    def __init__(self, db: Sql) -> None:
        self._db = db

    async def group(self, chat_id: int) -> GroupGuard:
        row = await self._db.fetchone("SELECT mode, warned_no_rights FROM group_guard WHERE chat_id = ?", (chat_id,))
        if row is None:
            return GroupGuard(chat_id, "on", False)
        return GroupGuard(chat_id, str(row["mode"]), bool(row["warned_no_rights"]))

    async def set_mode(self, chat_id: int, mode: str, now: int) -> None:
        await self._db.execute(
            "INSERT INTO group_guard(chat_id, mode, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(chat_id) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at",
            (chat_id, mode, now),
        )

    async def set_warned(self, chat_id: int, warned: bool, now: int) -> None:
        await self._db.execute(
            "INSERT INTO group_guard(chat_id, warned_no_rights, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(chat_id) DO UPDATE SET warned_no_rights = excluded.warned_no_rights, "
            "updated_at = excluded.updated_at",
            (chat_id, int(warned), now),
        )

    async def is_exempt(self, chat_id: int, user_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM group_exemptions WHERE chat_id = ? AND user_id = ?", (chat_id, user_id))
        return row is not None

    async def set_exempt(self, chat_id: int, user_id: int, exempt: bool) -> None:
        if exempt:
            await self._db.execute(
                "INSERT INTO group_exemptions(chat_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (chat_id, user_id))
        else:
            await self._db.execute(
                "DELETE FROM group_exemptions WHERE chat_id = ? AND user_id = ?", (chat_id, user_id))

    async def exemptions(self, chat_id: int) -> list[int]:
        rows = await self._db.fetchall("SELECT user_id FROM group_exemptions WHERE chat_id = ?", (chat_id,))
        return [int(r[0]) for r in rows]

    # --- reminders about messages the bot could not delete -----------------------------------------

    async def remind(self, chat_id: int, message_id: int, user_id: int, kinds: str, at: int, now: int) -> None:
        await self._db.execute(
            "INSERT INTO leak_reminders(chat_id, message_id, user_id, kinds, remind_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(chat_id, message_id) DO UPDATE SET user_id = excluded.user_id, "
            "kinds = excluded.kinds, remind_at = excluded.remind_at, created_at = excluded.created_at",
            (chat_id, message_id, user_id, kinds, at, now),
        )

    async def claim_reminders(self, now: int, next_at: int, limit: int = 100) -> list[LeakReminder]:
        """The due reminders, each moved on to `next_at` in the same statement: one worker takes each,
        and one that dies before reminding reminds at the next round."""
        rows = await self._db.write_returning(
            "UPDATE leak_reminders SET remind_at = ? WHERE (chat_id, message_id) IN ("
            "SELECT chat_id, message_id FROM leak_reminders WHERE remind_at <= ? "
            f"ORDER BY remind_at LIMIT ?{self._db.skip_locked}) "
            "RETURNING chat_id, message_id, user_id, kinds, created_at",
            (next_at, now, limit),
        )
        return sorted((LeakReminder(int(r[0]), int(r[1]), int(r[2]), str(r[3]), int(r[4])) for r in rows),
                      key=lambda r: (r.created_at, r.chat_id, r.message_id))

    async def forget(self, chat_id: int, message_id: int, user_id: int) -> bool:
        """Stop reminding; only the user it concerns can. Returns whether there was such a reminder."""
        row = await self._db.fetchone(
            "SELECT 1 FROM leak_reminders WHERE chat_id = ? AND message_id = ? AND user_id = ?",
            (chat_id, message_id, user_id))
        await self._db.execute(
            "DELETE FROM leak_reminders WHERE chat_id = ? AND message_id = ? AND user_id = ?",
            (chat_id, message_id, user_id))
        return row is not None
