"""The self-destructing reveal. Its deletion is recorded before the secret reaches the chat: a
protected placeholder is sent and scheduled for deletion first, and only then does it receive the
secret, so a crash at any point after that still deletes it on restart."""

from __future__ import annotations

import contextlib
import html

from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, CallbackQuery, InputMediaDocument

from bot.deletions import DeletionService
from bot.i18n import Translator
from bot.keys import KeyService
from domain.models import KeyRecord

# Telegram allows 4096 characters of text; leave room for the title and the field names.
TEXT_MAX = 3800


async def send(query: CallbackQuery, t: Translator, keys: KeyService, deletions: DeletionService,
               record: KeyRecord, seconds: int) -> None:
    """Reveal the key's credentials once; KeyGone (nothing sent) when the confirmation was already used."""
    message = query.message
    if message is None or message.chat.type != ChatType.PRIVATE or query.bot is None:
        await query.answer(t.plain("reveal-private-only"), show_alert=True)
        return
    bot, chat_id = query.bot, message.chat.id
    fields = (await keys.reveal(record)).fields  # consumes the confirmation: the key's version moves on
    with contextlib.suppress(TelegramBadRequest):
        await query.answer()
    body = [f"{t(f'field-{fid}')}:\n<tg-spoiler><code>{html.escape(value)}</code></tg-spoiler>"
            for fid, value in fields]
    if sum(len(line) for line in body) <= TEXT_MAX:
        placeholder = await bot.send_message(chat_id, t("reveal-preparing"), protect_content=True)
        await deletions.schedule(chat_id, placeholder.message_id, seconds)
        await bot.edit_message_text("\n".join([t("reveal-title", name=record.name, seconds=seconds), *body]),
                                    chat_id=chat_id, message_id=placeholder.message_id)
        return
    # A large PEM: a protected document, swapped in for a placeholder document the same way.
    plain = "\n\n".join(f"{t(f'field-{fid}')}:\n{value}" for fid, value in fields)
    stub = await bot.send_document(chat_id, BufferedInputFile(b"...", filename="reveal.txt"),
                                   caption=t("reveal-preparing"), protect_content=True)
    await deletions.schedule(chat_id, stub.message_id, seconds)
    await bot.edit_message_media(
        InputMediaDocument(media=BufferedInputFile(plain.encode(), filename="credentials.txt"),
                           caption=t("reveal-document", name=record.name, seconds=seconds)),
        chat_id=chat_id, message_id=stub.message_id)

