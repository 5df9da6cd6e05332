"""In-process dispatch throughput: the real dispatcher on a realistic update mix, against bare aiogram
(one `F.text` handler, MemoryStorage) measured in the same run on the same number of updates.

    python bench/dispatch.py [--updates 6000] [--users 200]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher, F
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Message, Update

from bench.common import CHAT, callback_update, telegram, text_update
from bot.config import Settings
from handlers.callbacks import FlowCb, MenuCb
from keybot.app import create_dispatcher, open_services

MIX, KINDS = 500_000, 600_000  # the first user id of the mix (and the floors) and of the per-kind batches


def realistic_mix(count: int, users: int, seed: int = 7) -> list[Update]:
    """Menu presses, setup-flow steps that write FSM state, and free chat the bot must scan."""
    rng = random.Random(seed)
    updates: list[Update] = []
    uid_base = MIX
    n = 0
    while len(updates) < count:
        uid = uid_base + rng.randrange(users)
        kind = rng.random()
        n += 1
        if kind < 0.3:  # menu presses
            updates.append(callback_update(n, uid, MenuCb(action=rng.choice(["home", "keys", "help"])).pack()))
        elif kind < 0.6:  # a short walk through the setup flow: state and draft written each step
            steps = [text_update(n, uid, "/add"), callback_update(n + 1, uid, FlowCb(step="venue", value="xt").pack()),
                     text_update(n + 2, uid, f"bot {n}"),
                     callback_update(n + 3, uid, FlowCb(step="perms", value="trade").pack()),
                     callback_update(n + 4, uid, FlowCb(step="perms", value="next").pack()),
                     text_update(n + 5, uid, "8.8.8.8, 1.1.1.1"),
                     callback_update(n + 6, uid, FlowCb(step="exp", value="cancel").pack())]
            updates += steps
            n += len(steps)
        else:  # chat the bot has to look at
            updates.append(text_update(n, uid, rng.choice(CHAT)))
    return updates[:count]


async def run(dp: Dispatcher, bot: Bot, updates: list[Update]) -> float:
    start = time.perf_counter()
    for update in updates:
        await dp.feed_update(bot, update)
    return time.perf_counter() - start


async def floors(updates: int, users: int) -> dict[str, float]:
    """What aiogram itself costs here for a trivial callback (answer + edit) and a trivial reply."""
    from aiogram.types import CallbackQuery

    dp = Dispatcher(storage=MemoryStorage())

    @dp.callback_query(MenuCb.filter())
    async def press(query: CallbackQuery) -> None:
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_text(f"menu {query.id}")  # a new text: an unchanged one is refused

    @dp.message()
    async def reply(message: Message) -> None:
        await message.answer("ok")

    _, bot = await telegram("42:BENCH", range(MIX, MIX + users))
    def batches(count: int) -> dict[str, list[Update]]:  # built anew each time: a query is answered once
        return {
            "callback, answer + edit, no filter cost": [
                callback_update(i, MIX + i % users, MenuCb(action="home").pack()) for i in range(count)],
            "message, one reply, no filter": [text_update(i, MIX + i % users, "hi") for i in range(count)],
        }

    out = {}
    for warm_up in batches(200).values():
        await run(dp, bot, warm_up)
    for name, batch in batches(updates).items():
        out[name] = await run(dp, bot, batch) / len(batch)
    return out


async def per_kind(dp: Dispatcher, bot: Bot, users: int, count: int = 1000) -> dict[str, float]:
    batches = {
        "menu press": [callback_update(i, KINDS + i % users, MenuCb(action="home").pack()) for i in range(count)],
        "chat message (scanned)": [text_update(i, KINDS + i % users, CHAT[i % len(CHAT)]) for i in range(count)],
        "/add (FSM write)": [text_update(i, KINDS + i % users, "/add") for i in range(count)],
    }
    return {name: await run(dp, bot, batch) / len(batch) for name, batch in batches.items()}


def bare_dispatcher() -> Dispatcher:
    dp = Dispatcher(storage=MemoryStorage())

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer("ok")

    return dp


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=6000)
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args()
    updates = realistic_mix(args.updates, args.users)
    kinds = {"callback": sum(u.callback_query is not None for u in updates),
             "message": sum(u.message is not None for u in updates)}

    _, bare_bot = await telegram("42:BENCH", range(MIX, MIX + args.users))
    bare = bare_dispatcher()
    bare_updates = [text_update(i, MIX + i % args.users, CHAT[i % len(CHAT)]) for i in range(len(updates))]
    await run(bare, bare_bot, bare_updates[:300])  # warm-up
    bare_seconds = await run(bare, bare_bot, bare_updates)

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, bot_token="42:BENCH", database_path=Path(tmp) / "bench.sqlite3",
                            master_key=base64.b64encode(bytes(32)).decode())
        async with open_services(settings) as services:
            emu, bot = await telegram("42:BENCH", [*range(MIX, MIX + args.users), *range(KINDS, KINDS + args.users)])
            dp = create_dispatcher(services)
            await run(dp, bot, realistic_mix(300, args.users, seed=1))  # warm-up
            ours_seconds = await run(dp, bot, updates)
            api_calls = len(emu.calls)
            kinds_us = await per_kind(dp, bot, args.users)
    floor_us = await floors(2000, args.users)

    bare_rate = len(updates) / bare_seconds
    ours_rate = len(updates) / ours_seconds
    print(f"updates: {len(updates)} ({kinds['callback']} button presses, {kinds['message']} messages), "
          f"{args.users} users")
    print(f"bare aiogram (one F.text handler, MemoryStorage): {bare_rate:8.0f} updates/s  "
          f"{1e6 / bare_rate:6.0f} µs/update")
    print(f"this bot (real dispatcher, SQLite FSM, scanner):  {ours_rate:8.0f} updates/s  "
          f"{1e6 / ours_rate:6.0f} µs/update  ({api_calls} Bot API calls, incl. warm-up)")
    print(f"ratio (this bot / bare aiogram): {ours_rate / bare_rate:.2f}")
    print("this bot per kind:   " + ", ".join(f"{k} {v * 1e6:.0f} µs" for k, v in kinds_us.items()))
    print("aiogram floors here: " + ", ".join(f"{k} {v * 1e6:.0f} µs" for k, v in floor_us.items()))


if __name__ == "__main__":
    asyncio.run(main())
