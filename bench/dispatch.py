"""In-process dispatch cost per kind of update, three sides measured in one process:

- **bot**: the real dispatcher (SQLite FSM, guard, services);
- **floor** (a): aiogram itself — one handler with no filters on MemoryStorage that makes the same Bot API
  calls the bot made for that update (recorded from the bot in a warm-up round, replayed);
- **naive** (b): the obvious SQLite bot — this bot's own handlers on a plain aiosqlite FSM, one statement
  per get or set (bench/naive_fsm.py).

Every side talks to its own Bot API emulator through the in-process session, on fresh users per batch
(the same ids on every side). Updates are validated with the bot attached, as aiogram's polling does.
Batches of the three sides are interleaved, in a rotating order, and the figure is the smallest batch's
**process CPU time** per update (threads included: aiosqlite's worker and the scan's), wall time beside.

    python bench/dispatch.py [--batch 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiogram.methods
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import CallbackQuery, Message, Update

from bench.common import CHAT
from bench.naive_fsm import NaiveSQLiteStorage
from bot.config import Settings
from bot.sandbox.emulator import Emulator
from bot.sandbox.session import EmulatorSession
from handlers.callbacks import MenuCb
from keybot.app import create_dispatcher, open_services

TOKEN = "42:BENCH"
GROUP = -100424242
FIRST_USER = 1_000_000
_ids = iter(range(1, 10**9))


def _user(uid: int) -> dict[str, Any]:
    return {"id": uid, "is_bot": False, "first_name": f"U{uid}", "language_code": "en"}


@dataclass
class Side:
    name: str
    dp: Dispatcher
    bot: Bot
    emu: Emulator

    def text(self, uid: int, text: str, chat: int | None = None) -> Update:
        chat_json = {"id": uid, "type": "private"} if chat is None else {"id": chat, "type": "supergroup",
                                                                            "title": "Desk"}
        message: dict[str, Any] = {"message_id": next(_ids), "date": 0, "chat": chat_json, "from": _user(uid),
                                   "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return Update.model_validate({"update_id": next(_ids), "message": message}, context={"bot": self.bot})

    def press(self, uid: int, data: str, message_id: int) -> Update:
        return Update.model_validate({"update_id": next(_ids), "callback_query": {
            "id": str(next(_ids)), "from": _user(uid), "chat_instance": "c", "data": data,
            "message": {"message_id": message_id, "date": 0, "chat": {"id": uid, "type": "private"},
                        "from": {"id": 42, "is_bot": True, "first_name": "B"}, "text": "menu"}}},
            context={"bot": self.bot})

    def flow_button(self, uid: int, prefix: str) -> Update:
        """A press on the newest bot message in the user's chat that has a button starting with `prefix`."""
        for msg in reversed(self.emu.messages.get(uid, [])):
            for row in msg.keyboard:
                for b in row:
                    if str(b.get("callback_data", "")).startswith(prefix):
                        return self.press(uid, b["callback_data"], msg.message_id)
        raise LookupError(f"{self.name}: no button {prefix!r} for user {uid}")

    async def new_users(self, uids: range) -> None:
        for uid in uids:
            self.emu.add_user(uid, f"U{uid}")
            self.emu.set_member(GROUP, uid, "member")
            await self.bot.send_message(uid, "menu")  # message 1: the menu every press lands on


Step = Callable[[Side, int], Update]
SETUP: list[tuple[str, Step]] = [
    ("/add", lambda s, u: s.text(u, "/add")),
    ("setup: venue", lambda s, u: s.flow_button(u, "f:venue:xt:")),
    ("setup: name", lambda s, u: s.text(u, f"bench key {u}")),
    ("setup: permissions", lambda s, u: s.flow_button(u, "f:perms:next:")),
    ("setup: IP list", lambda s, u: s.text(u, "8.8.8.8, 1.1.1.1")),
    ("setup: expiry", lambda s, u: s.flow_button(u, "f:exp:none:")),
    ("setup: confirm", lambda s, u: s.flow_button(u, "f:summary:ok:")),
]
START: Step = lambda s, u: s.text(u, "/start")  # noqa: E731
MENU: Step = lambda s, u: s.press(u, MenuCb(action="home").pack(), 1)  # noqa: E731
CHATTER: Step = lambda s, u: s.text(u, CHAT[u % len(CHAT)])  # noqa: E731
KINDS: dict[str, tuple[list[Step], Step]] = {
    # A user's first update pays for their profile row; "warm" users said /start before the batch.
    "menu press": ([START], MENU),
    "menu press, new user": ([], MENU),
    "private chat": ([START], CHATTER),
    "private chat, new": ([], CHATTER),
    "group chat": ([], lambda s, u: s.text(u, CHAT[u % len(CHAT)], chat=GROUP)),
    "/start": ([], START),
    **{name: ([step for _, step in SETUP[:i]], step) for i, (name, step) in enumerate(SETUP)},
}


Calls = list[tuple[str, dict[str, Any]]]


@dataclass
class Recording:
    """What the bot did for one warm-up user: the calls of the steps before the measured one, and the
    measured update with its calls. The floor replays both on its own fresh user."""

    uid: int
    before: Calls
    update: Update
    calls: Calls


def _method(name: str, params: dict[str, Any]) -> Any:
    return getattr(aiogram.methods, name[0].upper() + name[1:]).model_validate(params)


def _for_user(calls: Calls, old: int, new: int) -> Calls:
    return [(m, {**p, "chat_id": new} if p.get("chat_id") == old else p) for m, p in calls]


