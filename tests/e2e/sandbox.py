"""The Bot API emulator on a loopback port and the unchanged bot as a subprocess talking to it."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app, serve
from bot.sandbox.venues import MockVenues
from tests.chat import Chat
from tests.harness import MASTER_KEY
from tests.venue_mock import venue_env

TOKEN = "123456:SANDBOX-TOKEN"
ALICE, BORIS = 1001, 1002


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Sandbox:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.emu = Emulator(TOKEN)
        self.emu.add_user(ALICE, "Alice", "en")
        self.emu.add_user(BORIS, "Борис", "ru")
        self._runner: web.AppRunner | None = None
        self.venues = MockVenues()
        self._venue_runner: web.AppRunner | None = None
        self.venues_url = ""
        self.proc: asyncio.subprocess.Process | None = None
        self.url = ""
        self.webhook_port = _free_port()

    async def start(self, *args: str, **extra_env: str) -> Sandbox:
        self._runner, port = await serve(create_app(self.emu))
        self.url = f"http://127.0.0.1:{port}"
        self._venue_runner, venue_port = await serve(self.venues.app())
        self.venues_url = f"http://127.0.0.1:{venue_port}"
        await self.start_bot(*args, **extra_env)
        return self

    async def start_bot(self, *args: str, **extra_env: str) -> None:
        """`python -m keybot ARGS`; polling by default, or `webhook` (then its URL is this sandbox's
        `webhook_port`, registered with the emulator by the bot itself)."""
        env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": self.url, "MASTER_KEY": MASTER_KEY,
               "DATABASE_PATH": str(self.tmp_path / "bot.sqlite3"), "LOG_LEVEL": "INFO",
               "REVEAL_SECONDS": "5", **venue_env(self.venues_url), **extra_env}
        env.pop("MASTER_KEY_FILE", None)
        await self.emu.release_polls(False)
        self.log = (self.tmp_path / "bot.log").open("ab")
        if "webhook" in args:
            env.update(WEBHOOK_HOST="127.0.0.1", WEBHOOK_PORT=str(self.webhook_port),
                       WEBHOOK_URL=f"http://127.0.0.1:{self.webhook_port}/telegram")
        polls = self.emu.polls
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "keybot", *args, env=env, cwd=self.tmp_path, stdout=self.log, stderr=self.log)
        if "webhook" in args:  # ready when it has registered its webhook
            await self.wait_for(lambda: self.emu.webhook is not None, timeout=30)
        else:
            await self.wait_for(lambda: self.emu.polls > polls, timeout=30)

    async def stop_bot(self, sig: int = signal.SIGTERM) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        await self.emu.release_polls()  # its current long poll returns now, not after 10 s
        code = await asyncio.wait_for(self.proc.wait(), 20)
        self.log.close()
        self.proc = None
        return code

    async def stop(self) -> None:
        if self.proc is not None:
            await self.stop_bot()
        await self.emu.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._venue_runner is not None:
            await self._venue_runner.cleanup()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10) -> Any:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                log = (self.tmp_path / "bot.log").read_text(errors="replace")[-3000:]
                raise AssertionError(f"timed out; bot log tail:\n{log}")
            await asyncio.sleep(0.02)

    # --- acting and reading --------------------------------------------------------------------------

    def chat(self, user: int) -> Chat:
        """`user` in their private chat with the bot, which runs in another process: every action waits
        for its answer (a new message or a new version of one), since silence cannot be told from slowness."""
        return Chat(self.emu, user, user, self._settle)

    async def walk_xt(self, user: int, name: str) -> None:
        """/add an XT.com key named `name` (any IP, no expiry) up to where the credentials are pasted."""
        await self.chat(user).send("/add", expect="Which venue")
        await self.chat(user).press("XT.com", expect="send a name")
        await self.chat(user).send(name, expect="what may this key do")
        await self.chat(user).press("Next", expect="which IP addresses")
        await self.chat(user).press("Allow all IPs", expect="do not expire")
        await self.chat(user).press("No expiry", expect="Check your new key")
        await self.chat(user).press("Confirm", expect="Paste the Access key")

    async def _settle(self, answered: Callable[[], bool], required: bool) -> None:
        await self.wait_for(answered)
