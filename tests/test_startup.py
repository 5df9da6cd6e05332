"""Start-up pieces: command registration and the self-destruct worker loop."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp import web

from bot.config import Settings
from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app
from bot.telegram import wait_for_api
from keybot.app import COMMANDS, create_bot, set_commands
from tests.harness import USER, Harness

LIVE_TOKEN = "555000:LIVE-TEST"


async def test_commands_registered_in_both_languages(h: Harness) -> None:
    await set_commands(h.bot, h.services.locales)
    calls = h.calls("setMyCommands")
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
        assert not h.emu.find(USER, sent.message_id).deleted  # type: ignore[union-attr]
        h.clock.advance(seconds=30)
        for _ in range(100):
            await asyncio.sleep(0.01)
            if h.emu.find(USER, sent.message_id).deleted:  # type: ignore[union-attr]
                break
        assert h.emu.find(USER, sent.message_id).deleted  # type: ignore[union-attr]
        assert await h.services.db.fetchall("SELECT 1 FROM pending_deletions") == []
    finally:
        worker.cancel()


async def test_message_already_gone_is_settled(h: Harness) -> None:
    await h.services.deletions.schedule(USER, 999_999, 0)
    assert await h.services.deletions.run_due(h.bot) == 1
    assert await h.services.db.fetchall("SELECT 1 FROM pending_deletions") == []


async def test_start_waits_for_an_unreachable_bot_api(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """No traceback, one line per attempt, backing off; it goes on as soon as the API answers."""
    port = _free_port()
    settings = Settings(_env_file=None, bot_token=LIVE_TOKEN, telegram_api_base=f"http://127.0.0.1:{port}",
                        database_path=tmp_path / "x.sqlite3")
    runner: web.AppRunner | None = None
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        nonlocal runner
        waits.append(seconds)
        if len(waits) == 3:  # the API comes up during the third wait
            runner = web.AppRunner(create_app(Emulator(LIVE_TOKEN)))
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()

    bot = create_bot(settings)
    try:
        with caplog.at_level(logging.WARNING):
            me = await wait_for_api(bot, sleep=sleep)
    finally:
        await bot.session.close()
        if runner is not None:
            await runner.cleanup()
    assert me.id == int(LIVE_TOKEN.split(":")[0])
    assert waits == [1, 2, 4]
    lines = [r for r in caplog.records if "Bot API unreachable" in r.getMessage()]
    assert len(lines) == 3
    assert all(r.exc_info is None for r in lines)


def _run_bot(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("MASTER_KEY", "MASTER_KEY_FILE", "DATABASE_PATH")}
    return subprocess.run([sys.executable, "-m", "keybot"], env={**base, "BOT_TOKEN": "1:x", **env},
                          capture_output=True, text=True, timeout=60, check=False)


def test_unusable_data_folder_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = _run_bot({"DATABASE_PATH": str(blocker / "bot.sqlite3")})
    assert result.returncode == 2
    assert result.stderr.startswith("error: storage: cannot use")
    assert "Traceback" not in result.stderr


async def test_database_in_use_is_one_clear_line(tmp_path: Path) -> None:
    from storage.db import Database

    db = Database(tmp_path / "bot.sqlite3")
    await db.open()
    try:
        result = _run_bot({"DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
                           "MASTER_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="})
    finally:
        await db.close()
    assert result.returncode == 2
    assert "in use by another process" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
