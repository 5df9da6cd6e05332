"""The guard in the user's own private chats, through a Telegram Business connection: the user connects
the bot to their account (Bot API 7.2; rights since 9.0), it reads their chats with other people and,
with "delete all messages", removes a secret either side posts there."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError

from bot.guard.service import Deleted
from domain.clock import Clock
from domain.models import BusinessLink
from domain.ports import BusinessRepo


class BusinessGuard:
    def __init__(self, repo: BusinessRepo, clock: Clock) -> None:
        self._repo = repo
        self._clock = clock

    async def connected(self, link: BusinessLink) -> None:
        """A connection was made, changed or removed (disabled): remember its rights."""
        await self._repo.save(link, int(self._clock.now().timestamp()))

    async def link(self, connection_id: str) -> BusinessLink | None:
        return await self._repo.get(connection_id)

    async def links(self, owner_id: int) -> list[BusinessLink]:
        return await self._repo.of_owner(owner_id)

    @staticmethod
    async def delete(bot: Bot, link: BusinessLink, message_id: int) -> Deleted:
        """Remove one message from the owner's chat; REFUSED without the right or after 48 hours."""
        if not link.can_delete:
            return Deleted.REFUSED
        try:
            await bot.delete_business_messages(business_connection_id=link.id, message_ids=[message_id])
        except TelegramBadRequest as exc:
            return Deleted.GONE if "not found" in exc.message else Deleted.REFUSED
        except TelegramForbiddenError:
            return Deleted.REFUSED
        return Deleted.YES
