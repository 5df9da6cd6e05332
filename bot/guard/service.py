"""The secret guard's decisions: what to do with a message that exposes a secret, in a private chat
or a group, and the follow-up when the bot could not delete it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError

from bot.guard.notices import GroupNotices
from bot.guard.scanner import Leak, SecretScanner
from domain.clock import Clock
from domain.models import GroupGuard, LeakReminder
from domain.ports import GuardRepo, UserRepo

log = logging.getLogger(__name__)

REMIND_EVERY = 30 * 60
DELETE_WINDOW = 48 * 3600
GIVE_UP_AFTER = 7 * 86400  # stop reminding about one message after a week
MODES = ("on", "off", "dryrun")


class Deleted(StrEnum):
    YES = "deleted"
    GONE = "gone"  # already deleted by someone
    REFUSED = "refused"  # too old, or no right to delete


class GroupAction(StrEnum):
    IGNORE = "ignore"  # guard off, or the sender is exempt
    REPORT = "report"  # dry run: tell, do not delete
    DELETE = "delete"


class GuardService:
    def __init__(self, repo: GuardRepo, scanner: SecretScanner, users: UserRepo, clock: Clock) -> None:
        self._repo = repo
        self._scanner = scanner
        self._users = users
        self._clock = clock
        self.notices = GroupNotices(clock)

    def _now(self) -> int:
        return int(self._clock.now().timestamp())

    async def inspect(self, owner_id: int, text: str) -> Leak | None:
        return await self._scanner.inspect(owner_id, text)

    @staticmethod
    async def delete(bot: Bot, chat_id: int, message_id: int) -> Deleted:
        try:
            await bot.delete_message(chat_id, message_id)
        except TelegramBadRequest as exc:
            return Deleted.GONE if "not found" in exc.message else Deleted.REFUSED
        except TelegramForbiddenError:
            return Deleted.REFUSED
        return Deleted.YES

    # --- groups ----------------------------------------------------------------------------------

    async def settings(self, chat_id: int) -> GroupGuard:
        return await self._repo.group(chat_id)

    async def group_action(self, chat_id: int, sender_id: int | None) -> GroupAction:
        settings = await self._repo.group(chat_id)
        if settings.mode == "off":
            return GroupAction.IGNORE
        if sender_id is not None and await self._repo.is_exempt(chat_id, sender_id):
            return GroupAction.IGNORE
        return GroupAction.REPORT if settings.mode == "dryrun" else GroupAction.DELETE

    async def first_refusal(self, chat_id: int) -> bool:
        """True the first time the bot finds it cannot delete in this group (say so once)."""
        if (await self._repo.group(chat_id)).warned_no_rights:
            return False
        await self._repo.set_warned(chat_id, True, self._now())
        return True

    async def rights_restored(self, chat_id: int) -> None:
        await self._repo.set_warned(chat_id, False, self._now())

    async def set_mode(self, chat_id: int, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        await self._repo.set_mode(chat_id, mode, self._now())

    async def set_exempt(self, chat_id: int, user_id: int, exempt: bool) -> None:
        await self._repo.set_exempt(chat_id, user_id, exempt)

    async def exemptions(self, chat_id: int) -> list[int]:
        return await self._repo.exemptions(chat_id)

    async def has_started(self, user_id: int) -> bool:
        """Whether the user has talked to the bot in private (so a private message can reach them)."""
        return await self._users.exists(user_id)

    # --- messages the bot could not delete ---------------------------------------------------------

    async def remind_later(self, chat_id: int, message_id: int, user_id: int, leak: Leak) -> None:
        await self._repo.remind(chat_id, message_id, user_id, ",".join(leak.kinds), self._now() + REMIND_EVERY,
                                self._now())

    async def stop_reminding(self, chat_id: int, message_id: int, user_id: int) -> bool:
        return await self._repo.forget(chat_id, message_id, user_id)

    async def run_reminders(self, bot: Bot, notify: Callable[[Bot, LeakReminder], Awaitable[None]]) -> int:
        """Remind about what is due; a message found gone ends its reminders. Returns how many were sent."""
        sent = 0
        now = self._now()
        for reminder in await self._repo.claim_reminders(now, now + REMIND_EVERY):
            outcome = await self.delete(bot, reminder.chat_id, reminder.message_id)
            if outcome != Deleted.REFUSED or self._now() - reminder.created_at > GIVE_UP_AFTER:
                await self._repo.forget(reminder.chat_id, reminder.message_id, reminder.user_id)
                continue
            try:
                await notify(bot, reminder)
                sent += 1
            except TelegramAPIError as exc:
                log.info("could not remind user %s: %s", reminder.user_id, exc.message)
        return sent
