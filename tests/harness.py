"""Drives the real dispatcher with updates, as Telegram would, and reads back what the bot did."""

from __future__ import annotations

import base64
import itertools
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.types import Update

from bot.config import Settings
from bot.sandbox.venues import MockVenues
from domain.clock import FrozenClock
from keybot.app import Services, create_dispatcher, open_services
from tests.telegram_fake import ChatMessage, FakeTelegram
from tests.venue_mock import venue_settings

MASTER_KEY = base64.b64encode(bytes(range(32))).decode()
USER = 111
OTHER_USER = 222


class Harness:
    def __init__(self, tmp_path: Path, language: str = "en") -> None:
        self.tmp_path = tmp_path
        self.language = language
        self.clock = FrozenClock()
        self.tg = FakeTelegram()
        self.bot = Bot("42:TEST", session=self.tg, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
        self._updates = itertools.count(1)
        self.venues = MockVenues(clock=lambda: self.clock.now().timestamp())
        self._stack: AsyncExitStack | None = None
        self.services: Services
        self.dp: Dispatcher

    @property
    def settings(self) -> Settings:
        return Settings(
            _env_file=None,
            bot_token="42:TEST", database_path=self.tmp_path / "bot.sqlite3", master_key=MASTER_KEY,
            **venue_settings("http://mock"),
        )

    async def start(self) -> Harness:
        self._stack = AsyncExitStack()
        self.services = await self._stack.enter_async_context(
            open_services(self.settings, self.clock, venue_transport=self.venues.transport()))
        self.dp = create_dispatcher(self.services)
        return self

    async def stop(self) -> None:
        if self._stack is not None:
            await self.dp.storage.close()
            await self._stack.aclose()
            self._stack = None

    async def restart(self) -> None:
        """A new process: new services and dispatcher on the same database file."""
        await self.stop()
        await self.start()

    # --- sending -----------------------------------------------------------------------------------

    def _user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"U{user_id}", "language_code": self.language}

    async def feed(self, payload: dict[str, Any]) -> None:
        update = Update.model_validate({"update_id": next(self._updates), **payload}, context={"bot": self.bot})
        self.tg.now = int(self.clock.now().timestamp())
        await self.dp.feed_update(self.bot, update)

    async def send(self, text: str, user: int = USER) -> ChatMessage:
        self.tg.now = int(self.clock.now().timestamp())
        msg = self.tg.add_user_message(user, text)
        message: dict[str, Any] = {
            "message_id": msg.message_id, "date": msg.date, "chat": {"id": user, "type": "private"},
            "from": self._user(user), "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        await self.feed({"message": message})
        return msg

    async def send_other(self, kind: str, user: int = USER, **extra: Any) -> ChatMessage:
        """A sticker, photo or document message."""
        msg = self.tg.add_user_message(user, None)
        kinds: dict[str, dict[str, Any]] = {
            "sticker": {"sticker": {"file_id": "st1", "file_unique_id": "st1", "type": "regular", "width": 512,
                                    "height": 512, "is_animated": False, "is_video": False}},
            "photo": {"photo": [{"file_id": "ph1", "file_unique_id": "ph1", "width": 90, "height": 90}]},
        }
        content = kinds.get(kind, {})
        if kind == "document":
            file_id = f"doc{msg.message_id}"
            self.tg.files[file_id] = extra.pop("data")
            content = {"document": {"file_id": file_id, "file_unique_id": file_id,
                                    "file_name": extra.pop("file_name", "key.pem"),
                                    "file_size": len(self.tg.files[file_id])}}
        await self.feed({"message": {
            "message_id": msg.message_id, "date": msg.date, "chat": {"id": user, "type": "private"},
            "from": self._user(user), **content, **extra,
        }})
        return msg

    def buttons(self, user: int = USER) -> list[dict[str, Any]]:
        last = self.last_bot_message(user, with_markup=True)
        return [b for row in (last.markup or []) for b in row]

    async def press(self, label: str, user: int = USER) -> None:
        """Press the button whose text contains `label` on the newest bot message with a keyboard."""
        last = self.last_bot_message(user, with_markup=True)
        matches = [b for row in (last.markup or []) for b in row if label in b["text"]]
        if len(matches) != 1:
            raise AssertionError(f"{len(matches)} buttons match {label!r}: {[b['text'] for b in self.buttons(user)]}")
        await self.press_data(matches[0]["callback_data"], user, last.message_id)

    async def press_data(self, data: str, user: int = USER, message_id: int | None = None) -> None:
        message_id = message_id or self.last_bot_message(user).message_id
        msg = self.tg.find(user, message_id)
        await self.feed({"callback_query": {
            "id": str(next(self._updates)), "from": self._user(user), "chat_instance": "ci", "data": data,
            "message": {"message_id": message_id, "date": 0, "chat": {"id": user, "type": "private"},
                        "from": {"id": 4242, "is_bot": True, "first_name": "KeyBot"},
                        "text": (msg.text if msg else None) or "…"},
        }})

    # --- reading -----------------------------------------------------------------------------------

    def bot_messages(self, user: int = USER) -> list[ChatMessage]:
        return [m for m in self.tg.chats.get(user, []) if m.from_bot and not m.deleted]

    def last_bot_message(self, user: int = USER, with_markup: bool = False) -> ChatMessage:
        msgs = [m for m in self.bot_messages(user) if m.markup or not with_markup]
        if not msgs:
            raise AssertionError("the bot has sent nothing")
        return msgs[-1]

    def last_text(self, user: int = USER) -> str:
        return self.last_bot_message(user).text or ""

    def texts_since(self, index: int, user: int = USER) -> str:
        return "\n---\n".join(m.text or "" for m in self.tg.chats.get(user, [])[index:] if m.from_bot)

    def calls(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.tg.calls if c.method == method]


async def current_state(h: Harness, user: int = USER) -> str | None:
    from aiogram.fsm.storage.base import StorageKey

    key = StorageKey(bot_id=h.bot.id, chat_id=user, user_id=user)
    return await h.dp.storage.get_state(key)


async def fsm_data(h: Harness, user: int = USER) -> dict[str, Any]:
    from aiogram.fsm.storage.base import StorageKey

    return await h.dp.storage.get_data(StorageKey(bot_id=h.bot.id, chat_id=user, user_id=user))
