"""The plain-chat path, first among the private routers: a message that is no command, sent outside any
flow, is answered by the fallback at once instead of being offered to every router's filters first.
(Every other private message handler needs a command or a flow state, so nothing else would take it.)"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Filter
from aiogram.types import Message

from handlers.fallback import any_message


class PlainChat(Filter):
    """Outside any flow, and not a command. Async: aiogram runs a synchronous filter in a thread."""

    async def __call__(self, message: Message, raw_state: str | None = None) -> bool:
        text = message.text if message.text is not None else message.caption
        return raw_state is None and not (text or "").startswith("/")


def create_router() -> Router:
    router = Router(name="plain")
    router.message.register(any_message, PlainChat())
    return router
