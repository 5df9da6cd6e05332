"""The secret guard: removes messages that expose a secret, in private chats and in groups, and lets
group admins control it with /guard. Runs before every other router."""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import Bot, Router
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import CallbackQuery, ChatMemberUpdated, EphemeralMessageParameters, Message

from bot.deletions import DeletionService
from bot.guard.detector import kind_group
from bot.guard.scanner import Leak
from bot.guard.service import Deleted, GroupAction, GuardService
from bot.i18n import Html, Locales, Translator
from bot.keys import KeyService
from bot.users import UserService
from bot.venues.registry import VenueRegistry
from domain.models import KeyRecord, LeakReminder
from handlers.callbacks import LeakCb
from handlers.filters import GroupChat, PrivateChat
from handlers.key_views import compromised_actions, revoke_advice
from handlers.keyboards import button, rows
from handlers.states import AddKey, BrokerSession, Credentials, KeyEdit

TEXT_DOCUMENT_MAX = 64 * 1024
TEXT_SUFFIXES = (".txt", ".pem", ".key", ".json", ".env", ".csv", ".log", ".conf", ".cfg", ".ini", ".yaml", ".yml",
                 ".toml", ".md", ".py", ".js", ".ts", ".sh")
GROUP_NOTICE_SECONDS = 60
GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)


def kinds_text(t: Translator, leak: Leak | list[str]) -> str:
    kinds = leak.kinds if isinstance(leak, Leak) else leak
    groups = dict.fromkeys(kind_group(k) for k in kinds)  # ordered, unique
    return ", ".join(t(f"leak-kind-{g}") for g in groups)


# What to do about each kind of leak: deleting the message does not un-leak it.
REMEDIES = {"seed": "remedy-wallet", "wallet-key": "remedy-wallet", "exchange": "remedy-exchange",
            "password": "remedy-password", "private-key": "remedy-private-key", "webhook": "remedy-webhook",
            "token": "remedy-token", "session": "remedy-session"}


def remedies(t: Translator, leak: Leak, own: list[KeyRecord], venues: VenueRegistry) -> str:
    """One line per remedy the leak calls for; a matched stored key gets its venue's own revoke action."""
    wanted: dict[str, None] = {}
    for kind in leak.kinds:
        if kind == "own_secret":
            continue
        wanted["remedy-bot-token" if kind == "telegram_bot_token" else REMEDIES.get(kind_group(kind), "remedy-token")] \
            = None
    if own:
        wanted.pop("remedy-exchange", None)  # said below, per key, in the venue's own words
    lines = [t(r) for r in wanted]
    lines += [t("remedy-own", name=r.name, venue=venues[r.venue].title, revoke=Html(revoke_advice(t, venues[r.venue])))
              for r in own]
    return "\n".join(f"• {line}" for line in lines)


async def compromised(keys: KeyService, owner_id: int, leak: Leak, place: str) -> list[KeyRecord]:
    """Mark every stored key the leak matches as compromised; returns them."""
    records = [r for k in leak.key_ids[:10] if (r := await keys.get(owner_id, k)) is not None]
    for record in records:
        await keys.mark_compromised(record, place)
    return records


async def _document_text(bot: Bot, message: Message) -> str | None:
    """The content of a small text document, so a key sent as a file is caught too."""
    doc = message.document
    if doc is None or (doc.file_size or 0) > TEXT_DOCUMENT_MAX:
        return None
    textual = (doc.mime_type or "").startswith("text/") or (doc.file_name or "").lower().endswith(TEXT_SUFFIXES)
    if not textual:
        return None
    try:
        buffer = await bot.download(doc.file_id)
    except TelegramAPIError:
        return None
    if buffer is None:
        return None
    return buffer.read(TEXT_DOCUMENT_MAX).decode("utf-8", errors="replace")


