"""The group fast path. A bot that guards thousands of busy groups sees mostly one kind of update: a plain
message from a member. Only the guard cares about it, so it is scanned here, before aiogram's
middlewares, FSM lookup, isolation lock and routers; a clean one is done. Everything else — commands,
replies to the bot, documents (downloaded and scanned in a worker), service messages, and any message
the scan flags — goes the full way, with the scan's result handed on so it is not done twice."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Message, Update

from bot.guard.scanner import Leak
from bot.guard.service import GuardService

GROUPS = frozenset(("group", "supergroup"))


def plain_group_text(message: Message, bot_id: int) -> str | None:
    """The text to scan when `message` is a plain group message that nothing but the guard handles."""
    if message.chat.type not in GROUPS or message.document is not None:
        return None
    text = message.text if message.text is not None else message.caption
    if text is None or text.startswith("/"):  # a command, or a service message (no text at all)
        return None
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return None
    return text


class FastPathDispatcher(Dispatcher):
    """aiogram's Dispatcher with the group fast path in front of `feed_update` (which polling and the
    webhook handler both call); everything it does not finish runs exactly as before."""

    def __init__(self, *, guard: GuardService, **kwargs: Any) -> None:
        super().__init__(guard=guard, **kwargs)
        self._guard = guard
        self._bot_ids: dict[str, int] = {}

    def _bot_id(self, bot: Bot) -> int:
        """Bot.id parses the token on every call; a hot path remembers it."""
        found = self._bot_ids.get(bot.token)
        if found is None:
            found = self._bot_ids[bot.token] = bot.id
        return found

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        message = update.message or update.edited_message
        if message is not None and (text := plain_group_text(message, self._bot_id(bot))) is not None:
            owner = message.from_user.id if message.from_user is not None else 0
            leak: Leak | None = await self._guard.inspect(owner, text)
            if leak is None:
                return None
            kwargs["scanned_leak"] = leak
        return await super().feed_update(bot, update, **kwargs)
