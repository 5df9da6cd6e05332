"""The real dispatcher, with aiogram's real HTTP session, against the Bot API emulator on loopback.
Updates are fed from the emulator's queue straight into the dispatcher, and the bot and the emulator
share one frozen clock, so tests can jump over the 48-hour window and reminder intervals."""

from __future__ import annotations

import asyncio
import base64
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiohttp.test_utils import TestServer

from bot.config import Settings
from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app
from bot.sandbox.venues import MockVenues
from domain.clock import FrozenClock
from keybot.app import Services, create_bot, create_dispatcher, housekeeping_jobs, open_services
from tests.venue_mock import venue_settings

TOKEN = "555000:LIVE-TEST"
ALICE, BOB, CAROL = 31, 32, 33  # Alice: group creator; Bob: member; Carol: admin
GROUP = -100777


class Live:
    def __init__(self, tmp_path: Path, strict: bool = False) -> None:
        self.tmp_path = tmp_path
        self.clock = FrozenClock()
        self.emu = Emulator(TOKEN, strict=strict, clock=lambda: self.clock.now().timestamp())
        self.slept: list[float] = []
        self.emu.add_user(ALICE, "Alice")
        self.emu.add_user(BOB, "Bob")
        self.emu.add_user(CAROL, "Carol")
        self.emu.add_group(GROUP, "Desk")
        self.emu.set_member(GROUP, ALICE, "creator")
        self.emu.set_member(GROUP, BOB, "member")
        self.emu.set_member(GROUP, CAROL, "administrator", can_delete_messages=True)
        self.emu.set_member(GROUP, self.emu.bot.id, "administrator", can_delete_messages=True)
        self.venues = MockVenues(clock=lambda: self.clock.now().timestamp())
        self._stack = AsyncExitStack()
        self.services: Services
        self.dp: Dispatcher
        self.bot: Bot

    async def start(self) -> Live:
        server = TestServer(create_app(self.emu))
        await server.start_server()
        self._stack.push_async_callback(server.close)
        self.url = str(server.make_url("")).rstrip("/")
        settings = Settings(_env_file=None, bot_token=TOKEN, telegram_api_base=self.url,
                            database_path=self.tmp_path / "live.sqlite3",
                            master_key=base64.b64encode(bytes(range(32))).decode(), **venue_settings("http://mock"))
        self.services = await self._stack.enter_async_context(
            open_services(settings, self.clock, venue_transport=self.venues.transport()))
        self.bot = create_bot(settings, sleep=self.sleep)
        self._stack.push_async_callback(self.bot.session.close)
        self.dp = create_dispatcher(self.services)
        return self

    async def sleep(self, seconds: float) -> None:
        """The bot's waits (Telegram's retry_after) pass on the shared clock, not in real time."""
        self.slept.append(seconds)
        self.clock.advance(seconds=seconds)
        await asyncio.sleep(0)

    async def stop(self) -> None:
        await self._stack.aclose()

    async def pump(self) -> None:
        while updates := self.emu.take_updates():
            for update in updates:
                await self.dp.feed_raw_update(self.bot, update)

    async def send(self, user: int, chat: int, text: str | None = None, **kwargs: Any) -> int:
        msg = await self.emu.user_send(user, chat, text, **kwargs)
        await self.pump()
        return msg.message_id

    async def edit(self, user: int, chat: int, message_id: int, text: str) -> None:
        await self.emu.user_edit(user, chat, message_id, text)
        await self.pump()

    async def press(self, user: int, chat: int, label: str) -> None:
        for m in reversed(self.emu.transcript(chat)):
            for row in m["buttons"]:
                for b in row:
                    if label in b["text"] and not m["deleted"]:
                        await self.emu.user_press(user, chat, m["message_id"], b["data"])
                        await self.pump()
                        return
        raise AssertionError(f"no button {label!r}")

    async def add_xt_key(self, user: int, name: str = "Main") -> None:
        """Walk the XT setup in the user's private chat and paste the test credentials."""
        from tests.creds import credentials

        await self.send(user, user, "/add")
        await self.press(user, user, "XT.com")
        await self.send(user, user, name)
        await self.press(user, user, "Next")
        await self.send(user, user, "8.8.8.8")
        await self.press(user, user, "No expiry")
        await self.press(user, user, "Confirm")
        for value in credentials("xt"):
            await self.send(user, user, value)  # the paste step takes them: not a leak

    async def tick(self) -> None:
        """One housekeeping tick: due deletions and reminders."""
        await self.services.deletions.run_due(self.bot)
        await housekeeping_jobs(self.services)(self.bot)

    def message(self, chat: int, message_id: int) -> dict[str, Any]:
        return next(m for m in self.emu.transcript(chat) if m["message_id"] == message_id)

    def bot_texts(self, chat: int, *, for_user: int | None = None) -> list[str]:
        return [m["text"] or "" for m in self.emu.transcript(chat)
                if m["from_bot"] and not m["deleted"] and (for_user is None or m["ephemeral_for"] in (None, for_user))]

    def ephemeral(self, chat: int, user: int) -> list[str]:
        return [m["text"] or "" for m in self.emu.transcript(chat) if m["ephemeral_for"] == user]

    def public(self, chat: int) -> list[dict[str, Any]]:
        return [m for m in self.emu.transcript(chat) if m["from_bot"] and m["ephemeral_for"] is None]
