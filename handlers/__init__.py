"""aiogram routers only: thin handlers, one module per area, keyboards and callback data beside them."""

from aiogram import F, Router
from aiogram.enums import ChatType

from handlers import add_key, credentials, fallback, keys, menu


def build_router() -> Router:
    """Private-chat routers; order matters: the fallback comes last."""
    root = Router(name="root")
    root.message.filter(F.chat.type == ChatType.PRIVATE)
    for child in (menu.router, keys.router, add_key.router, credentials.router, fallback.router):
        root.include_router(child)
    return root
