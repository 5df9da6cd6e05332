"""Small rendering helpers shared by the routers."""

from __future__ import annotations

import contextlib
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import Translator


async def show(event: Message | CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None,
               answer: bool = True) -> Message | None:
    """Edit the message a button belongs to, or answer a typed message with a new one. Returns the
    message now showing the screen (None when Telegram gave none back)."""
    if isinstance(event, CallbackQuery):
        if answer:
            with contextlib.suppress(TelegramBadRequest):
                await event.answer()
        if isinstance(event.message, Message):
            try:
                edited = await event.message.edit_text(text, reply_markup=markup)
            except TelegramBadRequest as exc:
                if "not modified" in exc.message:
                    return event.message
            else:
                return edited if isinstance(edited, Message) else event.message
            return await event.message.answer(text, reply_markup=markup)
        return None
    return await event.answer(text, reply_markup=markup)


async def strip_keyboard(bot: Bot, chat_id: int, message_id: int) -> None:
    """Take the buttons off an earlier prompt that was sent again, so only the newest copy has live ones."""
    with contextlib.suppress(TelegramBadRequest):
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)


async def delete_quietly(message: Message) -> bool:
    """Delete a user's message; False when Telegram refused (too old, no rights)."""
    try:
        await message.delete()
    except TelegramBadRequest:
        return False
    return True


def _zone(t: Translator) -> ZoneInfo:
    try:
        return ZoneInfo(t.tz)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def fmt_time(t: Translator, ts: int | None) -> str:
    """A moment in the user's time zone (times are stored in UTC)."""
    if ts is None:
        return t("time-never")
    return datetime.fromtimestamp(ts, _zone(t)).strftime("%Y-%m-%d %H:%M %Z")


def fmt_date(t: Translator, ts: int) -> str:
    return datetime.fromtimestamp(ts, _zone(t)).strftime("%Y-%m-%d")


def tz_label(name: str) -> str:
    """A time zone as people write it: "+3" is stored as Etc/GMT-3 (POSIX inverts the sign)."""
    if name.startswith("Etc/GMT") and name[7:]:
        offset = name[7:]
        return f"UTC{'+' if offset[0] == '-' else '-'}{offset[1:]}"
    return name


def fmt_duration(t: Translator, seconds: int) -> str:
    """A span in the two largest units: "3 d 4 h", "2 h 10 min", "5 min", "30 s"."""
    if 0 < seconds < 60:
        return t("duration-s", s=seconds)
    minutes = max(0, seconds) // 60
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return t("duration-dh", d=days, h=hours)
    if hours:
        return t("duration-hm", h=hours, m=mins)
    return t("duration-m", m=mins)
