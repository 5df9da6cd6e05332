"""Whatever no other handler took: secrets are removed, everything else gets a way forward."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.guard.scanner import SecretScanner
from bot.i18n import Translator
from handlers.keyboards import main_menu
from handlers.ui import delete_quietly


async def any_message(message: Message, t: Translator, user_id: int, scanner: SecretScanner) -> None:
    text = message.text or message.caption
    if text and await scanner.scan(user_id, text):
        deleted = await delete_quietly(message)
        await message.answer(t("secret-removed" if deleted else "secret-not-removed"))
        return
    await message.answer(t("fallback"), reply_markup=main_menu(t))


async def any_button(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("button-outdated"), show_alert=True)


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.register(any_message)
    router.callback_query.register(any_button)
    return router