class ExposesSecret(Filter):
    """Passes a message that exposes a secret and hands the handler the `leak`. Credentials pasted on
    purpose at the paste step are left to that step, which deletes and stores them, and a passphrase to
    the unlock step, which deletes it."""

    async def __call__(self, message: Message, bot: Bot, guard: GuardService, raw_state: str | None = None,
                       scanned_leak: Leak | None = None) -> bool | dict[str, Any]:
        if message.chat.type == ChatType.PRIVATE and message.business_connection_id is None \
                and (raw_state in (Credentials.paste.state, BrokerSession.token.state)
                     or (raw_state or "").startswith("Unlock:")):
            return False
        if scanned_leak is not None:  # the group fast path found it already
            return {"leak": scanned_leak}
        parts = [p for p in (message.text, message.caption) if p]
        if message.document is not None and (content := await _document_text(bot, message)):
            parts.append(content)
        if not parts:
            return False
        owner = message.from_user.id if message.from_user else 0
        leak = await guard.inspect(owner, "\n".join(parts))
        return {"leak": leak} if leak else False


# --- private chats ---------------------------------------------------------------------------------


async def private_leak(message: Message, leak: Leak, bot: Bot, guard: GuardService, t: Translator,
                       keys: KeyService, venues: VenueRegistry, raw_state: str | None = None) -> None:
    outcome = await guard.delete(bot, message.chat.id, message.message_id)
    kinds = kinds_text(t, leak)
    in_flow = (raw_state or "").split(":")[0] in (AddKey.__name__, KeyEdit.__name__)
    own = await compromised(keys, message.chat.id, leak, "private")
    fixes = remedies(t, leak, own, venues)
    if outcome == Deleted.REFUSED:
        await guard.remind_later(message.chat.id, message.message_id, message.chat.id, leak)
        markup = rows([button(t("btn-leak-deleted"), LeakCb(chat=message.chat.id, msg=message.message_id,
                                                               action="done")),
                       button(t("btn-leak-dismiss"), LeakCb(chat=message.chat.id, msg=message.message_id,
                                                               action="dismiss"))])
        await message.answer(t("leak-private-undeleted", kinds=kinds, remedies=Html(fixes)), reply_markup=markup)
        return
    text = t("secret-wrong-step", kinds=kinds) if in_flow else t("leak-private-deleted", kinds=kinds)
    if own:
        text += "\n" + t("leak-own-key")
    text += "\n" + t("leak-private-remedies", remedies=Html(fixes))
    lines = [row for r in own[:3] for row in compromised_actions(t, r.id)]
    await message.answer(text, reply_markup=rows(*lines) if lines else None)


