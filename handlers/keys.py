"""The key list, the key card and every action on it. A key id in a button is looked up together
with the presser's user id, so a forged button for someone else's key finds nothing; a button that
changes the key carries the key version it was drawn for, so an outdated card changes nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.brokers import BrokerKeys
from bot.deletions import DeletionService
from bot.i18n import Html, Translator
from bot.inputs import NameError_, clean_name, parse_date
from bot.keys import KeyGone, KeyService, LimitReached, NameTaken, RotationNotPending
from bot.reminders import report
from bot.setup_flow import Draft
from bot.stepup import StepUp
from bot.vault import Locked
from bot.venues.base import VenueProfile
from bot.venues.registry import VenueRegistry
from bot.verification import VerificationService
from domain.clock import Clock
from domain.models import KeyRecord, User
from handlers import broker, key_views, reveal
from handlers.add_key_views import expiry_choices, ips_text, perms_text
from handlers.callbacks import KeyAction, KeyCb, MenuCb, PageCb
from handlers.credentials import begin_credentials, leave_pasting
from handlers.filters import CommandOrState
from handlers.history import audit_line
from handlers.inputs import refuse_credential_paste
from handlers.keyboards import button, rows
from handlers.states import KeyEdit
from handlers.stepup import GUARDED, OPENS_LOCKED, ask_unlock
from handlers.ui import show


async def show_list(event: Message | CallbackQuery, t: Translator, user: User, keys: KeyService,
                    venues: VenueRegistry, clock: Clock, page: int = 0) -> None:
    records = await keys.list_keys(user.id)
    issues = report.build(records, venues, user, int(clock.now().timestamp()))
    await show(event, *key_views.key_list(t, venues, records, page, issues))


async def show_card(event: Message | CallbackQuery, t: Translator, keys: KeyService, venues: VenueRegistry,
                    record: KeyRecord, note: str | None = None, answer: bool = True) -> None:
    text, markup = await key_views.card(t, keys, venues[record.venue], record)
    await show(event, f"{note}\n\n{text}" if note else text, markup, answer=answer)


async def cmd_keys(message: Message, state: FSMContext, t: Translator, user: User, keys: KeyService,
                   venues: VenueRegistry, clock: Clock) -> None:
    await leave_pasting(state, keys, user.id)
    await show_list(message, t, user, keys, venues, clock)


async def menu_keys(query: CallbackQuery, state: FSMContext, t: Translator, user: User, keys: KeyService,
                    venues: VenueRegistry, clock: Clock) -> None:
    await leave_pasting(state, keys, user.id)
    await show_list(query, t, user, keys, venues, clock)


async def page(query: CallbackQuery, callback_data: PageCb, t: Translator, user: User, keys: KeyService,
               venues: VenueRegistry, clock: Clock) -> None:
    await show_list(query, t, user, keys, venues, clock, callback_data.page)


@dataclass(slots=True)
class Press:
    """One press of a key-card button: the key it is for and what the action may use."""

    query: CallbackQuery
    record: KeyRecord
    profile: VenueProfile
    arg: str
    state: FSMContext
    t: Translator
    keys: KeyService
    venues: VenueRegistry
    deletions: DeletionService
    reveal_seconds: int
    verifier: VerificationService
    brokers: BrokerKeys
    stepup: StepUp

    async def refresh(self, note: str, *, answered: bool = False) -> None:
        fresh = await self.keys.get(self.record.owner_id, self.record.id)
        if fresh is not None:
            await show_card(self.query, self.t, self.keys, self.venues, fresh, note, answer=not answered)


Action = Callable[[Press], Awaitable[None]]


async def _card(p: Press) -> None:
    await show_card(p.query, p.t, p.keys, p.venues, p.record)


async def _paste_cancelled(p: Press) -> None:
    await show_card(p.query, p.t, p.keys, p.venues, p.record, p.t("paste-cancelled"))


async def _paste(p: Press) -> None:
    await begin_credentials(p.query, p.state, p.t, p.profile, p.record, mode="new")


async def _rotate(p: Press) -> None:
    await begin_credentials(p.query, p.state, p.t, p.profile, p.record, mode="rotate")


async def _rotation_ok(p: Press) -> None:
    try:
        await p.keys.confirm_rotation(p.record)
    except RotationNotPending:
        await p.refresh(p.t("rotation-not-pending"))
        return
    await p.refresh(p.t("rotation-confirmed", revoke=Html(key_views.revoke_advice(p.t, p.profile))))


async def _rotation_back(p: Press) -> None:
    try:
        await p.keys.rollback_rotation(p.record)
    except RotationNotPending:
        await p.refresh(p.t("rotation-not-pending"))
        return
    await p.refresh(p.t("rotation-rolled-back"))


async def _activate(p: Press) -> None:
    await p.keys.set_active(p.record, True)
    await p.refresh(p.t("venue-toggle-hint", venue=p.profile.title))


async def _deactivate(p: Press) -> None:
    await p.keys.set_active(p.record, False)
    await p.refresh(p.t("venue-toggle-hint", venue=p.profile.title))


async def _broker(p: Press, action: str) -> None:
    if not p.profile.broker_managed or p.record.host is None:
        await p.query.answer(p.t.plain("button-outdated"), show_alert=True)
        return
    await broker.start(p.query, p.record, action, p.state, p.t, p.brokers, p.keys, p.venues, p.verifier)


async def _remember(p: Press) -> None:
    await broker.toggle_remember(p.query, p.record, p.state, p.t)


async def _verify(p: Press) -> None:
    if await _nothing_stored(p):
        return
    with contextlib.suppress(TelegramBadRequest):  # a query too old to answer still gets its check
        await p.query.answer(p.t.plain("check-running"))
    try:
        result = await p.verifier.check(p.record)
    except Locked:  # the unlocked period ended between the check and now
        await ask_unlock(p.query, p.state, p.t, p.stepup, "card", p.record.id)
        return
    await p.refresh(key_views.check_note(p.t, result, p.verifier.egress_ip), answered=True)


async def _match_venue(p: Press) -> None:
    try:
        await p.keys.match_venue(p.record)
    except KeyGone:
        await p.refresh(p.t("card-outdated"))
        return
    await p.refresh(p.t("drift-matched", venue=p.profile.title))


async def _fix_on_venue(p: Press) -> None:
    """How to change the key on the venue so it matches the record: the venue's own steps and page."""
    lines = [p.t("drift-fix-title", name=p.record.name, venue=p.profile.title),
             p.t(p.profile.locale_id("fix"), perms=perms_text(p.t, p.profile, p.record.permissions),
                 ips=ips_text(p.t, p.record.ip_allowlist)),
             p.t("drift-fix-then")]
    await show(p.query, "\n\n".join(lines), rows(
        [button(p.t("btn-verify"), KeyCb(id=p.record.id, action="ver"))], [button(p.t("btn-back"), KeyCb(
            id=p.record.id, action="card"))]))


