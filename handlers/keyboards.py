"""Keyboard builders shared by the routers."""

from __future__ import annotations

from functools import lru_cache

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from handlers.callbacks import FlowCb, LangCb, MenuCb


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return _button(text, data.pack())


@lru_cache(maxsize=8192)
def _button(text: str, packed: str) -> InlineKeyboardButton:
    # Buttons are never mutated, so equal ones are shared: pydantic validation is the hot path's main cost.
    return InlineKeyboardButton(text=text, callback_data=packed)


def rows(*lines: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[line for line in lines if line])


def grid(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    """Buttons in rows of `width`. (InlineKeyboardBuilder deep-copies on every call: too slow here.)"""
    return [buttons[i:i + width] for i in range(0, len(buttons), width)]


@lru_cache(maxsize=1024)
def main_menu(t: Translator, draft_label: str | None = None) -> InlineKeyboardMarkup:
    lines = []
    if draft_label is not None:
        lines += [[button(t.plain("btn-resume", draft=draft_label), MenuCb(action="resume"))],
                  [button(t("btn-discard"), MenuCb(action="discard"))]]
    lines += [[button(t("btn-add"), MenuCb(action="add")), button(t("btn-keys"), MenuCb(action="keys"))],
              [button(t("btn-report"), MenuCb(action="report")), button(t("btn-settings"), MenuCb(action="settings"))],
              [button(t("btn-language"), MenuCb(action="lang")), button(t("btn-help"), MenuCb(action="help"))]]
    return InlineKeyboardMarkup(inline_keyboard=lines)


def nav(t: Translator, step: str, draft: str = "", back: bool = True) -> list[InlineKeyboardButton]:
    line = [button(t("btn-back"), FlowCb(step=step, value="back", draft=draft))] if back else []
    line.append(button(t("btn-cancel"), FlowCb(step=step, value="cancel", draft=draft)))
    return line


@lru_cache(maxsize=1)
def languages() -> InlineKeyboardMarkup:
    return rows([button("English", LangCb(code="en")), button("Русский", LangCb(code="ru"))])
