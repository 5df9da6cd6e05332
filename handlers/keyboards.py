"""Keyboard builders shared by the routers."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from handlers.callbacks import FlowCb, LangCb, MenuCb


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def rows(*lines: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[line for line in lines if line])


def main_menu(t: Translator, draft_label: str | None = None) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if draft_label is not None:
        kb.row(button(t("btn-resume", draft=draft_label), MenuCb(action="resume")))
        kb.row(button(t("btn-discard"), MenuCb(action="discard")))
    kb.row(button(t("btn-add"), MenuCb(action="add")), button(t("btn-keys"), MenuCb(action="keys")))
    kb.row(button(t("btn-language"), MenuCb(action="lang")), button(t("btn-help"), MenuCb(action="help")))
    return kb.as_markup()


def nav(t: Translator, step: str, back: bool = True) -> list[InlineKeyboardButton]:
    line = [button(t("btn-back"), FlowCb(step=step, value="back"))] if back else []
    line.append(button(t("btn-cancel"), FlowCb(step=step, value="cancel")))
    return line


def languages() -> InlineKeyboardMarkup:
    return rows([button("English", LangCb(code="en")), button("Русский", LangCb(code="ru"))])
