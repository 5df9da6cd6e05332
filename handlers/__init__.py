"""aiogram routers only: thin handlers, one module per area, keyboards and callback data beside them."""

from aiogram import F, Router
from aiogram.enums import ChatType

from handlers import add_key, credentials, fallback, keys, menu


def build_router() -> Router:
    """Private-chat routers; order matters: the fallback comes last."""
    root = Router(name="root")
    root.message.filter(F.chat.type == ChatType.PRIVATE)
    for module in (menu, keys, add_key, credentials, fallback):
        root.include_router(module.create_router())
    return root
