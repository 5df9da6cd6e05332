"""What the private-chat features answer in a group: keys are never shown or changed there, and the
commands point to the private chat instead."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.i18n import Translator
from handlers.filters import GroupChat

PRIVATE_COMMANDS = ("start", "add", "keys", "report", "settings", "help", "language", "cancel")


async def open_private(message: Message, bot: Bot, t: Translator) -> None:
    me = await bot.me()
    link = f"https://t.me/{me.username}" if me.username else ""
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=t("btn-open-private"), url=link)]])
    await message.reply(t("open-private-chat", link=link), reply_markup=markup if link else None)


async def group_button(query: CallbackQuery, t: Translator) -> None:
    """Any button pressed outside a private chat (a forged one: the bot draws none there)."""
    await query.answer(t.plain("key-actions-private"), show_alert=True)


def create_router() -> Router:
    router = Router(name="groups")
    router.message.register(open_private, GroupChat(), Command(*PRIVATE_COMMANDS))
    router.callback_query.register(group_button)
    return router
