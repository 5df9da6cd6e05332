"""`python -m keybot sandbox`: the emulator, the bot wired to it, and the web chat, in one process."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from bot.config import Settings
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


def mirror_records(mock: MockVenues) -> Callable[[Services], None]:
    """Every saved key is mirrored to the stand-in venue as recorded."""
    def prepare(services: Services) -> None:
        async def on_change(owner_id: int, key_id: int) -> None:
            record = await services.keys.get(owner_id, key_id)
            public = await services.keys.public_id(record) if record is not None else None
            if record is not None and public:
                mock.mirror(record.venue, public, permissions=record.permissions, ips=record.ip_allowlist,
                            read_only=record.read_only, name=record.name)

        services.keys.subscribe(on_change)

    return prepare


async def run_sandbox(settings: Settings, host: str, port: int) -> None:
    from keybot.app import run_polling  # aiogram is slow to import: only here

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
    log.warning("Sandbox ready: open %s in a browser (offline Telegram stand-in; data in %s); stand-in venues "
                "on port %d (POST /_sandbox/drift to make a key differ from its record)", url, database, venue_port)
    try:
        await run_polling(bot_settings, prepare=mirror_records(mock))
    finally:
        await venues.cleanup()
        await runner.cleanup()


def main(settings: Settings, host: str, port: int) -> None:
    Path(settings.database_path).parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(run_sandbox(settings, host, port))