async def _health(p: Press) -> None:
    await p.keys.set_health_check(p.record, not p.record.health_check)
    await p.refresh(p.t("health-on" if not p.record.health_check else "health-off"))


async def _used(p: Press) -> None:
    await p.keys.mark_used(p.record)
    await p.refresh(p.t("marked-used"))


async def _rename(p: Press) -> None:
    await p.state.set_state(KeyEdit.rename)
    await p.state.set_data({"key_id": p.record.id})
    await show(p.query, p.t("rename-prompt", name=p.record.name), _back_to_card(p))


async def _expiry(p: Press) -> None:
    await show(p.query, *key_views.expiry_editor(p.t, p.profile, p.record))


async def _expiry_set(p: Press) -> None:
    if p.arg not in expiry_choices(p.profile):
        await p.query.answer(p.t.plain("button-outdated"), show_alert=True)
        return
    if p.arg == "remind":
        await p.state.set_state(KeyEdit.exp_date)
        await p.state.set_data({"key_id": p.record.id})
        await show(p.query, p.t("add-exp-date", venue=p.profile.title, env=""), _back_to_card(p))
        return
    await p.keys.set_expiry(p.record, Draft(venue=p.record.venue, expiry=p.arg))
    await p.refresh(p.t("expiry-saved"))


