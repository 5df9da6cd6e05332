"""Async filters for the hot path: aiogram runs synchronous (magic) filters in a thread pool."""

from __future__ import annotations

from aiogram.enums import ChatType
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message


class PrivateChat(Filter):
    async def __call__(self, message: Message) -> bool:
        return message.chat.type == ChatType.PRIVATE


class PrivateButton(Filter):
    """A button on a message in a private chat: the only place key and flow buttons act."""

    async def __call__(self, query: CallbackQuery) -> bool:
        return query.message is not None and query.message.chat.type == ChatType.PRIVATE


class GroupChat(Filter):
    async def __call__(self, message: Message) -> bool:
        return message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


class CommandOrState(Filter):
    """For routers whose message handlers are commands or steps of a flow: ordinary chat skips the
    whole router with this one check instead of trying each handler's filters."""

    async def __call__(self, message: Message, raw_state: str | None = None) -> bool:
        return raw_state is not None or (message.text or "").startswith("/")
