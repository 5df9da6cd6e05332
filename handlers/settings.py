"""/settings (timezone, quiet hours, digest, reminder thresholds) and /report (the security report)."""

from __future__ import annotations

import re
from collections import Counter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.i18n import Translator
from bot.keys import KeyService
from bot.reminders import report
from bot.reminders.scheduler import ReminderScheduler
from bot.users import UserService
from bot.venues.registry import VenueRegistry
from domain.clock import Clock
from domain.models import KeyRecord, KeyStatus, LeakStats, User
from handlers.callbacks import KeyCb, MenuCb, SetCb
from handlers.filters import CommandOrState
from handlers.keyboards import button, rows
from handlers.ui import fmt_duration, show, tz_label

_QUIET = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–—]\s*(\d{1,2})(?::(\d{2}))?\s*$")
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])(\d{1,2})$", re.IGNORECASE)
LIMITS = {"unused_days": (1, 365), "rotation_days": (7, 730)}
REPORT_MAX = 3800


class SettingsEdit(StatesGroup):
    timezone = State()
    quiet = State()
    unused_days = State()
    rotation_days = State()


def _hhmm(minutes: int | None) -> str:
    return "--:--" if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def settings_screen(t: Translator, user: User) -> tuple[str, InlineKeyboardMarkup]:
    quiet = t("settings-quiet-off") if user.quiet_start is None else \
        f"{_hhmm(user.quiet_start)}–{_hhmm(user.quiet_end)}"
    mode = t("settings-digest-on", time=_hhmm(user.digest_minute)) if user.digest else t("settings-digest-off")
    text = t("settings-title", tz=tz_label(user.timezone), quiet=quiet, mode=mode, unused=user.unused_days,
             rotation=user.rotation_days)
    markup = rows(
        [button(t("btn-set-timezone"), SetCb(field="timezone")), button(t("btn-set-quiet"), SetCb(field="quiet"))],
        [button(t("btn-set-digest-off" if user.digest else "btn-set-digest-on"), SetCb(field="digest"))],
        [button(t("btn-set-unused"), SetCb(field="unused_days")),
         button(t("btn-set-rotation"), SetCb(field="rotation_days"))],
        [button(t("btn-set-passphrase"), SetCb(field="passphrase"))],
    )
    return text, markup


async def cmd_settings(message: Message, t: Translator, user: User) -> None:
    text, markup = settings_screen(t, user)
    await message.answer(text, reply_markup=markup)


async def on_button(query: CallbackQuery, callback_data: SetCb, state: FSMContext, t: Translator, user: User,
                    users: UserService, reminders: ReminderScheduler) -> None:
    if callback_data.field == "digest":
        await users.update(user.id, digest=int(not user.digest))
        fresh = await users.get(user.id) or user
        await show(query, *settings_screen(t, fresh))
        return
    if callback_data.field not in ("timezone", "quiet", "unused_days", "rotation_days"):
        await query.answer(t.plain("button-outdated"), show_alert=True)
        return
    await state.set_state(getattr(SettingsEdit, callback_data.field))
    await show(query, t(f"settings-ask-{callback_data.field.replace('_', '-')}"),
               rows([button(t("btn-cancel"), MenuCb(action="home"))]))


async def on_value(message: Message, state: FSMContext, t: Translator, user: User, users: UserService,
                   reminders: ReminderScheduler) -> None:
    field = (await state.get_state() or "").split(":")[-1]
    text = (message.text or "").strip()
    changes = _parse(field, text)
    if changes is None:
        await message.answer(t(f"settings-bad-{field.replace('_', '-')}"))
        return
    await state.clear()
    await users.update(user.id, **changes)
    if field in LIMITS:
        await reminders.replan_user(user.id)
    fresh = await users.get(user.id) or user
    text_out, markup = settings_screen(t, fresh)
    await message.answer(f"{t('settings-saved')}\n\n{text_out}", reply_markup=markup)


