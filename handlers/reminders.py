"""Reminder messages and their one-tap actions: snooze a day or a week, still needed, deactivate,
delete, open the key, mute this kind for this key."""

from __future__ import annotations

import contextlib
from datetime import datetime

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message

from bot.i18n import Html, Locales, Translator
from bot.keys import KeyService
from bot.reminders import rules
from bot.reminders.scheduler import Due, ReminderScheduler, zone
from bot.venues.registry import VenueRegistry
from domain.models import ExpiryKind, User
from handlers.callbacks import KeyCb, MenuCb, RemCb
from handlers.key_views import compromised_actions, revoke_advice
from handlers.keyboards import button, rows

MAX_IN_ONE = 8
WEEK = 7 * rules.DAY


def _date(user: User, ts: int) -> str:
    return datetime.fromtimestamp(ts, zone(user)).strftime("%Y-%m-%d")


def describe(t: Translator, user: User, venues: VenueRegistry, due: Due, now: int) -> str:
    kind = due.row.kind
    if due.record is None:
        return t("rem-abandoned")
    record = due.record
    args: dict[str, object] = {"name": record.name, "venue": venues[record.venue].title}
    if kind.startswith("expir") and record.expires_at is not None:
        args["date"] = _date(user, record.expires_at)
        args["days"] = max(0, round((record.expires_at - now) / rules.DAY))
    elif kind == "unused":
        args["days"] = (now - rules.last_sign_of_use(record)) // rules.DAY
    elif kind in ("rotation", "risky_full_access"):
        args["days"] = (now - (record.rotated_at or record.created_at)) // rules.DAY
    elif kind == "compromised" and record.compromised_at is not None:
        args["hours"] = max(1, (now - record.compromised_at) // 3600)
        args["revoke"] = Html(revoke_advice(t, venues[record.venue]))
    elif kind == "health" and due.check is not None:
        outcome = due.check.verification.outcome.value.replace("_", "-")
        args["outcome"] = t(f"outcome-{outcome}")
    profile = venues[record.venue]
    if kind.startswith("expir") and record.expires_at is not None and profile.venue_expiry_label \
            and record.expiry_kind == ExpiryKind.VENUE:
        # The venue's date is not always the key's end: Binance lifts spot & margin trading, Bybit disables it.
        what = t(profile.venue_expiry_label, date=args["date"])
        return t("rem-venue-date", name=record.name, venue=profile.title, what=what, days=args["days"])
    text = t(f"rem-{kind.replace('_', '-')}", **args)
    hint = venues[record.venue].unused_hint
    return f"{text}\n{t(hint)}" if kind == "unused" and hint else text


def _actions(t: Translator, due: Due) -> list[list[InlineKeyboardButton]]:
    row_id = due.row.id
    if due.record is None:
        return [[button(t("btn-resume-draft"), MenuCb(action="resume")),
                 button(t("btn-discard"), MenuCb(action="discard"))],
                [button(t("btn-snooze-day"), RemCb(id=row_id, action="d"))]]
    key = due.record.id
    if due.row.kind == "compromised":
        return compromised_actions(t, key)
    lines = [[button(t("btn-snooze-day"), RemCb(id=row_id, action="d")),
              button(t("btn-snooze-week"), RemCb(id=row_id, action="w"))]]
    if due.row.kind in ("unused", "never_activated", "rotation"):
        lines.append([button(t("btn-still-needed"), RemCb(id=row_id, action="used"))])
    lines.append([button(t("btn-open-key"), KeyCb(id=key, action="card")),
                  button(t("btn-deactivate"), RemCb(id=row_id, action="off"))])
    lines.append([button(t("btn-delete"), KeyCb(id=key, action="del")),
                  button(t("btn-mute-kind"), RemCb(id=row_id, action="mute"))])
    return lines


async def deliver(bot: Bot, user: User, items: list[Due], locales: Locales, venues: VenueRegistry,
                  now: int) -> None:
    """The scheduler's way of sending: one message per user per tick."""
    t = locales.get(user.language)
    shown = items[:MAX_IN_ONE]
    if len(shown) == 1:
        await bot.send_message(user.id, describe(t, user, venues, shown[0], now),
                               reply_markup=rows(*_actions(t, shown[0])))
        return
    lines = [t("rem-many", count=len(items))]
    keyboard: list[list[InlineKeyboardButton]] = []
    for n, due in enumerate(shown, start=1):
        lines.append(f"{n}. {describe(t, user, venues, due, now)}")
        label = due.record.name if due.record else t("rem-draft-label")
        target = KeyCb(id=due.record.id, action="card") if due.record else MenuCb(action="resume")
        keyboard.append([button(f"{n}. {label[:24]}", target),
                         button(t("btn-snooze-day"), RemCb(id=due.row.id, action="d")),
                         button(t("btn-mute-short"), RemCb(id=due.row.id, action="mute"))])
    await bot.send_message(user.id, "\n".join(lines), reply_markup=rows(*keyboard))


async def on_action(query: CallbackQuery, callback_data: RemCb, t: Translator, user_id: int,
                    reminders: ReminderScheduler, keys: KeyService) -> None:
    row = await reminders.row(user_id, callback_data.id)
    if row is None:
        await query.answer(t.plain("button-outdated"), show_alert=True)
        return
    record = await keys.get(user_id, row.key_id) if row.key_id else None
    action = callback_data.action
    if action in ("d", "w"):
        await reminders.snooze(user_id, row.id, rules.DAY if action == "d" else WEEK)
        note = t("rem-snoozed-day" if action == "d" else "rem-snoozed-week")
    elif action == "mute":
        await reminders.mute(user_id, row.id)
        note = t("rem-muted")
    elif action == "used" and record is not None:
        await keys.mark_used(record)
        note = t("marked-used")
    elif action == "off" and record is not None:
        await keys.set_active(record, False)
        note = t("rem-deactivated", name=record.name)
    else:
        await query.answer(t.plain("button-outdated"), show_alert=True)
        return
    await query.answer(note)
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)
            await query.message.reply(note)


def create_router() -> Router:
    router = Router(name="reminders")
    router.callback_query.register(on_action, RemCb.filter())
    return router
