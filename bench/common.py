"""Shared pieces for the benchmarks: the Bot API emulator (the one implementation of Telegram's rules, in
this process through `EmulatorSession`) with the bench's users, and update builders. Updates are built
here rather than queued by the emulator, so a batch is made once and fed to both sides of a comparison."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.types import Update

from bot.sandbox.emulator import Emulator
from bot.sandbox.session import EmulatorSession

_query_ids = itertools.count(1)  # a callback query is answered once: every press gets its own id
MENU_MESSAGE = 1  # the bot message every bench user presses buttons on


async def telegram(token: str, users: Iterable[int]) -> tuple[Emulator, Bot]:
    """The emulator knowing `users`, each with a first bot message to press buttons on, and a bot onto it."""
    emu = Emulator(token)
    bot = Bot(token, session=EmulatorSession(emu))
    for uid in users:
        emu.add_user(uid, f"U{uid}")
        await bot.send_message(uid, "menu")  # message 1 of the chat
    return emu, bot


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
        "id": str(next(_query_ids)), "from": _user(uid), "chat_instance": "c", "data": data,
        "message": {"message_id": MENU_MESSAGE, "date": 0, "chat": {"id": uid, "type": "private"},
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


def delivered(emu: Emulator) -> list[int]:
    """The chat of every message the bot has sent, once per message."""
    return [chat for chat, msgs in emu.messages.items() for m in msgs if m.from_id == emu.bot.id]


@dataclass
class Storm:
    """How a storm of one message per chat went, as the emulator saw it."""

    chats: int  # chats that got at least one message
    duplicates: int
    lost: int
    too_many: int  # 429s answered
    violations: int

    @classmethod
    def tally(cls, emu: Emulator, expected: int) -> Storm:
        counts = Counter(delivered(emu))
        return cls(len(counts), sum(c - 1 for c in counts.values()), expected - len(counts),
                   sum(1 for c in emu.calls if c.status == 429), len(emu.violations))