async def _nothing_stored(p: Press) -> bool:
    """A fingerprint-only key has no secret to show or sign with (a button from before it became one)."""
    if p.record.storage != "fingerprint":
        return False
    await p.query.answer(p.t.plain("fingerprint-nothing-stored"), show_alert=True)
    return True


async def _reveal_ask(p: Press) -> None:
    if not await _nothing_stored(p):
        await show(p.query, *key_views.reveal_confirm(p.t, p.record, p.reveal_seconds))


async def _fingerprint_ask(p: Press) -> None:
    if not await _nothing_stored(p):
        await show(p.query, *key_views.fingerprint_confirm(p.t, p.record))


async def _fingerprint(p: Press) -> None:
    if not await _nothing_stored(p):
        await p.keys.keep_fingerprint_only(p.record)
        await p.refresh(p.t("fingerprint-only-done", revoke=Html(key_views.revoke_advice(p.t, p.profile))))


async def _lock_ask(p: Press) -> None:
    if await _nothing_stored(p):
        return
    if not await p.stepup.has_passphrase(p.record.owner_id):
        await p.query.answer(p.t.plain("lock-mode-needs-passphrase"), show_alert=True)
        return
    await show(p.query, *key_views.lock_confirm(p.t, p.record))


async def _server_ask(p: Press) -> None:
    if not await _nothing_stored(p):
        await show(p.query, *key_views.server_confirm(p.t, p.record))


async def _set_storage(p: Press, mode: str, done: str) -> None:
    if await _nothing_stored(p):
        return
    try:
        await p.keys.set_storage(p.record, mode)
    except KeyGone:
        await p.refresh(p.t("card-outdated"))
        return
    except Locked:  # the unlocked period ended between the check and now
        await ask_unlock(p.query, p.state, p.t, p.stepup, "card", p.record.id)
        return
    await p.refresh(p.t(done))


async def _reveal(p: Press) -> None:
    if await _nothing_stored(p):
        return
    try:
        await reveal.send(p.query, p.t, p.keys, p.deletions, p.record, p.reveal_seconds)
    except KeyGone:
        await p.refresh(p.t("card-outdated"))
    except Locked:
        await ask_unlock(p.query, p.state, p.t, p.stepup, "rev", p.record.id)


async def _revoked(p: Press) -> None:
    changed = await p.keys.revoked_on_venue(p.record)
    await p.refresh(p.t("leak-revoked-noted" if changed else "leak-nothing-open"))


async def _history(p: Press) -> None:
    entries = await p.keys.history(p.record, limit=10)
    lines = [p.t("history-title", name=p.record.name)]
    lines += [audit_line(p.t, e) for e in entries]
    await show(p.query, "\n".join(lines), _back_to_card(p))


async def _delete_ask(p: Press) -> None:
    await show(p.query, *key_views.delete_confirm(p.t, p.record, p.profile))


async def _delete(p: Press) -> None:
    await p.keys.delete(p.record)
    await show(p.query, p.t("deleted", name=p.record.name, venue=p.profile.title,
                            revoke=Html(key_views.revoke_advice(p.t, p.profile))),
               rows([button(p.t("btn-key-list"), MenuCb(action="keys"))]))


def _back_to_card(p: Press) -> InlineKeyboardMarkup:
    return rows([button(p.t("btn-back"), KeyCb(id=p.record.id, action="card"))])


