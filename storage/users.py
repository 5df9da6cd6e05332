"""Users and their preferences."""

from __future__ import annotations

from storage.db import Database
from storage.models import User


class UserRepo:
    """Users are read on every update, so they are kept in memory once loaded (this process is the
    only writer, and every change goes through here)."""

    CACHE_LIMIT = 100_000

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[int, User] = {}

    async def get_or_create(self, user_id: int, language: str, now: int) -> User:
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached
        row = await self._db.fetchone("SELECT id, language, timezone FROM users WHERE id = ?", (user_id,))
        if row is None:
            await self._db.execute(
                "INSERT OR IGNORE INTO users(id, language, created_at) VALUES (?, ?, ?)",
                (user_id, language, now),
            )
            user = User(user_id, language)
        else:
            user = User(int(row["id"]), str(row["language"]), str(row["timezone"]))
        if len(self._cache) >= self.CACHE_LIMIT:
            self._cache.clear()
        self._cache[user_id] = user
        return user

    async def get(self, user_id: int) -> User | None:
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached
        row = await self._db.fetchone("SELECT id, language, timezone FROM users WHERE id = ?", (user_id,))
        return None if row is None else User(int(row["id"]), str(row["language"]), str(row["timezone"]))

    async def exists(self, user_id: int) -> bool:
        return await self.get(user_id) is not None

    async def set_language(self, user_id: int, language: str) -> None:
        await self._db.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))
        self._cache.pop(user_id, None)
