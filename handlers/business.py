"""The guard in the user's own private chats (Telegram Business → Chatbots): the connection and its
rights, and secrets either side posts in those chats, removed and reported to the owner privately."""

from __future__ import annotations

import contextlib

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.types import BusinessConnection, Message

from bot.guard.business import BusinessGuard
from bot.guard.detector import kind_group
from bot.guard.scanner import Leak
from bot.guard.service import Deleted
from bot.i18n import Html, Locales, Translator
from bot.keys import KeyService
from bot.users import UserService
from bot.venues.registry import VenueRegistry
from domain.models import BusinessLink
from handlers.filters import PrivateChat
from handlers.guard import ExposesSecret, compromised, kinds_text, remedies
from handlers.key_views import compromised_actions
from handlers.keyboards import rows


def status_text(t: Translator, link: BusinessLink) -> str:
    """What the connection lets the bot do, and which right is missing for the rest."""
    if not link.enabled:
        return t("biz-disconnected")
    lines = [t("biz-connected")]
    if not link.can_read:
        lines.append(t("biz-missing-read"))
    if not link.can_delete:
        lines.append(t("biz-missing-delete"))
    return "\n".join(lines)


async def on_connection(connection: BusinessConnection, bot: Bot, business: BusinessGuard, t: Translator) -> None:
    rights = connection.rights
    link = BusinessLink(connection.id, connection.user.id, can_read=bool(rights and rights.can_read_messages),
                        can_delete=bool(rights and rights.can_delete_all_messages), enabled=connection.is_enabled)
    await business.connected(link)
    with contextlib.suppress(TelegramAPIError):  # the owner may never have opened the bot's own chat
        await bot.send_message(connection.user_chat_id, status_text(t, link))


async def on_leak(message: Message, leak: Leak, bot: Bot, business: BusinessGuard, keys: KeyService,
                  venues: VenueRegistry, users: UserService, locales: Locales) -> None:
    link = await business.link(message.business_connection_id or "")
    if link is None or not link.enabled:
        return
    owner = await users.get(link.owner_id)
    # The owner's language, whoever sent the message: only the owner is ever told anything.
    t = locales.get(owner.language if owner else "en", owner.timezone if owner else "UTC")
    outcome = await business.delete(bot, link, message.message_id)
    mine = message.from_user is not None and message.from_user.id == link.owner_id
    peer = message.chat.first_name or message.chat.username or str(message.chat.id)
    kinds = kinds_text(t, leak)
    removed = outcome in (Deleted.YES, Deleted.GONE)
    key = ("biz-removed-" if removed else "biz-not-removed-") + ("own" if mine else "peer")
    lines = [t(key, kinds=kinds, peer=peer)]
    if not removed:
        lines.append(t("biz-missing-delete") if not link.can_delete else t("biz-too-old"))
    own = await compromised(keys, link.owner_id, leak, "business") if mine else []
    if mine:
        lines.append(t("biz-remedies", remedies=Html(remedies(t, leak, own, venues))))
        if any(kind_group(k) in ("seed", "wallet-key") for k in leak.kinds):
            lines.append(t("biz-scam-warning"))
    markup = rows(*[row for r in own[:3] for row in compromised_actions(t, r.id)]) if own else None
    with contextlib.suppress(TelegramAPIError):
        await bot.send_message(link.owner_id, "\n".join(lines), reply_markup=markup)


async def guard_private(message: Message, business: BusinessGuard, t: Translator) -> None:
    """/guard in the private chat: the user's Business connections, or how to make one."""
    links = await business.links(message.chat.id)
    if not links:
        await message.answer(t("biz-how-to"))
        return
    await message.answer("\n\n".join(status_text(t, link) for link in links))


def create_router() -> Router:
    router = Router(name="business")
    router.business_connection.register(on_connection)
    for observer in (router.business_message, router.edited_business_message):
        observer.register(on_leak, ExposesSecret())
    router.message.register(guard_private, PrivateChat(), Command("guard"))
    return router
