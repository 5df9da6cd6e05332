"""aiogram routers only: thin handlers, one module per area, keyboards and callback data beside them."""

from aiogram import Router
from aiogram.enums import ChatType
from aiogram.filters import Filter
from aiogram.types import Message

from handlers import add_key, credentials, fallback, keys, menu


class PrivateChat(Filter):
    """An async filter: aiogram runs synchronous (magic) filters in a thread pool, ~200 µs each."""

    async def __call__(self, message: Message) -> bool:
        return message.chat.type == ChatType.PRIVATE


def build_router() -> Router:
    """Private-chat routers; order matters: the fallback comes last."""
    root = Router(name="root")
    root.message.filter(PrivateChat())
    for module in (menu, keys, add_key, credentials, fallback):
        root.include_router(module.create_router())
    return root