async def leak_button(query: CallbackQuery, callback_data: LeakCb, guard: GuardService, t: Translator) -> None:
    known = await guard.stop_reminding(callback_data.chat, callback_data.msg, query.from_user.id)
    if not known:
        await query.answer(t.plain("button-outdated"), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_text(t("leak-reminder-stopped"))


async def send_leak_reminder(bot: Bot, reminder: LeakReminder, users: UserService, locales: Locales) -> None:
    """Called by the guard's reminder job for a leak the bot could not delete."""
    user = await users.get(reminder.user_id)
    t = locales.get(user.language if user else "en")
    markup = rows([button(t("btn-leak-deleted"), LeakCb(chat=reminder.chat_id, msg=reminder.message_id,
                                                           action="done")),
                   button(t("btn-leak-dismiss"), LeakCb(chat=reminder.chat_id, msg=reminder.message_id,
                                                           action="dismiss"))])
    await bot.send_message(reminder.user_id, t("leak-reminder", kinds=kinds_text(t, reminder.kinds.split(","))),
                           reply_markup=markup)


# --- groups ----------------------------------------------------------------------------------------


def _anonymous(message: Message) -> bool:
    """Posted as the group (anonymous admin) or by a channel: `from` is a placeholder, never blame it."""
    return message.sender_chat is not None


async def _tell_sender(bot: Bot, message: Message, text: str, public: str, guard: GuardService,
                       deletions: DeletionService, t: Translator, leak: Leak) -> None:
    """Privately: an ephemeral message in the group; where that fails, a short public notice that
    deletes itself plus a private message if the sender has opened the bot. When the group's notices
    are used up for the minute, the notice joins a merged one and only the private message goes now."""
    sender = message.from_user
    assert sender is not None
    if not guard.notices.take(message.chat.id):
        guard.notices.defer(message.chat.id, t.language, sender.first_name, leak.kinds)
        if await guard.has_started(sender.id):
            with contextlib.suppress(TelegramAPIError):
                await bot.send_message(sender.id, text)
        return
    try:
        await bot.send_message(message.chat.id, text,
                               ephemeral_message_parameters=EphemeralMessageParameters(receiver_user_id=sender.id))
        return
    except TelegramBadRequest:
        pass
    notice = await bot.send_message(message.chat.id, public)
    await deletions.schedule(notice.chat.id, notice.message_id, GROUP_NOTICE_SECONDS)
    if await guard.has_started(sender.id):
        with contextlib.suppress(TelegramAPIError):
            await bot.send_message(sender.id, text)


async def group_leak(message: Message, leak: Leak, bot: Bot, guard: GuardService, deletions: DeletionService,
                     t: Translator, keys: KeyService, venues: VenueRegistry) -> None:
    anonymous = _anonymous(message)
    sender_id = None if anonymous or message.from_user is None else message.from_user.id
    action = await guard.group_action(message.chat.id, sender_id)
    if action == GroupAction.IGNORE:
        return
    kinds = kinds_text(t, leak)
    title = message.chat.title or ""
    name = message.from_user.first_name if message.from_user and not anonymous else ""
    if action == GroupAction.REPORT:
        if anonymous:
            await _public_notice(bot, message, t("leak-group-dryrun-anonymous", kinds=kinds), deletions, guard, t,
                                 leak)
        else:
            await _tell_sender(bot, message, t("leak-group-dryrun", kinds=kinds, chat=title),
                               t("leak-group-dryrun-public", name=name, kinds=kinds), guard, deletions, t, leak)
        return
    outcome = await guard.delete(bot, message.chat.id, message.message_id)
    if outcome == Deleted.REFUSED:
        if await guard.first_refusal(message.chat.id):
            await bot.send_message(message.chat.id, t("guard-no-rights"))
        if not anonymous:
            await _tell_sender(bot, message, t("leak-group-undeleted", kinds=kinds, chat=title),
                               t("leak-group-undeleted-public", name=name, kinds=kinds), guard, deletions, t, leak)
        return
    if (await guard.settings(message.chat.id)).warned_no_rights:
        await guard.rights_restored(message.chat.id)
    if anonymous:
        await _public_notice(bot, message, t("leak-group-anonymous", kinds=kinds), deletions, guard, t, leak)
        return
    own = await compromised(keys, sender_id, leak, "group") if sender_id is not None else []
    await _tell_sender(bot, message, t("leak-group-deleted", kinds=kinds, chat=title,
                                       remedies=Html(remedies(t, leak, own, venues))),
                       t("leak-group-deleted-public", name=name, kinds=kinds), guard, deletions, t, leak)
    if own and sender_id is not None:
        # The owner's own key, seen by a whole group: a private message with the way out, whatever
        # became of the ephemeral notice.
        for record in own[:3]:  # `t` speaks the sender's language: the middleware loaded their profile
            with contextlib.suppress(TelegramAPIError):
                await bot.send_message(sender_id, t(
                    "leak-owner-private", name=record.name, venue=venues[record.venue].title, chat=title,
                    revoke=Html(revoke_advice(t, venues[record.venue]))),
                    reply_markup=rows(*compromised_actions(t, record.id)))


async def send_merged_notices(bot: Bot, guard: GuardService, locales: Locales, deletions: DeletionService) -> int:
    """The notices that did not fit a group's minute, one merged message per group as its slot frees."""
    sent = 0
    for chat_id, merged in guard.notices.due():
        t = locales.get(merged.language)
        names: str = ", ".join(merged.names) if merged.names else t("leak-group-merged-someone")
        if merged.others:
            names = Html(t("leak-group-merged-others", names=names, count=merged.others))  # escaped once, here
        with contextlib.suppress(TelegramAPIError):
            notice = await bot.send_message(chat_id, t("leak-group-merged", count=merged.count, names=names,
                                                       kinds=kinds_text(t, sorted(merged.kinds))))
            await deletions.schedule(chat_id, notice.message_id, GROUP_NOTICE_SECONDS)
            sent += 1
    return sent


async def _public_notice(bot: Bot, message: Message, text: str, deletions: DeletionService, guard: GuardService,
                         t: Translator, leak: Leak) -> None:
    if not guard.notices.take(message.chat.id):
        guard.notices.defer(message.chat.id, t.language, "", leak.kinds)
        return
    notice = await bot.send_message(message.chat.id, text)
    await deletions.schedule(notice.chat.id, notice.message_id, GROUP_NOTICE_SECONDS)


async def _is_admin(bot: Bot, message: Message) -> bool:
    if message.sender_chat is not None and message.sender_chat.id == message.chat.id:
        return True  # only admins can post anonymously as the group
    if message.from_user is None:
        return False
    member = await bot.get_chat_member(message.chat.id, message.from_user.id)
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.CREATOR)