def floor_dispatcher(plans: dict[int, Calls]) -> Dispatcher:
    """aiogram with one unfiltered handler per event type that makes the calls the bot made."""
    dp = Dispatcher(storage=MemoryStorage())

    async def replay(bot: Bot, update_id: int, query_id: str | None) -> None:
        for method, params in plans.pop(update_id, []):
            if method == "answerCallbackQuery" and query_id is not None:
                params = {**params, "callback_query_id": query_id}
            with contextlib.suppress(TelegramAPIError):  # as the bot, which handles the same refusals
                await bot(_method(method, params))

    @dp.message()
    async def on_message(message: Message, bot: Bot, event_update: Update) -> None:
        await replay(bot, event_update.update_id, None)

    @dp.callback_query()
    async def on_press(query: CallbackQuery, bot: Bot, event_update: Update) -> None:
        await replay(bot, event_update.update_id, query.id)

    return dp


async def _feed(side: Side, updates: list[Update]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for update in updates:
        await side.dp.feed_update(side.bot, update)
    return time.process_time() - cpu, time.perf_counter() - wall


async def _calls_of(side: Side, update: Update) -> Calls:
    start = len(side.emu.calls)
    await side.dp.feed_update(side.bot, update)
    return [(c.method, c.params) for c in side.emu.calls[start:] if c.status == 200]


async def record(bot_side: Side, uids: range, before: list[Step], step: Step) -> list[Recording]:
    out = []
    for uid in uids:
        prior: Calls = []
        for prep in before:
            prior += await _calls_of(bot_side, prep(bot_side, uid))
        update = step(bot_side, uid)
        out.append(Recording(uid, prior, update, await _calls_of(bot_side, update)))
    return out


async def floor_batch(side: Side, uids: range, recordings: list[Recording], plans: dict[int, Calls]) -> list[Update]:
    """The floor's users get the bot's earlier screens (replayed, untimed) and the same measured update."""
    updates = []
    for uid, rec in zip(uids, recordings, strict=True):
        for method, params in _for_user(rec.before, rec.uid, uid):
            with contextlib.suppress(TelegramAPIError):
                await side.bot(_method(method, params))
        if rec.update.callback_query is not None:
            query = rec.update.callback_query
            assert query.data is not None
            assert query.message is not None
            update = side.press(uid, query.data, query.message.message_id)
        else:
            message = rec.update.message
            assert message is not None
            assert message.text is not None
            update = side.text(uid, message.text, chat=message.chat.id if message.chat.type != "private" else None)
        plans[update.update_id] = _for_user(rec.calls, rec.uid, uid)
        updates.append(update)
    return updates


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=200, help="updates per batch (one per fresh user)")
    parser.add_argument("--rounds", type=int, default=5, help="measured batches per side and kind")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        def settings(name: str) -> Settings:
            return Settings(_env_file=None, bot_token=TOKEN, database_path=Path(tmp) / f"{name}.sqlite3",
                            master_key=base64.b64encode(bytes(32)).decode(), log_level="WARNING")

        async with open_services(settings("bot")) as ours, open_services(settings("naive")) as theirs:
            naive_storage = await NaiveSQLiteStorage.open(Path(tmp) / "naive-fsm.sqlite3")
            plans: dict[int, Calls] = {}
            sides: list[Side] = []
            for name, dp in (("bot", create_dispatcher(ours)), ("naive", create_dispatcher(theirs, naive_storage)),
                             ("floor", floor_dispatcher(plans))):
                emu = Emulator(TOKEN)
                emu.add_group(GROUP, "Desk")
                emu.set_member(GROUP, emu.bot.id, "administrator", can_delete_messages=True)
                sides.append(Side(name, dp, Bot(TOKEN, session=EmulatorSession(emu)), emu))
            bot_side = sides[0]

            results: dict[str, dict[str, list[tuple[float, float]]]] = {}
            api_calls: dict[str, float] = {}
            next_user = FIRST_USER
            for kind, (before, step) in KINDS.items():
                uids = range(next_user, next_user + args.batch)
                next_user += args.batch
                await bot_side.new_users(uids)
                recordings = await record(bot_side, uids, before, step)  # also the bot's warm-up
                api_calls[kind] = sum(len(r.calls) for r in recordings) / len(recordings)
                results[kind] = {side.name: [] for side in sides}
                for round_no in range(args.rounds):
                    uids = range(next_user, next_user + args.batch)
                    next_user += args.batch
                    for side in sides[round_no % 3:] + sides[:round_no % 3]:  # who goes first rotates
                        await side.new_users(uids)
                        if side.name == "floor":
                            updates = await floor_batch(side, uids, recordings, plans)
                        else:
                            for prep in before:
                                for uid in uids:
                                    await side.dp.feed_update(side.bot, prep(side, uid))
                            updates = [step(side, uid) for uid in uids]
                        results[kind][side.name].append(await _feed(side, updates))
            await naive_storage.close()

    print(f"{args.batch} updates a batch, {args.rounds} batches per side and kind, interleaved; the smallest "
          "batch's process CPU µs per update (wall µs)")
    print(f"{'kind':20} {'calls':>5} {'bot':>13} {'floor (a)':>13} {'naive (b)':>13} {'bot÷floor':>9} "
          f"{'bot÷naive':>9}")
    for kind, by_side in results.items():
        per = {name: (min(c for c, _ in costs) / args.batch * 1e6, min(w for _, w in costs) / args.batch * 1e6)
               for name, costs in by_side.items()}
        print(f"{kind:20} {api_calls[kind]:5.1f} " + " ".join(
            f"{per[n][0]:6.0f} ({per[n][1]:4.0f})" for n in ("bot", "floor", "naive")) +
            f" {per['bot'][0] / per['floor'][0]:9.2f} {per['bot'][0] / per['naive'][0]:9.2f}")


if __name__ == "__main__":
    asyncio.run(main())
