"""The guided setup: venue → environment → (host) → name → permissions → read-only → IPs → expiry →
activate now? → summary. Handlers read the answer, update the draft and render the next screen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject

from bot.i18n import Translator
from bot.inputs import NameError_, check_host, clean_name, parse_date, parse_ip_list
from bot.keys import KeyService, LimitReached, NameTaken
from bot.setup_flow import (
    SUMMARY,
    Draft,
    is_complete,
    missing_ip_for,
    new_draft,
    next_step,
    previous_step,
    set_read_only,
    skipped_between,
    toggle_permission,
)
from bot.venues.base import Step, VenueProfile
from bot.venues.registry import VenueRegistry
from domain.clock import Clock
from handlers import add_key_views as views
from handlers.callbacks import FlowCb, MenuCb
from handlers.credentials import begin_credentials, leave_pasting
from handlers.filters import CommandOrState
from handlers.inputs import refuse_credential_paste
from handlers.keyboards import main_menu
from handlers.states import AddKey
from handlers.ui import show, strip_keyboard

TEXT_STEPS = {"host", "name", "ips", "exp_date"}


def _state_for(step: Step | str) -> State:
    state: State = getattr(AddKey, str(step))
    return state


def _current_step(state_name: str | None) -> str | None:
    if not state_name or not state_name.startswith(f"{AddKey.__name__}:"):
        return None
    return state_name.split(":", 1)[1]


async def _load(state: FSMContext, venues: VenueRegistry) -> tuple[Draft, VenueProfile] | None:
    draft = Draft.from_data(await state.get_data())
    profile = venues.get(draft.venue) if draft else None
    return (draft, profile) if draft and profile else None


async def go_to(event: Message | CallbackQuery, state: FSMContext, t: Translator, profile: VenueProfile,
                draft: Draft, step: Step | str, notes: list[str] | None = None, *, answered: bool = False) -> None:
    """Show `step`; `answered` when the handler already answered the button (a query is answered once)."""
    await state.set_state(_state_for(step))
    text, markup = views.screen(t, profile, draft, step)
    await show_prompt(event, state, views.with_notes(notes or [], text), markup, answered=answered,
                      draft=draft.to_data())


async def show_prompt(event: Message | CallbackQuery, state: FSMContext, text: str,
                      markup: InlineKeyboardMarkup | None, *, answered: bool = False, **data: Any) -> None:
    """Show a step's screen. When it arrives as a new message, the previous prompt loses its buttons:
    only the newest copy of a prompt can be pressed."""
    previous = (await state.get_data()).get("prompt")
    shown = await show(event, text, markup, answer=not answered)
    prompt = shown.message_id if shown is not None else None
    if previous and prompt != previous and event.bot is not None and shown is not None:
        await strip_keyboard(event.bot, shown.chat.id, int(previous))
    await state.update_data(prompt=prompt, **data)


async def advance(event: Message | CallbackQuery, state: FSMContext, t: Translator, profile: VenueProfile,
                  draft: Draft, after: Step | None, notes: list[str] | None = None) -> None:
    """Move on from `after`, naming each step the venue does not have."""
    editing = draft.editing
    target = next_step(draft, profile, after)
    draft.editing = False
    notes = list(notes or [])
    if not editing:
        notes += [t(reason, venue=profile.title) for reason in skipped_between(profile, after, target)]
    await go_to(event, state, t, profile, draft, target, notes)


async def start_add(event: Message | CallbackQuery, state: FSMContext, t: Translator,
                    venues: VenueRegistry, keys: KeyService, user_id: int) -> None:
    await leave_pasting(state, keys, user_id)
    loaded = await _load(state, venues)
    if loaded and _current_step(await state.get_state()):
        draft, profile = loaded
        label = f"{profile.title} · {draft.name or '…'}"
        await show(event, t("draft-exists"), main_menu(t, label))
        return
    await state.clear()
    await state.set_state(AddKey.venue)
    await show_prompt(event, state, *views.venue_picker(t, venues))


async def cmd_add(message: Message, state: FSMContext, t: Translator, venues: VenueRegistry,
                  keys: KeyService, user_id: int) -> None:
    await start_add(message, state, t, venues, keys, user_id)


async def menu_add(query: CallbackQuery, state: FSMContext, t: Translator, venues: VenueRegistry,
                   keys: KeyService, user_id: int) -> None:
    await start_add(query, state, t, venues, keys, user_id)


async def resume(query: CallbackQuery, state: FSMContext, t: Translator, venues: VenueRegistry) -> None:
    loaded = await _load(state, venues)
    step = _current_step(await state.get_state())
    if loaded is None or step is None:
        await query.answer(t.plain("draft-gone"), show_alert=True)
        return
    await go_to(query, state, t, loaded[1], loaded[0], step if step != "venue" else SUMMARY)


async def discard(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await show(query, t("draft-discarded"), main_menu(t))


# --- buttons ---------------------------------------------------------------------------------


class FlowButton(BaseMiddleware):
    """Before any setup button's handler: the button must belong to the step shown and to this setup's
    draft (a button of another, cancelled or finished setup must not touch this one). Loads the draft and
    its venue for the handler."""

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        callback_data, query = data.get("callback_data"), event
        if not isinstance(callback_data, FlowCb) or not isinstance(query, CallbackQuery):
            return await handler(event, data)
        state: FSMContext = data["state"]
        t: Translator = data["t"]
        step = _current_step(await state.get_state())
        loaded = await _load(state, data["venues"])
        if step is None or callback_data.step != step or (
                step != "venue" and (loaded is None or loaded[0].id != callback_data.draft)):
            await query.answer(t.plain("button-outdated"), show_alert=True)
            return None
        data["step"], data["value"] = step, callback_data.value
        data["draft"], data["profile"] = loaded if loaded is not None else (None, None)
        return await handler(event, data)


async def on_cancel(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await show(query, t("flow-cancelled"), main_menu(t))


async def on_unknown_button(query: CallbackQuery, t: Translator) -> None:
    """A step answered by typing, not by a button."""
    await query.answer(t.plain("use-keyboard-text"), show_alert=True)


async def _back(query: CallbackQuery, state: FSMContext, t: Translator, venues: VenueRegistry,
                profile: VenueProfile, draft: Draft, step: str) -> None:  # injected by FlowButton
    if step == "exp_date":
        await go_to(query, state, t, profile, draft, Step.EXPIRY)
        return
    draft.editing = False
    previous = previous_step(profile, SUMMARY if step == SUMMARY else Step(step))
    if previous is None:
        await state.set_state(AddKey.venue)
        await show_prompt(query, state, *views.venue_picker(t, venues))
        return
    await go_to(query, state, t, profile, draft, previous)


async def _pick_venue(query: CallbackQuery, state: FSMContext, t: Translator, user_id: int,
                      venues: VenueRegistry, keys: KeyService, value: str, clock: Clock) -> None:
    profile = venues.get(value)
    if profile is None:
        await query.answer(t.plain("button-outdated"), show_alert=True)
        return
    if not (profile.limit_per_environment or profile.needs_host):
        try:
            await keys.check_limits(user_id, profile, None)
        except LimitReached as exc:
            await show(query, t(exc.reason, venue=profile.title, limit=exc.limit), main_menu(t))
            await state.clear()
            return
    await advance(query, state, t, profile, new_draft(profile, clock.now().date()), None)


async def _environment(query: CallbackQuery, state: FSMContext, t: Translator, profile: VenueProfile,
                       draft: Draft, value: str, user_id: int, keys: KeyService) -> None:
    if value not in profile.environments:
        await query.answer(t.plain("button-outdated"), show_alert=True)
        return
    try:
        await keys.check_limits(user_id, profile, value)
    except LimitReached as exc:
        await query.answer(t.plain(exc.reason, venue=profile.title, limit=exc.limit), show_alert=True)
        return
    draft.environment = value
    await advance(query, state, t, profile, draft, Step.ENVIRONMENT)


async def _permissions(query: CallbackQuery, state: FSMContext, t: Translator, profile: VenueProfile,
                       draft: Draft, value: str) -> None:
    if value == "next":
        if not draft.permissions:
            await query.answer(t.plain("perms-none-chosen", venue=profile.title), show_alert=True)
            return
        await advance(query, state, t, profile, draft, Step.PERMISSIONS)
        return
    perm = profile.permission(value)
    if perm is None:
        await query.answer(t.plain("button-outdated"), show_alert=True)
        return
    if perm.required:
        await query.answer(t.plain("perm-required", perm=perm.api_name))
        return
    toggle_permission(draft, profile, value)
    warned = perm.danger and value in draft.permissions
    if warned:
        await query.answer(t.plain("perm-danger-alert", perm=perm.api_name), show_alert=True)
    await go_to(query, state, t, profile, draft, Step.PERMISSIONS, answered=warned)


async def _read_only(query: CallbackQuery, state: FSMContext, t: Translator, profile: VenueProfile,
                     draft: Draft, value: str) -> None:
    dropped = set_read_only(draft, profile, value == "y")
    notes = [t("ro-dropped", perms=views.perms_text(t, profile, dropped))] if dropped else []
    await advance(query, state, t, profile, draft, Step.READ_ONLY, notes)


async def _ips(query: CallbackQuery, state: FSMContext, t: Translator, profile: VenueProfile,
               draft: Draft, value: str) -> None:
    if value == "keep" and draft.ips:
        await advance(query, state, t, profile, draft, Step.IPS)
        return
    if value == "add":
        await go_to(query, state, t, profile, draft, Step.IPS)
        return
    if value not in ("all", "all!"):
        await query.answer(t.plain("button-outdated"), show_alert=True)
        return
    required = [p for p in draft.permissions if p in profile.ip.required_for]
    if required:
        await query.answer(t.plain("warn-ip-required", venue=profile.title,
                             perms=views.perms_text(t, profile, required)), show_alert=True)
        return
    if value == "all" and profile.writes(draft.permissions):
        await show(query, *views.ips_open_warning(t, profile, draft))
        return
    draft.ips = []
    await advance(query, state, t, profile, draft, Step.IPS)


async def _expiry(query: CallbackQuery, state: FSMContext, t: Translator, profile: VenueProfile,
                  draft: Draft, value: str) -> None:
    if value not in views.expiry_choices(profile):
        await query.answer(t.plain("button-outdated"), show_alert=True)
        return
    if value == "remind":
        await go_to(query, state, t, profile, draft, "exp_date")
        return
    draft.expiry, draft.remind_on = value, None
    await advance(query, state, t, profile, draft, Step.EXPIRY)


async def _activate(query: CallbackQuery, state: FSMContext, t: Translator, profile: VenueProfile,
                    draft: Draft, value: str) -> None:
    draft.activate = value == "y"
    await advance(query, state, t, profile, draft, Step.ACTIVATE)


async def _summary(query: CallbackQuery, state: FSMContext, t: Translator, profile: VenueProfile,
                   draft: Draft, value: str, user_id: int, keys: KeyService) -> None:
    if value == "show":
        await go_to(query, state, t, profile, draft, SUMMARY)
    elif value == "edit":
        await show(query, *views.edit_menu(t, profile, draft))
    elif value.startswith("e.") and value[2:] in {s.value for s in Step}:
        draft.editing = True
        await go_to(query, state, t, profile, draft, Step(value[2:]))
    elif value == "ok":
        await _confirm(query, state, t, profile, draft, user_id, keys)
    else:
        await query.answer(t.plain("button-outdated"), show_alert=True)


async def _confirm(query: CallbackQuery, state: FSMContext, t: Translator, profile: VenueProfile,
                   draft: Draft, user_id: int, keys: KeyService) -> None:
    if missing_ip_for(draft, profile):
        draft.editing = True
        await go_to(query, state, t, profile, draft, Step.IPS,
                    [t("warn-ip-required", venue=profile.title,
                       perms=views.perms_text(t, profile, missing_ip_for(draft, profile)))])
        return
    if not is_complete(draft, profile):
        await advance(query, state, t, profile, draft, None)
        return
    try:
        record = await keys.create(user_id, draft)
    except LimitReached as exc:
        await query.answer(t.plain(exc.reason, venue=profile.title, limit=exc.limit), show_alert=True)
        return
    except NameTaken:
        draft.editing = True
        await go_to(query, state, t, profile, draft, Step.NAME, [t("name-taken", venue=profile.title)])
        return
    await state.clear()
    await begin_credentials(query, state, t, profile, record, mode="new", draft=draft)


# Each step's buttons, one handler each (the FlowButton middleware has checked and loaded the draft).
_BUTTONS: dict[str, Callable[..., Awaitable[None]]] = {
    "env": _environment, "perms": _permissions, "ro": _read_only, "ips": _ips, "exp": _expiry,
    "act": _activate, SUMMARY: _summary,
}


# --- typed answers ------------------------------------------------------------------------------


async def on_flow_message(message: Message, state: FSMContext, t: Translator, user_id: int,
                          venues: VenueRegistry, keys: KeyService, clock: Clock) -> None:
    """Typed answers. Secrets never get here: the guard router removes them first."""
    step = _current_step(await state.get_state()) or "venue"
    if await refuse_credential_paste(message, t):
        return
    notes: list[str] = []
    if message.text is None:
        notes.append(t("need-text" if step in TEXT_STEPS else "use-buttons"))
    elif step not in TEXT_STEPS:
        notes.append(t("use-buttons"))
    loaded = await _load(state, venues)
    if step == "venue" or loaded is None:
        await state.set_state(AddKey.venue)
        text, markup = views.venue_picker(t, venues)
        await show_prompt(message, state, views.with_notes(notes, text), markup)
        return
    draft, profile = loaded
    if notes or message.text is None:
        await go_to(message, state, t, profile, draft, step, notes)
        return
    await _TEXT[step](message, state, t, profile, draft, message.text, user_id, keys, clock)


async def _host(message: Message, state: FSMContext, t: Translator, profile: VenueProfile, draft: Draft,
                text: str, user_id: int, keys: KeyService, clock: Clock) -> None:
    host, problem = check_host(text)
    if host is None:
        await go_to(message, state, t, profile, draft, Step.HOST, [t(f"host-{problem}")])
        return
    try:
        await keys.check_limits(user_id, profile, draft.environment, host)
    except LimitReached as exc:
        await go_to(message, state, t, profile, draft, Step.HOST,
                    [t(exc.reason, venue=profile.title, limit=exc.limit)])
        return
    draft.host = host
    await advance(message, state, t, profile, draft, Step.HOST)


async def _name(message: Message, state: FSMContext, t: Translator, profile: VenueProfile, draft: Draft,
                text: str, user_id: int, keys: KeyService, clock: Clock) -> None:
    try:
        name = clean_name(text)
    except NameError_ as exc:
        await go_to(message, state, t, profile, draft, Step.NAME, [t(f"name-{exc.reason}")])
        return
    if await keys.name_taken(user_id, profile.id, name):
        await go_to(message, state, t, profile, draft, Step.NAME, [t("name-taken", venue=profile.title)])
        return
    draft.name = name
    await advance(message, state, t, profile, draft, Step.NAME)


async def _ip_list(message: Message, state: FSMContext, t: Translator, profile: VenueProfile, draft: Draft,
                   text: str, user_id: int, keys: KeyService, clock: Clock) -> None:
    rules = profile.ip
    parsed = parse_ip_list(text, ipv6=rules.ipv6, cidr=rules.cidr, max_entries=rules.max_entries)
    notes = [t(f"ip-bad-{reason}", entry=entry[:60]) for entry, reason in parsed.bad[:10]]
    if len(parsed.bad) > 10:
        notes.append(t("ip-bad-more", count=len(parsed.bad) - 10))
    if parsed.over_limit:
        notes.append(t("ip-over-limit", venue=profile.title, max=rules.max_entries or 0, count=len(parsed.ips)))
    if notes or not parsed.ips:
        if not notes:
            notes.append(t("ip-none-found"))
        await go_to(message, state, t, profile, draft, Step.IPS, notes)
        return
    draft.ips = parsed.ips
    ok = [t("ip-accepted", count=len(parsed.ips))]
    if parsed.duplicates:
        ok.append(t("ip-duplicates", count=parsed.duplicates))
    await advance(message, state, t, profile, draft, Step.IPS, ok)


async def _remind_date(message: Message, state: FSMContext, t: Translator, profile: VenueProfile,
                       draft: Draft, text: str, user_id: int, keys: KeyService, clock: Clock) -> None:
    day: date | None = parse_date(text, clock.now().date())
    if day is None:
        await go_to(message, state, t, profile, draft, "exp_date", [t("date-invalid")])
        return
    draft.expiry, draft.remind_on = "remind", day.isoformat()
    await advance(message, state, t, profile, draft, Step.EXPIRY)


_TEXT = {"host": _host, "name": _name, "ips": _ip_list, "exp_date": _remind_date}


def create_router() -> Router:
    router = Router(name="add_key")
    router.message.filter(CommandOrState())
    router.message.register(cmd_add, Command("add"))
    router.callback_query.register(menu_add, MenuCb.filter(F.action == "add"))
    router.callback_query.register(resume, MenuCb.filter(F.action == "resume"))
    router.callback_query.register(discard, MenuCb.filter(F.action == "discard"))
    router.callback_query.middleware(FlowButton())
    router.callback_query.register(on_cancel, FlowCb.filter(F.value == "cancel"))
    router.callback_query.register(_pick_venue, FlowCb.filter(F.step == "venue"))
    router.callback_query.register(_back, FlowCb.filter(F.value == "back"))
    for step, handler in _BUTTONS.items():
        router.callback_query.register(handler, FlowCb.filter(F.step == step))
    router.callback_query.register(on_unknown_button, FlowCb.filter())
    router.message.register(on_flow_message, StateFilter(AddKey))
    return router
