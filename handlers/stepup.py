"""The unlock passphrase: setting, changing and turning it off from /settings, asking for it before a
dangerous key action and resuming that action, and /lock. Every message that carries a passphrase is
deleted first, whatever happens next; FSM data holds only what to resume (an action and a key id)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, InputMediaPhoto, Message

from bot.deletions import DeletionService
from bot.i18n import Html, Translator
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


ENROLL_SECONDS = 300  # the authenticator's QR code stays this long
RECOVERY_SECONDS = 600  # the recovery codes stay this long: time to write them down
# A 1×1 white PNG: the protected placeholder photo whose deletion is scheduled before the QR goes in.
PLACEHOLDER_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ffff3f0005fe02fe"
    "a7356a810000000049454e44ae426082")


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
    totp = "totp-off" if await stepup.second.enabled(user_id) else "totp-add"
    text = "\n\n".join([t("passphrase-on-info", minutes=minutes), t(f"{totp}-info")])
    await show(event, text, rows(
        [button(t("btn-passphrase-change"), PassCb(action="change")),
         button(t("btn-passphrase-off"), PassCb(action="off"))],
        [button(t(f"btn-{totp}"), PassCb(action=totp))],
        [button(t("btn-passphrase-forgot"), PassCb(action="forgot"))],
        [button(t("btn-back"), MenuCb(action="settings"))]))


async def on_settings_button(query: CallbackQuery, t: Translator, stepup: StepUp, user_id: int) -> None:
    await passphrase_screen(query, t, stepup, user_id)


async def on_pass_button(query: CallbackQuery, callback_data: PassCb, state: FSMContext, t: Translator,
                         stepup: StepUp, user_id: int, deletions: DeletionService, keys: KeyService) -> None:
    action = callback_data.action
    has_one = await stepup.has_passphrase(user_id)
    totp = await stepup.second.enabled(user_id)
    if action == "set" and not has_one:
        await state.set_state(Unlock.new)
        await show(query, t("passphrase-ask-new"), _cancel(t))
    elif action in ("change", "off") and has_one:
        if await stepup.needs_code(user_id):
            await _ask_code(query, state, t, {"then": action, "next": "current"})
            return
        await state.set_state(Unlock.current)
        await state.set_data({"then": action})
        await show(query, t("passphrase-ask-current"), _cancel(t))
    elif action == "forgot" and has_one:
        await show(query, t("passphrase-forgot-confirm"), rows(
            [button(t("btn-passphrase-reset"), PassCb(action="forgot!"))],
            [button(t("btn-no"), MenuCb(action="settings"))]))
    elif action == "forgot!" and has_one:
        # No step-up: whoever holds the session can do this, and reads nothing by it.
        await keys.forget_secrets(user_id)
        await stepup.remove(user_id, reset=True)
        await state.clear()
        await show(query, t("passphrase-reset-done"), rows([button(t("btn-back"), MenuCb(action="settings"))]))
    elif action in ("totp-add", "totp-off") and has_one and totp == (action == "totp-off"):
        # Adding one could lock the owner out, removing one weakens the unlock: both need it unlocked.
        if await stepup.required(user_id):
            await ask_unlock(query, state, t, stepup, action)
        elif action == "totp-add":
            await _enroll(query, state, t, stepup, user_id, deletions)
        else:
            await stepup.second.remove(user_id)
            await show(query, t("totp-removed"), rows([button(t("btn-back"), MenuCb(action="settings"))]))
    else:
        await query.answer(t.plain("button-outdated"), show_alert=True)


async def ask_unlock(event: Message | CallbackQuery, state: FSMContext, t: Translator, stepup: StepUp,
                     then: str, key_id: int | None = None) -> None:
    """Called instead of a guarded action; `then` names the screen to resume at (rev, del, panic, …).
    With an authenticator on, its code is asked first."""
    data: dict[str, object] = {"then": then, "key_id": key_id}
    user = event.from_user
    if user is not None and await stepup.needs_code(user.id):
        await _ask_code(event, state, t, {**data, "next": "ask"})
        return
    await state.set_state(Unlock.ask)
    await state.set_data(data)
    await show(event, t("unlock-ask"), _cancel(t))


async def _ask_code(event: Message | CallbackQuery, state: FSMContext, t: Translator, data: dict[str, object]) -> None:
    await state.set_state(Unlock.code)
    await state.set_data(data)
    await show(event, t("unlock-ask-code"), _cancel(t))


async def _enroll(event: Message | CallbackQuery, state: FSMContext, t: Translator, stepup: StepUp, user_id: int,
                  deletions: DeletionService) -> None:
    """The authenticator's secret as a QR code and as text, in a protected message that deletes itself
    (scheduled before the secret goes in, as the reveal does); then the first code is asked."""
    bot = event.bot
    chat = event.chat if isinstance(event, Message) else (event.message.chat if event.message else None)
    if bot is None or chat is None:
        return
    if isinstance(event, CallbackQuery):
        await event.answer()
    enrollment = await stepup.second.begin(user_id, f"Telegram {user_id}")
    stub = await bot.send_photo(chat.id, BufferedInputFile(PLACEHOLDER_PNG, "wait.png"),
                                caption=t("reveal-preparing"), protect_content=True)
    await deletions.schedule(chat.id, stub.message_id, ENROLL_SECONDS)
    caption = t("totp-scan", secret=Html(f"<tg-spoiler><code>{enrollment.secret}</code></tg-spoiler>"),
                minutes=ENROLL_SECONDS // 60)
    await bot.edit_message_media(InputMediaPhoto(media=BufferedInputFile(enrollment.qr_png, "authenticator.png"),
                                                 caption=caption), chat_id=chat.id, message_id=stub.message_id)
    await state.set_state(Unlock.totp)
    await state.set_data({})
    await bot.send_message(chat.id, t("totp-ask-first"), reply_markup=_cancel(t))


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
                        verifier: VerificationService, deletions: DeletionService) -> None:
    await _remove(message, bot, t)
    text = message.text
    if text is None:
        await message.answer(t("passphrase-need-text"), reply_markup=_cancel(t))
        return
    step = await state.get_state()
    if step == Unlock.code.state:
        await _on_code(message, state, t, stepup, user_id, text)
        return
    if step == Unlock.totp.state:
        await _on_first_code(message, state, t, stepup, user_id, text, deletions)
        return
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
    data = await state.get_data()
    if attempt.outcome == Outcome.NEED_CODE:  # the code's window ran out before the passphrase came
        await _ask_code(message, state, t, {**data, "next": "current" if step == Unlock.current.state else "ask"})
        return
    if attempt.outcome not in (Outcome.UNLOCKED, Outcome.NOT_SET):
        await message.answer(_refusal(t, attempt, stepup), reply_markup=_cancel(t))
        return
    await state.clear()
    if step == Unlock.current.state:
        await _after_current(message, state, t, stepup, keys, user_id, str(data.get("then", "")))
    elif data.get("then") in ("totp-add", "totp-off"):
        await message.answer(t("unlocked"))
        if data["then"] == "totp-add":
            await _enroll(message, state, t, stepup, user_id, deletions)
        else:
            await stepup.second.remove(user_id)
            await message.answer(t("totp-removed"))
    else:
        await _resume(message, t, keys, venues, user_id, data, reveal_seconds)
    await _run_waiting_checks(message, t, verifier, user_id)


async def _on_code(message: Message, state: FSMContext, t: Translator, stepup: StepUp, user_id: int,
                   text: str) -> None:
    attempt = await stepup.check_code(user_id, text)
    if attempt.outcome not in (Outcome.CODE_OK, Outcome.NOT_SET):
        await message.answer(_refusal(t, attempt, stepup, code=True), reply_markup=_cancel(t))
        return
    data = await state.get_data()
    then_current = data.get("next") == "current"
    await state.set_state(Unlock.current if then_current else Unlock.ask)
    await state.set_data({k: v for k, v in data.items() if k != "next"})
    lines = [t("unlock-code-ok")]
    if attempt.recovery_left is not None:
        lines.append(t("recovery-code-used", left=attempt.recovery_left))
    lines.append(t("passphrase-ask-current" if then_current else "unlock-ask"))
    await message.answer("\n\n".join(lines), reply_markup=_cancel(t))


async def _on_first_code(message: Message, state: FSMContext, t: Translator, stepup: StepUp, user_id: int,
                         text: str, deletions: DeletionService) -> None:
    codes = await stepup.second.confirm(user_id, text)
    if codes is None:
        await message.answer(t("totp-first-wrong"), reply_markup=_cancel(t))
        return
    await state.clear()
    # Shown once, protected, and deleted after a while: written down by then, or lost with the message.
    stub = await message.answer(t("reveal-preparing"), protect_content=True)
    await deletions.schedule(message.chat.id, stub.message_id, RECOVERY_SECONDS)
    if message.bot is not None:
        listing = "\n".join(f"<code>{c}</code>" for c in codes)
        await message.bot.edit_message_text(
            t("totp-recovery-codes", codes=Html(listing), minutes=RECOVERY_SECONDS // 60),
            chat_id=message.chat.id, message_id=stub.message_id)
    await message.answer(t("totp-on"))


async def _run_waiting_checks(message: Message, t: Translator, verifier: VerificationService, user_id: int) -> None:
    """Health checks of keys locked with the passphrase wait for an unlock: run the due ones now."""
    results = await verifier.check_waiting_locked(user_id)
    if results:
        lines = [t("locked-checks-title", count=len(results))]
        lines += [f"• {record.name}: {t('outcome-' + result.verification.outcome.replace('_', '-'))}"
                  for record, result in results]
        await message.answer("\n".join(lines))


def _refusal(t: Translator, attempt: Attempt, stepup: StepUp, code: bool = False) -> str:
    now = stepup.now()
    wait = fmt_duration(t, max(1, (attempt.retry_at or now) - now))
    if attempt.outcome == Outcome.BLOCKED:
        return t("unlock-blocked", wait=wait)
    lines = [t("unlock-wrong-code" if code else "unlock-wrong", count=attempt.failures)]
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
