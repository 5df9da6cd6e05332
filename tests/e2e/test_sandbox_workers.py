"""`python -m keybot sandbox --workers 2`: the offline sandbox with the bot as two webhook workers on
PostgreSQL and Redis, driven over the sandbox's own HTTP API as its web page drives it: a key set up
and verified (the stand-in venue mirrors what was recorded, from the worker processes), both pasted
secrets removed, and a clean stop. Without DATABASE_URL and REDIS_URL it refuses to start."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

from tests.creds import credentials
from tests.pg_server import PostgresServer

ALICE = 1001  # one of the sandbox's people (keybot.sandbox.populate)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Page:
    """What the sandbox's web page does, over the same HTTP routes."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.url = url
        self.version = -1

    async def messages(self) -> list[dict[str, Any]]:
        async with self.session.get(f"{self.url}/_sandbox/state", params={"chat": str(ALICE)}) as resp:
            state = await resp.json()
        self.version = state["version"]
        return list(state["messages"])

    async def wait_for(self, found: Callable[[list[dict[str, Any]]], bool], seconds: float = 30) -> None:
        """Until the chat shows what `found` looks for; waits only for a new version of the chat."""
        deadline = asyncio.get_running_loop().time() + seconds
        while not found(await self.messages()):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"not shown: {[m['text'][:60] for m in (await self.messages())[-3:]]}")
            async with self.session.get(f"{self.url}/_sandbox/wait", params={"version": str(self.version)}):
                pass

    async def says(self, text: str) -> None:
        await self.wait_for(lambda ms: any(m["from_bot"] and text in (m["text"] or "") for m in ms))

    async def send(self, text: str, then: str) -> None:
        async with self.session.post(f"{self.url}/_sandbox/send",
                                     json={"user": ALICE, "chat": ALICE, "text": text}) as resp:
            assert resp.status == 200
        await self.says(then)

    async def press(self, label: str, then: str) -> None:
        messages = await self.messages()
        last = next(m for m in reversed(messages) if m["from_bot"] and m["buttons"])
        data = next(b["data"] for row in last["buttons"] for b in row if label in b["text"])
        async with self.session.post(f"{self.url}/_sandbox/press", json={
                "user": ALICE, "chat": ALICE, "message_id": last["message_id"], "data": data}) as resp:
            assert resp.status == 200
        await self.says(then)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"BOT_TOKEN", "MASTER_KEY", "MASTER_KEY_FILE", "DATABASE_URL", "REDIS_URL"}}
    return {**env, "DATABASE_PATH": str(tmp_path / "data" / "bot.sqlite3"), **extra}


async def test_the_sandbox_with_two_webhook_workers(tmp_path: Path, postgres_server: PostgresServer,
                                                    redis_url: str) -> None:
    port = _free_port()
    log = (tmp_path / "sandbox.log").open("wb")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "keybot", "sandbox", "--port", str(port), "--workers", "2", cwd=tmp_path,
        env=_env(tmp_path, DATABASE_URL=postgres_server.new_database(), REDIS_URL=redis_url),
        stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            page = Page(session, url)
            deadline = asyncio.get_running_loop().time() + 90
            while True:  # up when the workers have registered the webhook with the emulator
                try:
                    async with session.get(f"{url}/_sandbox/calls") as resp:
                        if any(c["method"] == "setWebhook" and c["status"] == 200 for c in await resp.json()):
                            break
                except aiohttp.ClientError:
                    pass
                assert asyncio.get_running_loop().time() < deadline, "the sandbox did not come up"
                await asyncio.sleep(0.2)
            await page.send("/start", then="What would you like to do?")
            await page.press("Add key", then="Which venue is it for?")
            await page.press("XT.com", then="send a name for this key")
            await page.send("Two workers", then="what may this key do?")
            await page.press("Next", then="which IP addresses may use this key?")
            await page.send("8.8.8.8", then="1 address saved")
            await page.press("No expiry", then="Check your new key")
            await page.press("Confirm", then="Paste the Access key")
            access, secret = credentials("xt")
            await page.send(access, then="Access key stored")
            await page.send(secret, then="Credentials stored encrypted")
            pasted = [m for m in await page.messages() if not m["from_bot"] and m["text"] in (access, secret)]
            await page.wait_for(lambda ms: sum(m["deleted_by_bot"] for m in ms) >= 2)
            assert all(m["deleted_by_bot"] for m in await page.messages()
                       if m["message_id"] in {p["message_id"] for p in pasted})
            # Verified against the stand-in venue, which a worker told what was recorded: no drift.
            await page.says("works")
            said = " ".join(m["text"] or "" for m in await page.messages() if m["from_bot"])
            assert "On the venue" not in said
            assert "differ" not in said
        async with aiohttp.ClientSession() as session, session.get(f"{url}/_sandbox/calls") as resp:
            assert [c for c in await resp.json() if c["status"] >= 500] == []
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(proc.wait(), 30)
        except TimeoutError:
            proc.kill()
            code = await proc.wait()
        log.close()
    text = (tmp_path / "sandbox.log").read_text(errors="replace")
    assert code == 0, text[-2000:]
    assert "Traceback" not in text
    assert secret not in text


async def test_the_sandbox_refuses_workers_without_postgres_and_redis(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "keybot", "sandbox", "--port", str(_free_port()), "--workers", "2", cwd=tmp_path,
        env=_env(tmp_path), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode != 0
    assert b"needs DATABASE_URL" in out