def _parse(field: str, text: str) -> dict[str, object] | None:
    if field == "timezone":
        if (m := _OFFSET.match(text.replace(" ", ""))) is not None and int(m.group(2)) <= 14:
            sign = "-" if m.group(1) == "+" else "+"  # Etc/GMT signs are inverted
            return {"timezone": "UTC" if m.group(2) == "0" else f"Etc/GMT{sign}{int(m.group(2))}"}
        name = next((z for z in available_timezones() if z.lower() == text.lower()), None) or \
            ("UTC" if text.upper() == "UTC" else None)
        if name is None:
            return None
        try:
            ZoneInfo(name)
        except ZoneInfoNotFoundError:
            return None
        return {"timezone": name}
    if field == "quiet":
        if text.lower() in ("off", "нет", "выкл", "-"):
            return {"quiet_start": None, "quiet_end": None}
        m = _QUIET.match(text)
        if m is None:
            return None
        start_h, start_m, end_h, end_m = (int(g or 0) for g in m.groups())
        if start_h > 23 or end_h > 23 or start_m > 59 or end_m > 59:
            return None
        return {"quiet_start": start_h * 60 + start_m, "quiet_end": end_h * 60 + end_m}
    if field in LIMITS and text.isdigit():
        low, high = LIMITS[field]
        return {field: int(text)} if low <= int(text) <= high else None
    return None


def report_screen(t: Translator, user: User, records: list[KeyRecord], venues: VenueRegistry,
                  now: int, leaks: LeakStats) -> tuple[str, InlineKeyboardMarkup | None]:
    issues = report.build(records, venues, user, now)
    stats = [t("report-leaks", open=leaks.open, revoked=leaks.revoked,
               median=fmt_duration(t, leaks.median_seconds) if leaks.median_seconds is not None else "—")
             ] if leaks.open or leaks.revoked else []
    modes = Counter(r.storage for r in records if r.status != KeyStatus.DELETED)
    if modes:
        stats.append(t("report-storage", server=modes["server"], locked=modes["locked"],
                       fingerprint=modes["fingerprint"]))
    if not issues:
        return "\n".join([t("report-clean"), *stats]), None
    lines = [t("report-title", count=len(issues)), *stats]
    keyboard: list[list[InlineKeyboardButton]] = []
    severity = ""
    length = len(lines[0])
    for n, issue in enumerate(issues, start=1):
        name = issue.record.name if issue.record else ""
        venue = venues[issue.record.venue].title if issue.record else ""
        header = f"\n<b>{t(f'report-severity-{issue.severity}')}</b>" if issue.severity != severity else ""
        line = f"{n}. {t(f'report-{issue.kind}', name=name, venue=venue)}"
        if length + len(header) + len(line) > REPORT_MAX:  # whole lines only: never cut inside a tag
            lines.append(t("report-more", count=len(issues) - n + 1))
            break
        severity = issue.severity
        lines += [x for x in (header, line) if x]
        length += len(header) + len(line) + 2
        if len(keyboard) < 20:
            target = (KeyCb(id=issue.record.id, action=issue.fix, v=issue.record.version) if issue.record
                      else MenuCb(action="keys"))
            keyboard.append([button(f"{n}. {t.plain(f'report-fix-{issue.fix}')} {name[:20]}".strip(), target)])
    return "\n".join(lines), rows(*keyboard)


async def cmd_report(message: Message, t: Translator, user: User, keys: KeyService, venues: VenueRegistry,
                     clock: Clock) -> None:
    text, markup = report_screen(t, user, await keys.list_keys(user.id), venues, int(clock.now().timestamp()),
                                 await keys.leak_stats(user.id))
    await message.answer(text, reply_markup=markup)


async def menu_report(query: CallbackQuery, t: Translator, user: User, keys: KeyService, venues: VenueRegistry,
                      clock: Clock) -> None:
    text, markup = report_screen(t, user, await keys.list_keys(user.id), venues, int(clock.now().timestamp()),
                                 await keys.leak_stats(user.id))
    await show(query, text, markup)


async def menu_settings(query: CallbackQuery, t: Translator, user: User) -> None:
    await show(query, *settings_screen(t, user))


def create_router() -> Router:
    router = Router(name="settings")
    router.message.filter(CommandOrState())
    router.message.register(cmd_settings, Command("settings"))
    router.message.register(cmd_report, Command("report"))
    router.callback_query.register(on_button, SetCb.filter())
    router.callback_query.register(menu_report, MenuCb.filter(F.action == "report"))
    router.callback_query.register(menu_settings, MenuCb.filter(F.action == "settings"))
    router.message.register(on_value, StateFilter(SettingsEdit))
    return router
