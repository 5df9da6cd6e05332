"""The unlock passphrase: setting, changing and turning it off from /settings, asking for it before a
dangerous key action and resuming that action, and /lock. Every message that carries a passphrase is
deleted first, whatever happens next; FSM data holds only what to resume (an action and a key id)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import Translator
from bot.keys import KeyService
from bot.stepup import Attempt, BadPassphrase, Outcome, StepUp
from bot.vault import Locked
from bot.venues.registry import VenueRegistry
from bot.verification import VerificationService
from handlers import key_views
from handlers.callbacks import KeyAction, MenuCb, PassCb, SetCb
from handlers.key_views import panic_confirm
from handlers.keyboards import button, rows
from handlers.states import Unlock
from handlers.ui import fmt_duration, show

# Key actions that need the passphrase (when one is set and the user is not unlocked), and the screen
# each resumes at once unlocked: the confirmation, so nothing happens without one more deliberate press.
GUARDED = {KeyAction.REVEAL_ASK: "rev", KeyAction.REVEAL: "rev", KeyAction.DELETE_ASK: "del",
           KeyAction.DELETE: "del", KeyAction.BROKER_DELETE: "del", KeyAction.SERVER_ASK: "srv",
           KeyAction.SERVER: "srv", KeyAction.LOCK: "lockp"}
# Key actions that read a key locked with the passphrase: they need it open (resume at the card unless
# GUARDED says otherwise).
OPENS_LOCKED = {KeyAction.REVEAL_ASK, KeyAction.REVEAL, KeyAction.VERIFY, KeyAction.ROTATE, KeyAction.PASTE,
                KeyAction.LOCK, KeyAction.SERVER_ASK, KeyAction.SERVER}


def _cancel(t: Translator) -> InlineKeyboardMarkup:
    return rows([button(t("btn-cancel"), MenuCb(action="home"))])


async def passphrase_screen(event: Message | CallbackQuery, t: Translator, stepup: StepUp, user_id: int) -> None:
    state = await stepup.state(user_id)
    minutes = stepup.unlock_seconds // 60
    if state is None or state.hash is None:
        await show(event, t("passphrase-off-info"), rows(
            [button(t("btn-passphrase-set"), PassCb(action="set"))],
            [button(t("btn-back"), MenuCb(action="settings"))]))
        return
    await show(event, t("passphrase-on-info", minutes=minutes), rows(
        [button(t("btn-passphrase-change"), PassCb(action="change")),
         button(t("btn-passphrase-off"), PassCb(action="off"))],
        [button(t("btn-back"), MenuCb(action="settings"))]))


async def on_settings_button(query: CallbackQuery, t: Translator, stepup: StepUp, user_id: int) -> None:
    await passphrase_screen(query, t, stepup, user_id)


async def on_pass_button(query: CallbackQuery, callback_data: PassCb, state: FSMContext, t: Translator,
                         stepup: StepUp, user_id: int) -> None:
    current = await stepup.state(user_id)
    has_one = current is not None and current.hash is not None
    if callback_data.action == "set" and not has_one:
        await state.set_state(Unlock.new)
        await show(query, t("passphrase-ask-new"), _cancel(t))
    elif callback_data.action in ("change", "off") and has_one:
        await state.set_state(Unlock.current)
        await state.set_data({"then": callback_data.action})
        await show(query, t("passphrase-ask-current"), _cancel(t))
    else:
        await query.answer(t.plain("button-outdated"), show_alert=True)


async def ask_unlock(event: Message | CallbackQuery, state: FSMContext, t: Translator, then: str,
                     key_id: int | None = None) -> None:
    """Called instead of a guarded action; `then` names the confirmation to resume at (rev, del, panic)."""
    await state.set_state(Unlock.ask)
    await state.set_data({"then": then, "key_id": key_id})
    await show(event, t("unlock-ask"), _cancel(t))


# --- messages that carry a passphrase ------------------------------------------------------------


async def _remove(message: Message, bot: Bot, t: Translator) -> None:
    try:
        await bot.delete_message(message.chat.id, message.message_id)
    except TelegramBadRequest:
        await message.answer(t("passphrase-undeleted"))


async def on_command(message: Message, state: FSMContext) -> None:
    """A command while a passphrase is asked for: not an attempt. Leave the step and let it run."""
    await state.clear()
    raise SkipHandler


async def on_passphrase(message: Message, bot: Bot, state: FSMContext, t: Translator, stepup: StepUp,
                        user_id: int, keys: KeyService, venues: VenueRegistry, reveal_seconds: int,
                        verifier: VerificationService) -> None:
    await _remove(message, bot, t)
    text = message.text
    if text is None:
        await message.answer(t("passphrase-need-text"), reply_markup=_cancel(t))
        return
    step = await state.get_state()
    if step == Unlock.new.state:
        try:
            await stepup.begin_setting(user_id, text)
        except BadPassphrase as exc:
            await message.answer(t(str(exc)), reply_markup=_cancel(t))
            return
        await state.set_state(Unlock.repeat)
        await message.answer(t("passphrase-ask-repeat"), reply_markup=_cancel(t))
        return
    if step == Unlock.repeat.state:
        try:
            confirmed = await stepup.confirm_setting(user_id, text)
        except Locked:  # a restart between the steps closed the keys the old passphrase locked
            await state.clear()
            await message.answer(t("passphrase-change-again"))
            return
        if confirmed:
            await state.clear()
            await message.answer(t("passphrase-set", minutes=stepup.unlock_seconds // 60))
        else:
            await state.set_state(Unlock.new)
            await message.answer(t("passphrase-mismatch"), reply_markup=_cancel(t))
        return
    attempt = await stepup.unlock(user_id, text)
    if attempt.outcome not in (Outcome.UNLOCKED, Outcome.NOT_SET):
        await message.answer(_refusal(t, attempt, stepup), reply_markup=_cancel(t))
        return
    data = await state.get_data()
    await state.clear()
    if step == Unlock.current.state:
        await _after_current(message, state, t, stepup, keys, user_id, str(data.get("then", "")))
    else:
        await _resume(message, t, keys, venues, user_id, data, reveal_seconds)
    await _run_waiting_checks(message, t, verifier, user_id)


async def _run_waiting_checks(message: Message, t: Translator, verifier: VerificationService, user_id: int) -> None:
    """Health checks of keys locked with the passphrase wait for an unlock: run the due ones now."""
    results = await verifier.check_waiting_locked(user_id)
    if results:
        lines = [t("locked-checks-title", count=len(results))]
        lines += [f"• {record.name}: {t('outcome-' + result.verification.outcome.replace('_', '-'))}"
                  for record, result in results]
        await message.answer("\n".join(lines))


def _refusal(t: Translator, attempt: Attempt, stepup: StepUp) -> str:
    now = stepup.now()
    wait = fmt_duration(t, max(1, (attempt.retry_at or now) - now))
    if attempt.outcome == Outcome.BLOCKED:
        return t("unlock-blocked", wait=wait)
    lines = [t("unlock-wrong", count=attempt.failures)]
    if attempt.retry_at is not None:
        lines.append(t("unlock-wait", wait=wait))
    if attempt.warn:
        lines.append(t("unlock-streak-warning"))
    return "\n\n".join(lines)


async def _after_current(message: Message, state: FSMContext, t: Translator, stepup: StepUp, keys: KeyService,
                         user_id: int, then: str) -> None:
    if then == "off":
        locked = (await keys.storage_counts(user_id))["locked"]
        if locked:  # turning it off would leave them sealed under a passphrase nobody is asked for
            await message.answer(t("passphrase-off-locked-keys", count=locked))
            return
        await stepup.remove(user_id)
        await message.answer(t("passphrase-removed"))
        return
    await state.set_state(Unlock.new)
    await message.answer(t("passphrase-ask-new"), reply_markup=_cancel(t))


async def _resume(message: Message, t: Translator, keys: KeyService, venues: VenueRegistry, user_id: int,
                  data: dict[str, object], reveal_seconds: int) -> None:
    if data.get("then") == "panic":
        text, markup = panic_confirm(t, await keys.list_keys(user_id))
        await message.answer(f"{t('unlocked')}\n\n{text}", reply_markup=markup)
        return
    record = await keys.get(user_id, int(str(data.get("key_id") or 0)))
    if record is None:
        await message.answer(t("key-not-found"))
        return
    then = data.get("then")
    if then == "rev":
        text, markup = key_views.reveal_confirm(t, record, reveal_seconds)
    elif then == "del":
        text, markup = key_views.delete_confirm(t, record, venues[record.venue])
    elif then == "lockp":
        text, markup = key_views.lock_confirm(t, record)
    elif then == "srv":
        text, markup = key_views.server_confirm(t, record)
    else:
        text, markup = await key_views.card(t, keys, venues[record.venue], record)
    await message.answer(f"{t('unlocked')}\n\n{text}", reply_markup=markup)


async def cmd_lock(message: Message, state: FSMContext, t: Translator, stepup: StepUp, user_id: int) -> None:
    if (await state.get_state() or "").startswith("Unlock:"):
        await state.clear()
    await message.answer(t("locked" if await stepup.lock(user_id) else "lock-nothing"))


def create_router() -> Router:
    router = Router(name="stepup")
    router.message.register(cmd_lock, Command("lock"))
    router.message.register(on_command, StateFilter(Unlock), F.text.startswith("/"))
    router.message.register(on_passphrase, StateFilter(Unlock), ~F.text.startswith("/"))
    router.callback_query.register(on_settings_button, SetCb.filter(F.field == "passphrase"))
    router.callback_query.register(on_pass_button, PassCb.filter())
    return router
