"""aiogram routers only: thin handlers, one module per area, keyboards and callback data beside them."""

from aiogram import Router

from handlers import (
    add_key,
    broker,
    business,
    credentials,
    errors,
    fallback,
    groups,
    guard,
    history,
    keys,
    menu,
    panic,
    plain,
    reminders,
    settings,
    stepup,
)
from handlers.filters import PrivateButton, PrivateChat


def build_router() -> Router:
    """The guard sees every message first; the rest is for private chats. The fallback comes last."""
    root = Router(name="root")
    root.include_router(errors.create_router())
    root.include_router(guard.create_router())
    root.include_router(business.create_router())
    private = Router(name="private")
    private.message.filter(PrivateChat())
    private.callback_query.filter(PrivateButton())
    # Plain chat first: most private messages are that, and nothing after it would take them.
    for module in (plain, stepup, panic, history, menu, settings, keys, add_key, credentials, broker, reminders,
                   fallback):
        private.include_router(module.create_router())
    root.include_router(private)
    root.include_router(groups.create_router())
    return root
