"""Whatever no other handler took gets a way forward. (Secrets never get here: the guard removes them.)"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from handlers.keyboards import main_menu


async def any_message(message: Message, t: Translator) -> None:
    await message.answer(t("fallback"), reply_markup=main_menu(t))


async def any_button(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t.plain("button-outdated"), show_alert=True)


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.register(any_message)
    router.callback_query.register(any_button)
    return router
