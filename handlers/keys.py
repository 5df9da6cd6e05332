"""The key list, the key card and every action on it. A key id in a button is looked up together
with the presser's user id, so a forged button for someone else's key finds nothing."""

from __future__ import annotations

import contextlib
import html

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.brokers import BrokerKeys
from bot.clock import Clock
from bot.config import Settings
from bot.deletions import DeletionService
from bot.i18n import Translator
from bot.inputs import NameError_, clean_name, parse_date
from bot.keys import KeyService, LimitReached, NameTaken
from bot.setup_flow import Draft
from bot.venues.registry import VenueRegistry
from bot.verification import VerificationService
from handlers import broker, key_views
from handlers.add_key_views import expiry_choices
from handlers.callbacks import KeyCb, MenuCb, PageCb
from handlers.credentials import begin_credentials, leave_pasting
from handlers.filters import CommandOrState
from handlers.keyboards import button, rows
from handlers.states import KeyEdit
from handlers.ui import fmt_time, show
from storage.models import KeyRecord


async def show_list(event: Message | CallbackQuery, t: Translator, user_id: int, keys: KeyService,
                    venues: VenueRegistry, page: int = 0) -> None:
    await show(event, *key_views.key_list(t, venues, await keys.list_keys(user_id), page))


async def show_card(event: Message | CallbackQuery, t: Translator, keys: KeyService, venues: VenueRegistry,
                    record: KeyRecord, note: str | None = None) -> None:
    text, markup = await key_views.card(t, keys, venues[record.venue], record)
    await show(event, f"{note}\n\n{text}" if note else text, markup)


async def cmd_keys(message: Message, state: FSMContext, t: Translator, user_id: int, keys: KeyService,
                   venues: VenueRegistry) -> None:
    await leave_pasting(state, keys, user_id)
    await show_list(message, t, user_id, keys, venues)


async def menu_keys(query: CallbackQuery, state: FSMContext, t: Translator, user_id: int, keys: KeyService,
                    venues: VenueRegistry) -> None:
    await leave_pasting(state, keys, user_id)
    await show_list(query, t, user_id, keys, venues)


async def page(query: CallbackQuery, callback_data: PageCb, t: Translator, user_id: int, keys: KeyService,
               venues: VenueRegistry) -> None:
    await show_list(query, t, user_id, keys, venues, callback_data.page)


async def on_key_button(query: CallbackQuery, callback_data: KeyCb, state: FSMContext, t: Translator,
                        user_id: int, keys: KeyService, venues: VenueRegistry, deletions: DeletionService,
                        settings: Settings, verifier: VerificationService, brokers: BrokerKeys) -> None:
    record = await keys.get(user_id, callback_data.id)
    if record is None:
        await query.answer(t("key-not-found"), show_alert=True)
        return
    if callback_data.action != "bremember":
        await leave_pasting(state, keys, user_id)
    profile = venues[record.venue]
    action, arg = callback_data.action, callback_data.arg
    try:
        match action:
            case "card":
                await show_card(query, t, keys, venues, record)
            case "pcancel":
                await show_card(query, t, keys, venues, record, t("paste-cancelled"))
            case "creds":
                await begin_credentials(query, state, t, profile, record, mode="new")
            case "rot":
                await begin_credentials(query, state, t, profile, record, mode="rotate")
            case "rok":
                await keys.confirm_rotation(record)
                await _refresh(query, t, keys, venues, record, t("rotation-confirmed"))
            case "rrb":
                await keys.rollback_rotation(record)
                await _refresh(query, t, keys, venues, record, t("rotation-rolled-back"))
            case "on" | "off":
                await keys.set_active(record, action == "on")
                hint = t("venue-toggle-hint", venue=profile.title)
                await _refresh(query, t, keys, venues, record, hint)
            case "bcreate" | "bsync" | "bdel" if record.venue == "b2trader":
                await broker.start(query, record, action, state, t, brokers, keys, venues, verifier)
            case "bremember":
                await broker.toggle_remember(query, record, state, t)
            case "ver":
                with contextlib.suppress(TelegramBadRequest):
                    await query.answer(t("check-running"))
                result = await verifier.check(record)
                await _refresh(query, t, keys, venues, record, key_views.check_note(t, result, verifier.egress_ip))
            case "hc":
                await keys.set_health_check(record, not record.health_check)
                await _refresh(query, t, keys, venues, record,
                               t("health-on" if not record.health_check else "health-off"))
            case "used":
                await keys.mark_used(record)
                await _refresh(query, t, keys, venues, record, t("marked-used"))
            case "ren":
                await state.set_state(KeyEdit.rename)
                await state.set_data({"key_id": record.id})
                await show(query, t("rename-prompt", name=record.name),
                           rows([button(t("btn-back"), KeyCb(id=record.id, action="card"))]))
            case "exp":
                await show(query, *key_views.expiry_editor(t, profile, record))
            case "exps" if arg in expiry_choices(profile):
                if arg == "remind":
                    await state.set_state(KeyEdit.exp_date)
                    await state.set_data({"key_id": record.id})
                    await show(query, t("add-exp-date", venue=profile.title, env=""),
                               rows([button(t("btn-back"), KeyCb(id=record.id, action="card"))]))
                else:
                    await keys.set_expiry(record, Draft(venue=record.venue, expiry=arg))
                    await _refresh(query, t, keys, venues, record, t("expiry-saved"))
            case "rev":
                await show(query, *key_views.confirm(t, record, t("reveal-confirm", seconds=settings.reveal_seconds),
                                                     "rev!"))
            case "rev!":
                await _reveal(query, t, keys, deletions, record, settings.reveal_seconds)
            case "hist":
                await _history(query, t, keys, record)
            case "del" if record.venue == "b2trader" and record.host:
                await show(query, t("delete-confirm", name=record.name, venue=profile.title), rows(
                    [button(t("broker-delete-both"), KeyCb(id=record.id, action="bdel"))],
                    [button(t("broker-delete-here"), KeyCb(id=record.id, action="del!"))],
                    [button(t("btn-no"), KeyCb(id=record.id, action="card"))]))
            case "del":
                await show(query, *key_views.confirm(t, record, t("delete-confirm", name=record.name,
                                                                  venue=profile.title), "del!"))
            case "del!":
                await keys.delete(record)
                await show(query, t("deleted", name=record.name, venue=profile.title),
                           rows([button(t("btn-key-list"), MenuCb(action="keys"))]))
            case _:
                await query.answer(t("button-outdated"), show_alert=True)
    except LimitReached as exc:
        await query.answer(t(exc.reason, venue=profile.title, limit=exc.limit), show_alert=True)


