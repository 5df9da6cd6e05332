"""Start-up pieces: command registration and the self-destruct worker loop."""

from __future__ import annotations

import asyncio

from bot.app import COMMANDS, set_commands
from tests.harness import USER, Harness


async def test_commands_registered_in_both_languages(h: Harness) -> None:
    await set_commands(h.bot, h.services.locales)
    calls = h.calls("SetMyCommands")
    assert [c.get("language_code") for c in calls] == [None, "ru"]
    for call in calls:
        assert [c["command"] for c in call["commands"]] == list(COMMANDS)
    assert calls[1]["commands"][0]["description"] == "Главное меню"


async def test_worker_loop_deletes_due_messages(h: Harness) -> None:
    sent = await h.bot.send_message(USER, "bye soon")
    await h.services.deletions.schedule(USER, sent.message_id, 30)
    worker = asyncio.create_task(h.services.deletions.run_forever(h.bot, idle_seconds=0.01))
    try:
        await asyncio.sleep(0.05)
        assert not h.tg.find(USER, sent.message_id).deleted  # type: ignore[union-attr]
        h.clock.advance(seconds=30)
        for _ in range(100):
            await asyncio.sleep(0.01)
            if h.tg.find(USER, sent.message_id).deleted:  # type: ignore[union-attr]
                break
        assert h.tg.find(USER, sent.message_id).deleted  # type: ignore[union-attr]
        assert await h.services.db.fetchall("SELECT 1 FROM pending_deletions") == []
    finally:
        worker.cancel()


async def test_message_already_gone_is_settled(h: Harness) -> None:
    await h.services.deletions.schedule(USER, 999_999, 0)
    assert await h.services.deletions.run_due(h.bot) == 1
    assert await h.services.db.fetchall("SELECT 1 FROM pending_deletions") == []
