"""Users and their preferences."""

from __future__ import annotations

from domain.models import User
from storage.lru import LRU
from storage.sql import Announce, Row, Sql

_COLUMNS = "id, language, timezone, quiet_start, quiet_end, digest, digest_minute, unused_days, rotation_days"


def _user(row: Row) -> User:
    return User(int(row["id"]), str(row["language"]), str(row["timezone"]), row["quiet_start"], row["quiet_end"],
                bool(row["digest"]), int(row["digest_minute"]), int(row["unused_days"]), int(row["rotation_days"]))


class UserRepo:
    """Users are read on every update, so they are kept in memory once loaded. Every change goes through
    here; with several workers, each change is announced to the others, which drop their copy."""

    def __init__(self, db: Sql, cache_size: int = 100_000, announce: Announce | None = None) -> None:
        self._db = db
        self._cache: LRU[int, User | None] = LRU(cache_size)
        self._announce = announce  # other workers cache users too: they drop a changed one

    def forget(self, user_id: int) -> None:
        """Another worker changed this user: read it again next time."""
        self._cache.pop(user_id, None)

    async def _changed(self, user_id: int) -> None:
        announce = self._announce
        if announce is not None:
            await self._db.after_commit(lambda: announce("user", user_id))

    async def get_or_create(self, user_id: int, language: str, now: int) -> User:
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,))
        if row is None:
            await self._db.execute(
                "INSERT INTO users(id, language, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (user_id, language, now),
            )
            user = User(user_id, language)
            await self._changed(user_id)  # another worker may remember them as someone who never came
        else:
            user = _user(row)
        self._remember(user_id, user)
        return user

    async def get(self, user_id: int) -> User | None:
        """The user, or None for someone who never opened the bot (remembered too: group members
        are looked up on every message they send)."""
        if user_id in self._cache:
            return self._cache[user_id]
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,))
        user = None if row is None else _user(row)
        self._remember(user_id, user)
        return user

    def _remember(self, user_id: int, user: User | None) -> None:
        self._cache[user_id] = user

    async def exists(self, user_id: int) -> bool:
        return await self.get(user_id) is not None

    async def set_language(self, user_id: int, language: str) -> None:
        await self.update(user_id, language=language)

    async def update(self, user_id: int, **prefs: object) -> None:
        """Change preferences (column names from an allow-list)."""
        allowed = {"language", "timezone", "quiet_start", "quiet_end", "digest", "digest_minute", "unused_days",
                   "rotation_days"}
        if set(prefs) - allowed:
            raise ValueError(f"not a preference: {sorted(set(prefs) - allowed)}")
        assignments = ", ".join(f"{name} = ?" for name in prefs)
        await self._db.execute(f"UPDATE users SET {assignments} WHERE id = ?", (*prefs.values(), user_id))
        self._cache.pop(user_id, None)
        await self._changed(user_id)
