"""Loads the user once per update and hands handlers their record and their language's texts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, Update
from aiogram.types import User as TgUser

from bot.i18n import Locales, pick_language
from bot.users import UserService
from domain.clock import Clock
from domain.models import User


class UserContext(BaseMiddleware):
    def __init__(self, users: UserService, locales: Locales, clock: Clock) -> None:
        self._users = users
        self._locales = locales
        self._clock = clock

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        tg_user: TgUser | None = data.get("event_from_user")
        if tg_user is None:
            return None
        chat: Chat | None = data.get("event_chat")
        language = pick_language(tg_user.language_code)
        if chat is None or (chat.type == "private" and not _business(event)):
            user = await self._users.get_or_create(tg_user.id, language, int(self._clock.now().timestamp()))
        else:
            # Group members, and the people a Business owner chats with, are not users until they open
            # the bot: nothing is stored about them.
            user = await self._users.get(tg_user.id) or User(tg_user.id, language)
        data["user"] = user
        data["user_id"] = user.id
        data["t"] = self._locales.get(user.language, user.timezone)
        return await handler(event, data)


class ServicesByName(BaseMiddleware):
    """Hands the handler that runs the services it names among its parameters (keys, venues, stepup…).

    They are not dispatcher workflow data on purpose: aiogram copies every data entry at each router,
    filter and handler check an update passes (a setup button passes 14 routers and ~38 checks), so
    fifteen services there cost ~100 µs of CPU per update. As an inner middleware of the root's
    observers this runs once, for the handler that matched (and for the error handler)."""

    def __init__(self, services: dict[str, Any]) -> None:
        self.services = services

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data.update(self.services)
        return await handler(event, data)


def _business(event: TelegramObject) -> bool:
    """A message in someone's own private chat, seen through their Business connection."""
    return isinstance(event, Update) and (event.business_message is not None
                                          or event.edited_business_message is not None)


class ScopedStorage(Protocol):
    """FSM storage that can run one update's changes as a unit (storage.fsm.SQLiteStorage)."""

    def scope(self) -> AbstractAsyncContextManager[None]: ...


class PersistState(BaseMiddleware):
    """Runs each update in an FSM scope: its state changes reach SQLite before the update is done, or
    are undone when the update fails (the error handler then says that nothing was saved)."""

    def __init__(self, storage: ScopedStorage) -> None:
        self._storage = storage

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        async with self._storage.scope():
            return await handler(event, data)
