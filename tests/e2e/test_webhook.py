"""The unchanged bot process in webhook mode (`python -m keybot webhook`): the emulator pushes updates
to it as Telegram would, with the secret token; requests without it are refused; a SIGTERM lets the
update in flight finish."""

from __future__ import annotations

import asyncio
import os
import re
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.creds import credentials
from tests.e2e.sandbox import ALICE, Sandbox
from tests.pg_server import PostgresServer


@pytest.fixture
async def hook(tmp_path: Path) -> AsyncIterator[Sandbox]:
    sandbox = await Sandbox(tmp_path).start("webhook")
    yield sandbox
    await sandbox.stop()
    assert sandbox.emu.violations == [], [(v.method, v.description) for v in sandbox.emu.violations]


async def test_updates_arrive_by_webhook_and_a_key_is_set_up(hook: Sandbox) -> None:
    info = await hook.emu.call("getWebhookInfo", {})
    assert info["url"] == f"http://127.0.0.1:{hook.webhook_port}/telegram"
    assert info["max_connections"] == 40
    assert {"message", "callback_query"} <= set(info["allowed_updates"])
    await hook.chat(ALICE).send("/start", expect="What would you like to do?")
    await hook.walk_xt(ALICE, "Hooked")
    first = await hook.chat(ALICE).send(credentials("xt")[0], expect="Access key stored")
    await hook.chat(ALICE).send(credentials("xt")[1], expect="Credentials stored encrypted")
    assert first.deleted
    assert hook.emu.polls == 0  # nothing was polled


async def test_requests_without_the_secret_token_are_refused(hook: Sandbox) -> None:
    url = f"http://127.0.0.1:{hook.webhook_port}"
    forged = {"update_id": 999, "message": {"message_id": 1, "date": 0, "chat": {"id": ALICE, "type": "private"},
                                            "from": {"id": ALICE, "is_bot": False, "first_name": "A"},
                                            "text": "/start"}}
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guessed"}):
            async with session.post(f"{url}/telegram", json=forged, headers=headers) as resp:
                assert resp.status == 401
        async with session.get(f"{url}/healthz") as resp:
            assert resp.status == 200
        async with session.get(f"{url}/readyz") as resp:
            assert resp.status == 200
    assert hook.chat(ALICE).bot_messages() == []  # the forged /start did nothing


async def test_sigterm_finishes_the_update_in_flight(hook: Sandbox) -> None:
    """The bot is waiting on a (slow) venue when it is told to stop: it answers that update before it
    exits, and Telegram (the emulator) counts it delivered."""
    await hook.walk_xt(ALICE, "Slow")
    await hook.chat(ALICE).send(credentials("xt")[0], expect="Access key stored")
    hook.venues.gate = asyncio.Event()
    last = asyncio.create_task(hook.chat(ALICE).send(credentials("xt")[1], expect="Credentials stored encrypted"))
    await hook.wait_for(lambda: hook.venues.held > 0)  # the bot is checking the key with the venue
    assert hook.proc is not None
    hook.proc.send_signal(signal.SIGTERM)
    hook.venues.gate.set()
    await last
    assert await asyncio.wait_for(hook.proc.wait(), 30) == 0
    hook.proc = None
    hook.log.close()
    assert hook.emu.queued() == []  # answered before the process went: nothing for Telegram to resend


async def test_two_worker_processes_from_one_command(tmp_path: Path, postgres_server: PostgresServer,
                                                     redis_url: str) -> None:
    """`webhook --workers 2` on PostgreSQL and Redis: both workers serve, one is SIGKILLed in the middle
    of a setup and started again by the parent, the setup goes on, and SIGTERM stops them all."""
    sb = await Sandbox(tmp_path).start("webhook", "--workers", "2", DATABASE_URL=postgres_server.new_database(),
                                       REDIS_URL=redis_url)
    try:
        pids = await sb.wait_for(lambda: _serving(sb) if len(_serving(sb)) == 2 else None, timeout=60)
        await sb.chat(ALICE).send("/add", expect="Which venue")
        await sb.chat(ALICE).press("XT.com", expect="send a name")
        # Between updates (the press answered, so its worker wrote the FSM and let go of the user's lock;
        # a worker killed inside an update leaves the lock to expire after LOCK_SECONDS, 60 s):
        await sb.wait_for(lambda: sb.emu.queued() == [])
        os.kill(pids[0], signal.SIGKILL)  # a worker dies; its state was in PostgreSQL and Redis
        await sb.wait_for(lambda: len(_serving(sb)) == 3, timeout=60)  # the parent started it again
        await sb.chat(ALICE).send("Survivor", expect="what may this key do")
        await sb.chat(ALICE).press("Next", expect="which IP addresses")
        await sb.chat(ALICE).press("Allow all IPs", expect="do not expire")
        await sb.chat(ALICE).press("No expiry", expect="Check your new key")
        await sb.chat(ALICE).press("Confirm", expect="Paste the Access key")
        for value in credentials("xt"):
            await sb.chat(ALICE).send(value)
        await sb.wait_for(lambda: "Credentials stored encrypted" in sb.chat(ALICE).last_text())
        assert await sb.stop_bot(signal.SIGTERM) == 0
    finally:
        await sb.stop()


def _serving(sb: Sandbox) -> list[int]:
    """The pids of the workers that said they serve, in the order they said it."""
    log = (sb.tmp_path / "bot.log").read_text(errors="replace")
    return [int(pid) for pid in re.findall(r"worker \d+ \(pid (\d+)\) serving", log)]
