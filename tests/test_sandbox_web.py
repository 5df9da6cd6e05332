"""The sandbox web chat shows the bot's callback answers (toasts and alerts), as Telegram does: a refused
button is never a dead button there."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from tests.harness import ALICE, Harness


async def test_press_over_http_returns_the_alert(tmp_path: Path) -> None:
    live = await Harness(tmp_path, http=True).start()
    try:
        await live.chat(ALICE).send("/add")
        await live.chat(ALICE).press("B2Trader")
        await live.chat(ALICE).send("exchange.mybroker.com")
        await live.chat(ALICE).send("Empty")
        await live.chat(ALICE).press("isInfo")  # no permission left
        prompt = next(m for m in reversed(live.emu.transcript(ALICE)) if m["buttons"])
        [data] = [b["data"] for row in prompt["buttons"] for b in row if "Next" in b["text"]]
        async with aiohttp.ClientSession() as http:
            pressed = asyncio.create_task(http.post(f"{live.url}/_sandbox/press", json={
                "user": ALICE, "chat": ALICE, "message_id": prompt["message_id"], "data": data}))
            for _ in range(500):  # until the press arrives as a new update
                if updates := live.emu.take_updates():
                    break
                await asyncio.sleep(0.01)
            for update in updates:
                await live.dp.feed_raw_update(live.bot, update)
            answer = await (await pressed).json()
        assert answer["show_alert"] is True
        assert "at least one" in answer["text"]
    finally:
        await live.stop()


async def test_the_web_page_can_show_a_photo_the_bot_sent(tmp_path: Path) -> None:
    from aiogram.types import BufferedInputFile

    from handlers.stepup import PLACEHOLDER_PNG

    live = await Harness(tmp_path, http=True).start()
    try:
        await live.bot.send_photo(ALICE, BufferedInputFile(PLACEHOLDER_PNG, "p.png"), caption="a QR code")
        [shown] = [m for m in live.emu.transcript(ALICE) if m["photo"]]
        assert shown["caption"] == "a QR code"
        async with aiohttp.ClientSession() as http:
            got = await http.get(f"{live.url}/_sandbox/photo/{shown['photo']}")
            assert got.content_type == "image/png"
            assert await got.read() == PLACEHOLDER_PNG
            assert (await http.get(f"{live.url}/_sandbox/photo/B1")).status == 404  # photos only
    finally:
        await live.stop()
