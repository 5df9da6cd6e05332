"""Telegram's 429 on interactive replies: waited out (on the injected clock) and retried, never dropped."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.harness import Harness

USERS = range(5000, 5200)


async def test_two_hundred_users_at_once_all_get_their_reply(tmp_path: Path) -> None:
    live = await Harness(tmp_path, strict=True, http=True).start()  # 30 messages/s overall, 1/s per chat
    try:
        for user in USERS:
            live.emu.add_user(user, f"U{user}")
        for user in USERS:
            await live.emu.user_send(user, user, "/start")
        updates = live.emu.take_updates()
        assert len(updates) == len(USERS)
        await asyncio.gather(*(live.dp.feed_raw_update(live.bot, u) for u in updates))
        answered = [u for u in USERS if any("What would you like to do?" in t for t in live.bot_texts(u))]
        assert len(answered) == len(USERS)
        assert any(c.status == 429 for c in live.emu.calls)  # the limits were really hit...
        assert live.slept  # ...and waited out
        assert live.emu.violations == []
    finally:
        await live.stop()
