"""Typed callback data. Short prefixes and ids only: never a secret, never a user-typed name."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class MenuCb(CallbackData, prefix="m"):
    action: str  # add | keys | help | lang | resume | discard | home


class LangCb(CallbackData, prefix="l"):
    code: str


class FlowCb(CallbackData, prefix="f"):
    step: str  # the step the button belongs to (outdated buttons are refused)
    value: str


class KeyCb(CallbackData, prefix="k"):
    id: int
    action: str
    arg: str = ""


class PageCb(CallbackData, prefix="p"):
    page: int


class LeakCb(CallbackData, prefix="g"):
    """A reminder about a leaked message the bot could not delete."""

    chat: int
    msg: int
    action: str  # done | dismiss


class RemCb(CallbackData, prefix="r"):
    """An action on a reminder: the row's id, looked up with the presser's id."""

    id: int
    action: str  # d (1 day) | w (1 week) | used | off | mute


class SetCb(CallbackData, prefix="s"):
    """A settings button."""

    field: str
    value: str = ""