async def guard_command(message: Message, command: CommandObject, bot: Bot, guard: GuardService,
                        t: Translator) -> None:
    arg = (command.args or "").strip().lower()
    if not arg:
        await message.reply(await _status(bot, message, guard, t))
        return
    if not await _is_admin(bot, message):
        await message.reply(t("guard-admins-only"))
        return
    if arg in ("on", "off", "dryrun"):
        await guard.set_mode(message.chat.id, arg)
        await message.reply(t(f"guard-mode-{arg}"))
    elif arg in ("exempt", "unexempt"):
        target = message.reply_to_message.from_user if message.reply_to_message else None
        if target is None or target.is_bot:
            await message.reply(t("guard-exempt-usage"))
            return
        await guard.set_exempt(message.chat.id, target.id, arg == "exempt")
        await message.reply(t(f"guard-{arg}ed", name=target.first_name))
    else:
        await message.reply(t("guard-usage"))


async def _status(bot: Bot, message: Message, guard: GuardService, t: Translator) -> str:
    settings = await guard.settings(message.chat.id)
    me = await bot.get_chat_member(message.chat.id, bot.id)
    can_delete = me.status == ChatMemberStatus.CREATOR or bool(getattr(me, "can_delete_messages", False)) or (
        me.status == ChatMemberStatus.ADMINISTRATOR and message.chat.type == ChatType.GROUP)
    rights = t("guard-rights-ok") if can_delete else t("guard-no-rights")
    exempt = len(await guard.exemptions(message.chat.id))
    return t("guard-status", mode=t(f"guard-mode-name-{settings.mode}"), exempt=exempt) + "\n" + rights


async def added_to_group(event: ChatMemberUpdated, t: Translator) -> None:
    if event.chat.type in GROUP_TYPES and event.new_chat_member.status in (
            ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR) and event.old_chat_member.status in (
            ChatMemberStatus.LEFT, ChatMemberStatus.KICKED):
        await event.answer(t("guard-welcome"))


def create_router() -> Router:
    router = Router(name="guard")
    for observer in (router.message, router.edited_message):
        observer.register(private_leak, PrivateChat(), ExposesSecret())
        observer.register(group_leak, GroupChat(), ExposesSecret())
    router.message.register(guard_command, GroupChat(), Command("guard"))
    router.callback_query.register(leak_button, LeakCb.filter())
    router.my_chat_member.register(added_to_group)
    return router
