"""Users and their preferences."""

from __future__ import annotations

from storage.db import Database
from storage.models import User


class UserRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_or_create(self, user_id: int, language: str, now: int) -> User:
        row = await self._db.fetchone("SELECT id, language, timezone FROM users WHERE id = ?", (user_id,))
        if row is None:
            await self._db.execute(
                "INSERT OR IGNORE INTO users(id, language, created_at) VALUES (?, ?, ?)",
                (user_id, language, now),
            )
            return User(user_id, language)
        return User(int(row["id"]), str(row["language"]), str(row["timezone"]))

    async def set_language(self, user_id: int, language: str) -> None:
        await self._db.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))
