"""Users' preferences, for the handlers: the one way they read or change a user."""

from __future__ import annotations

from domain.models import User
from domain.ports import UserRepo


class UserService:
    def __init__(self, users: UserRepo) -> None:
        self._users = users

    async def get(self, user_id: int) -> User | None:
        return await self._users.get(user_id)

    async def get_or_create(self, user_id: int, language: str, now: int) -> User:
        return await self._users.get_or_create(user_id, language, now)

    async def set_language(self, user_id: int, language: str) -> User | None:
        await self._users.set_language(user_id, language)
        return await self._users.get(user_id)

    async def update(self, user_id: int, **prefs: object) -> User | None:
        """Change preferences (language, time zone, quiet hours, digest, reminder intervals) and return the
        user as now stored."""
        await self._users.update(user_id, **prefs)
        return await self._users.get(user_id)
