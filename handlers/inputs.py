"""Typed answers that are really credentials: removed before anything stores or repeats them."""

from __future__ import annotations

from aiogram.types import Message

from bot.i18n import Translator
from bot.inputs import looks_like_credential
from handlers.ui import delete_quietly


async def refuse_credential_paste(message: Message, t: Translator) -> bool:
    """True when the message held something shaped like a key or secret: it is deleted (never kept
    as a name, never echoed back) and the user is told why."""
    text = message.text or message.caption or ""
    if not looks_like_credential(text):
        return False
    deleted = await delete_quietly(message)
    await message.answer(t("wrong-step-credential" if deleted else "wrong-step-credential-undeleted"))
    return True
