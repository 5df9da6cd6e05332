"""Client CPU per Bot API call: aiogram's AiohttpSession (form fields, a json.dumps per nested field) and
the bot's JsonSession (one orjson body, orjson parsing), against the emulator served by another process
on loopback, so only the client's work is counted. Batches of the two are interleaved; the figure is the
smallest batch's process CPU per call (a sendMessage with a keyboard, the bot's most common call).

    python bench/session.py [--calls 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app, serve
from keybot.session import JsonSession

TOKEN = "4242:SESSION"
USERS = 50


async def serve_forever() -> None:
    emu = Emulator(TOKEN)
    for uid in range(1, USERS + 1):
        emu.add_user(uid, f"U{uid}")
    _runner, port = await serve(create_app(emu))
    print(port, flush=True)
    await asyncio.Event().wait()


async def batch(bot: Bot, calls: int) -> float:
    keyboard = InlineKeyboardBuilder()
    for label in ("🔑 My keys", "➕ Add a key", "📊 Report", "⚙️ Settings", "❓ Help"):
        keyboard.button(text=label, callback_data=f"m:{label[-4:]}")
    markup = keyboard.adjust(2).as_markup()
    start = time.process_time()
    for n in range(calls):
        await bot.send_message(n % USERS + 1, f"<b>Menu</b> {n}: your keys, reminders and settings",
                               reply_markup=markup)
    return (time.process_time() - start) / calls


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        await serve_forever()
        return
    server = await asyncio.create_subprocess_exec(sys.executable, __file__, "--serve", stdout=asyncio.subprocess.PIPE)
    try:
        assert server.stdout is not None
        base = f"http://127.0.0.1:{(await server.stdout.readline()).decode().strip()}"
        bots = {"form (AiohttpSession)": Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(base))),
                "json (JsonSession)": Bot(TOKEN, session=JsonSession(api=TelegramAPIServer.from_base(base)))}
        for bot in bots.values():
            await batch(bot, 100)  # warm-up: connections, imports
        best = {name: float("inf") for name in bots}
        for _ in range(args.rounds):
            for name, bot in bots.items():
                best[name] = min(best[name], await batch(bot, args.calls))
        for bot in bots.values():
            await bot.session.close()
    finally:
        server.terminate()
        await server.wait()
    form, json_ = best.values()
    for name, seconds in best.items():
        print(f"{name:22} {seconds * 1e6:6.0f} µs client CPU per sendMessage with a keyboard")
    print(f"JSON ÷ form: {json_ / form:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
