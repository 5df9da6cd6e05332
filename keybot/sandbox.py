"""`python -m keybot sandbox`: the emulator, the bot wired to it, and the web chat, in one process.

`python -m keybot sandbox --workers N`: the emulator and the web chat here, the bot as N webhook
workers on PostgreSQL and Redis (DATABASE_URL, REDIS_URL) in a child process started with
`python -m keybot.sandbox N <mirror url>` — `webhook --workers N` plus the sandbox's key mirroring —
to which the emulator pushes updates as Telegram would."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import SecretStr

from bot.config import Settings, StartupError
from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app, serve
from bot.sandbox.venues import MockVenues, venue_urls

if TYPE_CHECKING:
    from keybot.app import Services

log = logging.getLogger(__name__)

SANDBOX_TOKEN = "100000:SANDBOX-NOT-A-REAL-TOKEN"  # noqa: S105 - only the local emulator accepts it
GROUP_ID = -1001000000001


def populate(emu: Emulator) -> None:
    """A few test users and a trading group in which the bot is an admin that may delete."""
    emu.add_user(1001, "Alice", "en", "alice")
    emu.add_user(1002, "Борис", "ru", "boris")
    emu.add_user(1003, "Carol", "en", "carol")
    emu.add_group(GROUP_ID, "Trading desk")
    emu.set_member(GROUP_ID, 1001, "creator")
    emu.set_member(GROUP_ID, 1002, "member")
    emu.set_member(GROUP_ID, 1003, "administrator", can_delete_messages=True)
    emu.set_member(GROUP_ID, emu.bot.id, "administrator", can_delete_messages=True)


Mirror = Callable[[dict[str, Any]], Awaitable[None]]


def mirroring(mirror: Mirror) -> Callable[[Services], None]:
    """Every saved key is mirrored to the stand-in venue as recorded."""
    def prepare(services: Services) -> None:
        async def on_change(owner_id: int, key_id: int) -> None:
            record = await services.keys.get(owner_id, key_id)
            public = await services.keys.public_id(record) if record is not None else None
            if record is not None and public:
                await mirror({"venue": record.venue, "key": public, "permissions": record.permissions,
                              "ips": record.ip_allowlist, "read_only": record.read_only, "name": record.name})

        services.keys.subscribe(on_change)

    return prepare


def mirror_records(mock: MockVenues) -> Callable[[Services], None]:
    """Mirroring in this process: straight to the stand-ins."""
    async def mirror(key: dict[str, Any]) -> None:
        mock.mirror(key["venue"], key["key"], permissions=key["permissions"], ips=key["ips"],
                    read_only=key["read_only"], name=key["name"])

    return mirroring(mirror)


def mirror_over_http(url: str) -> Callable[[Services], None]:
    """Mirroring from a worker process: to the stand-ins' endpoint in the sandbox process (loopback; the
    public key id only, as the in-process mirror passes it)."""
    async def mirror(key: dict[str, Any]) -> None:
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                await client.post(url, json=key)
        except httpx.HTTPError as exc:  # a demo nicety: the key may then show drift
            log.warning("could not mirror a key to the stand-in venue: %s", type(exc).__name__)

    return mirroring(mirror)


async def run_sandbox(settings: Settings, host: str, port: int, workers: int = 0) -> None:
    emu = Emulator(SANDBOX_TOKEN)
    populate(emu)
    # The web page long-polls; do not let its open request hold up a shutdown.
    runner, port = await serve(create_app(emu), host, port, shutdown_timeout=1)
    url = f"http://{host}:{port}"
    # Venues too are local: any well-formed key "works", so verification can be tried offline, and each
    # stand-in key is what its owner recorded (no drift in a demo) until the page asks for drift.
    mock = MockVenues(accept_all=True)
    venues, venue_port = await serve(mock.app())
    database = settings.database_path.with_name("sandbox.sqlite3")
    bot_settings = settings.model_copy(update={
        "bot_token": SecretStr(SANDBOX_TOKEN), "telegram_api_base": url, "database_path": database,
        **venue_urls(f"http://127.0.0.1:{venue_port}"), "egress_ip": "127.0.0.1",
    })
    where = f"{workers} webhook workers on DATABASE_URL and REDIS_URL" if workers else f"data in {database}"
    log.warning("Sandbox ready: open %s in a browser (offline Telegram stand-in; %s); stand-in venues "
                "on port %d (POST /_sandbox/drift to make a key differ from its record)", url, where, venue_port)
    try:
        if workers:
            await run_workers(bot_settings, workers, f"http://127.0.0.1:{venue_port}/_sandbox/mirror")
        else:
            from keybot.app import run_polling  # aiogram is slow to import: only here

            await run_polling(bot_settings, prepare=mirror_records(mock))
    finally:
        await venues.cleanup()
        await runner.cleanup()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run_workers(settings: Settings, workers: int, mirror_url: str) -> None:
    """The workers in a child process (forking this one, with the emulator's loop running, would copy
    it); the emulator pushes them updates over loopback. Ctrl-C stops both."""
    webhook_port = _free_port()
    changed: dict[str, Any] = {
        "bot_token": SANDBOX_TOKEN, "telegram_api_base": settings.telegram_api_base,
        "venue_urls": settings.venue_urls, "b2trader_url_template": settings.b2trader_url_template,
        "b2trader_allow_private_hosts": settings.b2trader_allow_private_hosts, "egress_ip": settings.egress_ip,
        "webhook_url": f"http://127.0.0.1:{webhook_port}{settings.webhook_path}", "webhook_host": "127.0.0.1",
        "webhook_port": webhook_port,
    }
    env = {**os.environ, **{name.upper(): value if isinstance(value, str) else json.dumps(value)
                            for name, value in changed.items() if value is not None}}
    child = await asyncio.create_subprocess_exec(sys.executable, "-m", "keybot.sandbox", str(workers), mirror_url,
                                                 env=env)
    loop = asyncio.get_running_loop()

    def stop() -> None:  # the workers finish their updates in flight; the emulator outlives them
        if child.returncode is None:
            child.send_signal(signal.SIGTERM)

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop)
    try:
        if await child.wait() != 0:
            log.warning("the sandbox's workers exited with status %s", child.returncode)
    finally:
        stop()
        await child.wait()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)


def main(settings: Settings, host: str, port: int, workers: int = 0) -> None:
    if workers and (settings.database_url is None or settings.redis_url is None):
        raise StartupError("sandbox --workers needs DATABASE_URL (PostgreSQL) and REDIS_URL, as webhook "
                           "--workers does; give the sandbox a database of its own")
    Path(settings.database_path).parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(run_sandbox(settings, host, port, workers))


def workers_main(argv: list[str]) -> int:
    """The sandbox's child: `webhook --workers N` with each saved key mirrored to the stand-in venues."""
    from bot.guard.detector import Detector
    from bot.redact import install as install_logging
    from keybot.workers import run_workers as fork_workers

    settings = Settings()
    install_logging(Detector(), settings.log_level)
    return fork_workers(settings, int(argv[0]), prepare=mirror_over_http(argv[1]))


if __name__ == "__main__":
    sys.exit(workers_main(sys.argv[1:]))
