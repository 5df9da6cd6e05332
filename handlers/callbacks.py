"""Typed callback data. Short prefixes and ids only: never a secret, never a user-typed name."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Row ids are SQLite integers: anything outside that range is forged, and must not even parse.
RowId = Annotated[int, Field(ge=0, lt=2**63)]


class MenuCb(CallbackData, prefix="m"):
    action: str  # add | keys | help | lang | resume | discard | home


class LangCb(CallbackData, prefix="l"):
    code: str


class FlowCb(CallbackData, prefix="f"):
    step: str  # the step the button belongs to (outdated buttons are refused)
    value: str
    draft: str = ""  # the id of the draft it was drawn for: a button of another setup is refused


class KeyAction(StrEnum):
    """Every key-card action; the value is what the button carries (kept short: 64 bytes in all)."""

    CARD = "card"
    PASTE_CANCELLED = "pcancel"
    PASTE = "creds"
    ROTATE = "rot"
    VERIFY = "ver"
    RENAME = "ren"
    EXPIRY = "exp"
    REVEAL_ASK = "rev"
    FINGERPRINT_ASK = "fp"
    LOCK_ASK = "lockp"
    SERVER_ASK = "srv"
    HISTORY = "hist"
    DELETE_ASK = "del"
    REMEMBER_SESSION = "bremember"
    REVOKED = "revoked"
    FIX_ON_VENUE = "fixv"
    ROTATION_OK = "rok"
    ROTATION_BACK = "rrb"
    ACTIVATE = "on"
    DEACTIVATE = "off"
    HEALTH = "hc"
    USED = "used"
    EXPIRY_SET = "exps"
    REVEAL = "rev!"
    FINGERPRINT = "fp!"
    LOCK = "lockp!"
    SERVER = "srv!"
    DELETE = "del!"
    MATCH_VENUE = "match"
    BROKER_CREATE = "bcreate"
    BROKER_SYNC = "bsync"
    BROKER_DELETE = "bdel"


class KeyCb(CallbackData, prefix="k"):
    id: RowId
    action: KeyAction  # an unknown action fails to parse: the fallback answers it
    arg: str = ""
    v: int = Field(default=-1, ge=-1, lt=2**63)  # the key version the button was drawn for; -1: none


class PageCb(CallbackData, prefix="p"):
    page: int = Field(ge=0, lt=10_000)


class LeakCb(CallbackData, prefix="g"):
    """A reminder about a leaked message the bot could not delete."""

    chat: int = Field(gt=-(2**63), lt=2**63)
    msg: RowId
    action: str  # done | dismiss


class RemCb(CallbackData, prefix="r"):
    """An action on a reminder: the row's id, looked up with the presser's id."""

    id: RowId
    action: str  # d (1 day) | w (1 week) | used | off | mute


class HistoryCb(CallbackData, prefix="h"):
    """A page of /history: the entries older than audit id `before`."""

    before: RowId


class PanicCb(CallbackData, prefix="x"):
    """The /panic confirmation."""

    action: str  # go


class PassCb(CallbackData, prefix="u"):
    """A button of the unlock-passphrase screen."""

    action: str  # set | change | off | totp-add | totp-off (anything else: an outdated button)


class SetCb(CallbackData, prefix="s"):
    """A settings button."""

    field: str
    value: str = ""
