"""The group fast path: a plain group message is scanned before aiogram's middlewares and routers, and
a clean one ends there; everything else, and anything the scan flags, goes the full way (scanned once)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiogram.types import Message, TelegramObject

from handlers.fastpath import plain_group_text
from tests.harness import BOB, CAROL, GROUP, Harness
from tests.test_guard import SECRET


def _message(chat_type: str = "supergroup", **fields: Any) -> Message:
    return Message.model_validate({"message_id": 1, "date": 0, "chat": {"id": GROUP, "type": chat_type},
                                   "from": {"id": BOB, "is_bot": False, "first_name": "B"}, **fields})


BOT = {"id": 42, "is_bot": True, "first_name": "Bot"}


@pytest.mark.parametrize(("fields", "fast"), [
    ({"text": "gm, BTC looks heavy"}, True),
    ({"caption": "chart", "photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]}, True),
    ({"text": "/guard off"}, False),  # a command
    ({"text": "thanks", "reply_to_message": {"message_id": 9, "date": 0, "chat": {"id": GROUP, "type": "supergroup"},
                                             "from": BOT, "text": "notice"}}, False),  # a reply to the bot
    ({"caption": "config", "document": {"file_id": "d", "file_unique_id": "d"}}, False),  # scanned in a worker
    ({"new_chat_members": [{"id": 7, "is_bot": False, "first_name": "N"}]}, False),  # a service message
])
def test_what_takes_the_fast_path(fields: dict[str, Any], fast: bool) -> None:
    assert (plain_group_text(_message(**fields), 42) is not None) == fast


def test_private_chats_never_take_it() -> None:
    assert plain_group_text(_message("private", text="gm"), 42) is None


async def test_a_clean_group_message_ends_before_the_middlewares(h: Harness) -> None:
    seen: list[str] = []

    async def count(handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]], event: TelegramObject,
                    data: dict[str, Any]) -> Any:
        seen.append(type(event).__name__)
        return await handler(event, data)

    h.dp.update.outer_middleware(count)
    scans: list[str] = []
    inspect = h.services.guard.inspect

    async def counted(owner: int, text: str) -> Any:
        scans.append(text)
        return await inspect(owner, text)

    h.services.guard.inspect = counted  # type: ignore[method-assign,assignment]
    clean = await h.chat(BOB, GROUP).send("gm, anyone trading the ETH/BTC range?")
    assert not clean.deleted
    assert seen == []  # no FSM lookup, no isolation lock, no router
    assert len(scans) == 1
    leak = await h.chat(BOB, GROUP).send(SECRET)
    assert leak.deleted  # the full path: deleted, sender told
    assert len(seen) == 1
    assert len(scans) == 2  # scanned once: the full path used the fast path's finding
    await h.chat(CAROL, GROUP).send("/guard")
    assert len(seen) == 2  # commands go the full way
