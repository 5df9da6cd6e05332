"""Shared pieces for the benchmarks: a Bot API session that answers instantly, and update builders."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Update

_ids = itertools.count(10_000)


class InstantSession(BaseSession):
    """Answers every call at once, as Telegram would, through aiogram's own response parsing."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    async def close(self) -> None:
        pass

    async def stream_content(self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,
                             chunk_size: int = 65536, raise_for_status: bool = True) -> AsyncGenerator[bytes, None]:
        yield b""

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
                           ) -> TelegramType:
        self.calls += 1
        name = type(method).__name__
        if name in ("SendMessage", "EditMessageText"):
            chat_id = getattr(method, "chat_id", 1)
            result: Any = {"message_id": next(_ids), "date": 0, "chat": {"id": chat_id, "type": "private"},
                           "from": {"id": 42, "is_bot": True, "first_name": "B"}, "text": "x"}
        else:
            result = True
        return self.check_response(bot, method, 200, json.dumps({"ok": True, "result": result})).result  # type: ignore[return-value]


def _user(uid: int) -> dict[str, Any]:
    return {"id": uid, "is_bot": False, "first_name": f"U{uid}", "language_code": "en"}


def text_update(update_id: int, uid: int, text: str) -> Update:
    message: dict[str, Any] = {"message_id": update_id, "date": 0, "chat": {"id": uid, "type": "private"},
                               "from": _user(uid), "text": text}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return Update.model_validate({"update_id": update_id, "message": message})


def callback_update(update_id: int, uid: int, data: str) -> Update:
    return Update.model_validate({"update_id": update_id, "callback_query": {
        "id": str(update_id), "from": _user(uid), "chat_instance": "c", "data": data,
        "message": {"message_id": 1, "date": 0, "chat": {"id": uid, "type": "private"},
                    "from": {"id": 42, "is_bot": True, "first_name": "B"}, "text": "menu"}}})


CHAT = [
    "gm, BTC looks heavy today", "anyone trading the ETH/BTC range?",
    "my bot lost 2% overnight, grid was too tight", "order 8123345 filled at 64,250.5",
    "send me the tx: 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
    "which exchange has lower fees for futures?",
    "withdrawal to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh took 20 min",
    "the funding rate flipped negative again", "does XT support sub-account API keys?",
    "I set the IP whitelist but the bot still says AUTH_104",
]