async def _refresh(query: CallbackQuery, t: Translator, keys: KeyService, venues: VenueRegistry,
                   record: KeyRecord, note: str) -> None:
    fresh = await keys.get(record.owner_id, record.id)
    if fresh is not None:
        await show_card(query, t, keys, venues, fresh, note)


async def _reveal(query: CallbackQuery, t: Translator, keys: KeyService, deletions: DeletionService,
                  record: KeyRecord, seconds: int) -> None:
    revealed = await keys.reveal(record)
    lines = [t("reveal-title", name=record.name, seconds=seconds)]
    lines += [f"{t(f'field-{fid}')}:\n<tg-spoiler><code>{html.escape(value)}</code></tg-spoiler>"
              for fid, value in revealed.fields]
    with contextlib.suppress(TelegramBadRequest):
        await query.answer()
    if query.message is None:
        return
    sent = await query.message.answer("\n".join(lines), protect_content=True)
    await deletions.schedule(sent.chat.id, sent.message_id, seconds)


async def _history(query: CallbackQuery, t: Translator, keys: KeyService, record: KeyRecord) -> None:
    entries = await keys.history(record, limit=10)
    lines = [t("history-title", name=record.name)]
    lines += [f"{fmt_time(t, e.at)} — {t('audit-' + e.action.replace('_', '-'))}" for e in entries]
    await show(query, "\n".join(lines), rows([button(t("btn-back"), KeyCb(id=record.id, action="card"))]))


async def on_edit_message(message: Message, state: FSMContext, t: Translator, user_id: int,
                          keys: KeyService, venues: VenueRegistry, clock: Clock) -> None:
    data = await state.get_data()
    record = await keys.get(user_id, int(data.get("key_id", 0)))
    if record is None:
        await state.clear()
        await message.answer(t("key-not-found"))
        return
    text = message.text  # secrets never get here: the guard router removes them first
    if text is None:
        await message.answer(t("need-text"))
        return
    if await state.get_state() == KeyEdit.rename.state:
        try:
            name = clean_name(text)
            if await keys.name_taken(user_id, record.venue, name, except_id=record.id):
                raise NameTaken(name)
            await keys.rename(record, name)
        except NameError_ as exc:
            await message.answer(t(f"name-{exc.reason}"))
            return
        except NameTaken:
            await message.answer(t("name-taken", venue=venues[record.venue].title))
            return
        note = t("renamed")
    else:
        day = parse_date(text, clock.now().date())
        if day is None:
            await message.answer(t("date-invalid"))
            return
        await keys.set_expiry(record, Draft(venue=record.venue, expiry="remind", remind_on=day.isoformat()))
        note = t("expiry-saved")
    await state.clear()
    fresh = await keys.get(user_id, record.id)
    assert fresh is not None
    await show_card(message, t, keys, venues, fresh, note)


def create_router() -> Router:
    router = Router(name="keys")
    router.message.filter(CommandOrState())
    router.message.register(cmd_keys, Command("keys"))
    router.callback_query.register(menu_keys, MenuCb.filter(F.action == "keys"))
    router.callback_query.register(page, PageCb.filter())
    router.callback_query.register(on_key_button, KeyCb.filter())
    router.message.register(on_edit_message, StateFilter(KeyEdit))
    return router