# Actions that only show something, start a flow that asks again, or are idempotent work from any copy;
# the others change the key and need the version their button was drawn for.
A = KeyAction
VIEWS: dict[KeyAction, Action] = {
    A.CARD: _card, A.PASTE_CANCELLED: _paste_cancelled, A.PASTE: _paste, A.ROTATE: _rotate, A.VERIFY: _verify,
    A.RENAME: _rename, A.EXPIRY: _expiry, A.REVEAL_ASK: _reveal_ask, A.HISTORY: _history,
    A.FINGERPRINT_ASK: _fingerprint_ask, A.LOCK_ASK: _lock_ask, A.SERVER_ASK: _server_ask,
    A.DELETE_ASK: _delete_ask, A.FIX_ON_VENUE: _fix_on_venue,
    A.REMEMBER_SESSION: _remember, A.REVOKED: _revoked,  # idempotent: the same answer from any copy
}
CHANGES: dict[KeyAction, Action] = {
    A.ROTATION_OK: _rotation_ok, A.ROTATION_BACK: _rotation_back, A.ACTIVATE: _activate,
    A.DEACTIVATE: _deactivate, A.HEALTH: _health, A.USED: _used, A.EXPIRY_SET: _expiry_set, A.REVEAL: _reveal,
    A.DELETE: _delete, A.MATCH_VENUE: _match_venue, A.FINGERPRINT: _fingerprint,
    A.LOCK: lambda p: _set_storage(p, "locked", "lock-mode-done"),
    A.SERVER: lambda p: _set_storage(p, "server", "server-mode-done"),
    A.BROKER_CREATE: lambda p: _broker(p, "bcreate"), A.BROKER_SYNC: lambda p: _broker(p, "bsync"),
    A.BROKER_DELETE: lambda p: _broker(p, "bdel"),
}


async def on_key_button(query: CallbackQuery, callback_data: KeyCb, state: FSMContext, t: Translator,
                        user_id: int, keys: KeyService, venues: VenueRegistry, deletions: DeletionService,
                        reveal_seconds: int, verifier: VerificationService, brokers: BrokerKeys,
                        stepup: StepUp) -> None:
    if query.message is None or query.message.chat.type != ChatType.PRIVATE:
        await query.answer(t.plain("key-actions-private"), show_alert=True)
        return
    record = await keys.get(user_id, callback_data.id)
    if record is None:
        await query.answer(t.plain("key-not-found"), show_alert=True)
        return
    action = callback_data.action
    handler = VIEWS.get(action) or CHANGES.get(action)
    if handler is None:
        await query.answer(t.plain("button-outdated"), show_alert=True)
        return
    if action in CHANGES and callback_data.v != record.version:
        await query.answer(t.plain("card-outdated"), show_alert=True)
        await show_card(query, t, keys, venues, record, answer=False)
        return
    # Opening a key locked with the passphrase (or locking one) needs the locked data key in memory.
    opens_locked = action in OPENS_LOCKED and (record.storage == "locked" or action == KeyAction.LOCK)
    if (action in GUARDED or opens_locked) and await stepup.required(user_id, locked_key=opens_locked):
        await ask_unlock(query, state, t, stepup, GUARDED.get(action, "card"), record.id)
        return
    if action != KeyAction.REMEMBER_SESSION:
        await leave_pasting(state, keys, user_id)
    press = Press(query, record, venues[record.venue], callback_data.arg, state, t, keys, venues, deletions,
                  reveal_seconds, verifier, brokers, stepup)
    try:
        await handler(press)
    except LimitReached as exc:
        await query.answer(t.plain(exc.reason, venue=press.profile.title, limit=exc.limit), show_alert=True)


async def on_edit_message(message: Message, state: FSMContext, t: Translator, user_id: int,
                          keys: KeyService, venues: VenueRegistry, clock: Clock) -> None:
    data = await state.get_data()
    record = await keys.get(user_id, int(data.get("key_id", 0)))
    if record is None:
        await state.clear()
        await message.answer(t("key-not-found"))
        return
    text = message.text  # secrets the detector knows never get here: the guard router removes them first
    if text is None:
        await message.answer(t("need-text"))
        return
    if await refuse_credential_paste(message, t):
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
    if fresh is None:
        await message.answer(t("key-not-found"))
        return
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
