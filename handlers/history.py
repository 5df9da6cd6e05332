"""/history: everything that happened to the user's keys and account, newest first, a page at a time —
reveals, unlocks and failed unlocks, storage-mode changes, panic. Never a secret: the audit holds none."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from bot.keys import KeyService
from domain.models import AuditEntry
from handlers.callbacks import HistoryCb, MenuCb
from handlers.keyboards import button, rows
from handlers.ui import fmt_time, show

PAGE = 15


def audit_line(t: Translator, entry: AuditEntry, name: str | None = None) -> str:
    """One entry as the user reads it: when, what, and which key (when it was about one)."""
    what = t(f"audit-{entry.action.replace('_', '-')}", detail=entry.detail)
    about = f" · {html.escape(name, quote=False)}" if name else ""
    return f"{fmt_time(t, entry.at)} — {what}{about}"


async def _page(event: Message | CallbackQuery, t: Translator, keys: KeyService, user_id: int,
                before: int | None) -> None:
    entries, names = await keys.account_history(user_id, PAGE + 1, before)
    if not entries:
        await show(event, t("history-empty"), rows([button(t("btn-menu"), MenuCb(action="home"))]))
        return
    shown = entries[:PAGE]
    lines = [t("account-history-title"), ""]
    lines += [audit_line(t, e, names.get(e.key_id) if e.key_id else None) for e in shown]
    older = [button(t("btn-older"), HistoryCb(before=shown[-1].id))] if len(entries) > PAGE else []
    await show(event, "\n".join(lines), rows(older, [button(t("btn-menu"), MenuCb(action="home"))]))


async def cmd_history(message: Message, t: Translator, keys: KeyService, user_id: int) -> None:
    await _page(message, t, keys, user_id, None)


async def on_page(query: CallbackQuery, callback_data: HistoryCb, t: Translator, keys: KeyService,
                  user_id: int) -> None:
    await _page(query, t, keys, user_id, callback_data.before)


def create_router() -> Router:
    router = Router(name="history")
    router.message.register(cmd_history, Command("history"))
    router.callback_query.register(on_page, HistoryCb.filter())
    return router
