"""The real dispatcher against the Bot API emulator, in this process: updates the emulator queues for what
people do are fed straight to the dispatcher, and the bot's calls reach the emulator through the in-process
session (or, with `http=True`, through aiogram's own HTTP session on a loopback port). The bot and the
emulator share one frozen clock, so tests jump over the 48-hour window and reminder intervals."""

from __future__ import annotations

import asyncio
import base64
import itertools
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Update
from aiohttp.test_utils import TestServer

from bot.config import Settings
from bot.sandbox.emulator import Emulator, Message
from bot.sandbox.server import create_app
from bot.sandbox.session import EmulatorSession
from bot.sandbox.venues import MockVenues
from domain.clock import FrozenClock
from keybot.app import Services, create_bot, create_dispatcher, housekeeping_jobs, open_services
from tests.chat import Chat, text_of
from tests.pg_server import dump
from tests.redis_server import dump as redis_dump
from tests.venue_mock import venue_settings

TOKEN = "42:TEST"
MASTER_KEY = base64.b64encode(bytes(range(32))).decode()
USER, OTHER_USER = 111, 222  # two people who use the bot in private
ALICE, BOB, CAROL = 31, 32, 33  # in the group: Alice created it, Bob is a member, Carol an admin
GROUP = -100777


class Harness:
    def __init__(self, tmp_path: Path, language: str = "en", *, strict: bool = False, http: bool = False,
                 database_url: str | None = None, redis_url: str | None = None) -> None:
        self.tmp_path = tmp_path
        self.database_url = database_url  # PostgreSQL; None: the SQLite file in tmp_path
        self.redis_url = redis_url  # Redis for FSM and locks; None: in this process
        self.http = http
        self.clock = FrozenClock()
        self.emu = Emulator(TOKEN, strict=strict, clock=lambda: self.clock.now().timestamp())
        for user_id, name in ((USER, "Una"), (OTHER_USER, "Otto"), (ALICE, "Alice"), (BOB, "Bob"), (CAROL, "Carol")):
            self.emu.add_user(user_id, name, language)
        self.emu.add_group(GROUP, "Desk")
        self.emu.set_member(GROUP, ALICE, "creator")
        self.emu.set_member(GROUP, BOB, "member")
        self.emu.set_member(GROUP, CAROL, "administrator", can_delete_messages=True)
        self.emu.set_member(GROUP, self.emu.bot.id, "administrator", can_delete_messages=True)
        self.venues = MockVenues(clock=lambda: self.clock.now().timestamp())
        self.slept: list[float] = []
        self.url = ""  # the emulator's address, with http=True
        self._forged_ids = itertools.count(1)
        self._stack: AsyncExitStack | None = None
        self.services: Services
        self.dp: Dispatcher
        self.bot: Bot

    @property
    def settings(self) -> Settings:
        return Settings(_env_file=None, bot_token=TOKEN, database_path=self.tmp_path / "bot.sqlite3",
                        database_url=self.database_url, redis_url=self.redis_url, master_key=MASTER_KEY,
                        **venue_settings("http://mock"))

    async def start(self) -> Harness:
        self._stack = AsyncExitStack()
        settings = self.settings
        session = None
        if self.http:
            server = TestServer(create_app(self.emu))
            await server.start_server()
            self._stack.push_async_callback(server.close)
            self.url = str(server.make_url("")).rstrip("/")
            settings = settings.model_copy(update={"telegram_api_base": self.url})
        else:
            session = EmulatorSession(self.emu)
        self.services = await self._stack.enter_async_context(
            open_services(settings, self.clock, venue_transport=self.venues.transport()))
        self.bot = create_bot(settings, sleep=self.sleep, session=session)
        self._stack.push_async_callback(self.bot.session.close)
        self.dp = create_dispatcher(self.services)
        self._stack.push_async_callback(self.dp.storage.close)
        return self

    async def stop(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None

    async def stored(self) -> bytes:
        """Every byte the bot keeps, as a copy would hold it: the SQLite files after a checkpoint, or a
        pg_dump of the PostgreSQL database (its bytea values also decoded) and every key and value in
        Redis."""
        if self.database_url is not None:
            return dump(self.database_url) + (redis_dump(self.redis_url) if self.redis_url else b"")
        if self._stack is not None:
            await self.services.db.fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
        return b"".join(path.read_bytes() for path in sorted(self.tmp_path.rglob("*.sqlite3*")))

    async def restart(self) -> None:
        """A new process: new services and dispatcher on the same database file; Telegram stays."""
        await self.stop()
        await self.start()

    async def sleep(self, seconds: float) -> None:
        """The bot's waits (Telegram's retry_after) pass on the shared clock, not in real time."""
        self.slept.append(seconds)
        self.clock.advance(seconds=seconds)
        await asyncio.sleep(0)

    # --- people --------------------------------------------------------------------------------------

    def chat(self, user: int, chat: int | None = None) -> Chat:
        """`user` in `chat` (their private chat with the bot by default)."""
        if user not in self.emu.users:
            self.emu.add_user(user, f"U{user}")
        return Chat(self.emu, user, user if chat is None else chat, self._settle)

    @property
    def me(self) -> Chat:
        """The default person, in their private chat with the bot."""
        return self.chat(USER)

    async def pump(self) -> None:
        while updates := self.emu.take_updates():
            for update in updates:
                await self.dp.feed_raw_update(self.bot, update)

    async def _settle(self, answered: Callable[[], bool], required: bool) -> None:
        await self.pump()
        if required and not answered():
            raise AssertionError("the bot did not answer as expected")

    async def feed(self, payload: dict[str, Any]) -> None:
        """An update no client sends through the emulator (a press on a message from another chat...)."""
        update = Update.model_validate({"update_id": 10**6 + next(self._forged_ids), **payload},
                                       context={"bot": self.bot})
        await self.dp.feed_update(self.bot, update)

    def user_json(self, user: int) -> dict[str, Any]:
        return self.emu.users[user].json()

    # --- the bot's own work ----------------------------------------------------------------------------

    async def tick(self) -> None:
        """One housekeeping tick: due deletions and reminders."""
        await self.services.deletions.run_due(self.bot)
        await housekeeping_jobs(self.services)(self.bot)

    async def add_xt_key(self, user: int, name: str = "Main") -> None:
        """Walk the XT setup in the user's private chat and paste the test credentials."""
        from tests.creds import credentials

        chat = self.chat(user)
        await chat.send("/add")
        await chat.press("XT.com")
        await chat.send(name)
        await chat.press("Next")
        await chat.send("8.8.8.8")
        await chat.press("No expiry")
        await chat.press("Confirm")
        for value in credentials("xt"):
            await chat.send(value)  # the paste step takes them: not a leak

    # --- reading what is not one person's view -----------------------------------------------------------

    def calls(self, method: str) -> list[dict[str, Any]]:
        """The parameters of each successful call of a Bot API method (e.g. "sendMessage")."""
        return [c.params for c in self.emu.calls if c.method == method and c.status == 200]

    def bot_texts(self, chat: int, *, for_user: int | None = None) -> list[str]:
        """The bot's messages still in `chat`, as shown (ephemeral ones only to `for_user` when given)."""
        return [text_of(m) for m in self.emu.messages.get(chat, [])
                if m.from_id == self.emu.bot.id and not m.deleted
                and (for_user is None or m.receiver_user_id in (None, for_user))]

    def ephemeral(self, chat: int, user: int) -> list[str]:
        return [text_of(m) for m in self.emu.messages.get(chat, []) if m.receiver_user_id == user]

    def public(self, chat: int) -> list[Message]:
        """The bot's messages in `chat` that every member sees (deleted ones included)."""
        return [m for m in self.emu.messages.get(chat, [])
                if m.from_id == self.emu.bot.id and m.receiver_user_id is None]


async def current_state(h: Harness, user: int = USER) -> str | None:
    return await h.dp.storage.get_state(StorageKey(bot_id=h.bot.id, chat_id=user, user_id=user))


async def fsm_data(h: Harness, user: int = USER) -> dict[str, Any]:
    return await h.dp.storage.get_data(StorageKey(bot_id=h.bot.id, chat_id=user, user_id=user))
