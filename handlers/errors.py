"""The one error boundary: an update that fails anywhere ends in one redacted log line and a clear
message to the user. Its FSM changes were already undone (see storage.fsm), so the flow is where it was."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import traceback
from pathlib import Path

from aiogram import Bot, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Chat, ErrorEvent
from aiogram.types import User as TgUser

from bot.i18n import Locales, pick_language
from bot.keywrap import VaultError
from bot.users import UserService
from domain.errors import StorageError

log = logging.getLogger(__name__)


def _where(exc: BaseException) -> str:
    """The innermost frame of our own code, so one line still says where it failed."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename]
    last = frames[-1] if frames else None
    return f"{Path(last.filename).name}:{last.lineno}" if last else "?"


def _text_id(exc: BaseException) -> str:
    if isinstance(exc, VaultError):
        return "error-vault"
    if isinstance(exc, StorageError | sqlite3.Error):
        return "error-storage"
    return "error-nothing-saved"


async def on_error(event: ErrorEvent, bot: Bot, locales: Locales, users: UserService,
                   event_from_user: TgUser | None = None, event_chat: Chat | None = None) -> bool:
    exc = event.exception
    # The exception's text may quote user input: the logging filter redacts secrets in it.
    log.error("update %s (%s) failed at %s: %s: %s", event.update.update_id, event.update.event_type,
              _where(exc), type(exc).__name__, exc)
    if event_from_user is None:
        return True
    user = await users.get(event_from_user.id)
    t = locales.get(user.language if user else pick_language(event_from_user.language_code),
                    user.timezone if user else "UTC")
    query = event.update.callback_query
    with contextlib.suppress(TelegramAPIError):
        if query is not None:
            await query.answer()
        # Only a private chat hears about it: a group is never told about someone's failed action.
        if event_chat is not None and event_chat.type == ChatType.PRIVATE:
            await bot.send_message(event_chat.id, t(_text_id(exc)))
    return True


def create_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_error)
    return router
