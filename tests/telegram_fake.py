"""A recording Bot API session for flow tests: it answers like Telegram (through aiogram's own
response parsing), keeps a transcript per chat, checks each request against the Bot API's size and
formatting rules, and fails loudly on a method it does not know."""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType

BOT_ID = 4242
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "tg-spoiler", "span", "blockquote", "tg-emoji"}


class RuleViolation(AssertionError):
    """The bot sent something Telegram would refuse."""


@dataclass
class ChatMessage:
    message_id: int
    from_bot: bool
    text: str | None
    markup: list[list[dict[str, Any]]] | None = None
    deleted: bool = False
    protect_content: bool = False
    edits: int = 0
    date: int = 0
    document: bytes | None = None


@dataclass
class Call:
    method: str
    params: dict[str, Any]


class _HtmlCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"unsupported tag <{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_html(text: str) -> str:
    """Telegram's HTML parse mode: known tags, balanced, & and < escaped. Returns the plain text."""
    if re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text):
        raise RuleViolation(f"unescaped & in {text[:80]!r}")
    if re.search(r"<(?![a-zA-Z/])", text):
        raise RuleViolation(f"unescaped < in {text[:80]!r}")
    parser = _HtmlCheck()
    parser.feed(text)
    parser.close()
    if parser.errors or parser.stack:
        raise RuleViolation(f"bad HTML ({parser.errors or parser.stack}) in {text[:120]!r}")
    return html.unescape("".join(parser.text))


class FakeTelegram(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self.chats: dict[int, list[ChatMessage]] = {}
        self.files: dict[str, bytes] = {}
        self.undeletable: set[tuple[int, int]] = set()
        self.now = 0
        self._ids = itertools.count(1000)

    # --- transcript helpers ----------------------------------------------------------------------

    def next_message_id(self) -> int:
        return next(self._ids)

    def add_user_message(self, chat_id: int, text: str | None) -> ChatMessage:
        msg = ChatMessage(self.next_message_id(), from_bot=False, text=text, date=self.now)
        self.chats.setdefault(chat_id, []).append(msg)
        return msg

    def find(self, chat_id: int, message_id: int) -> ChatMessage | None:
        return next((m for m in self.chats.get(chat_id, []) if m.message_id == message_id), None)

    # --- the session -------------------------------------------------------------------------------

    async def close(self) -> None:
        pass

    async def stream_content(self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,
                             chunk_size: int = 65536, raise_for_status: bool = True
                             ) -> AsyncGenerator[bytes, None]:
        path = url.rsplit("/", 1)[-1]
        yield self.files[path]

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType],
                           timeout: int | None = None) -> TelegramType:
        files: dict[str, Any] = {}
        params = {k: self.prepare_value(v, bot=bot, files=files, _dumps_json=False)
                  for k, v in method.model_dump(warnings=False).items()}
        params = {k: v for k, v in params.items() if v is not None}
        for key, value in params.items():  # uploaded files: keep their bytes
            if isinstance(value, str) and value.startswith("attach://"):
                params[key] = files[value[len("attach://"):]].data
            elif isinstance(value, dict) and str(value.get("media", "")).startswith("attach://"):
                params[key] = {**value, "media": files[value["media"][len("attach://"):]].data}
        name = type(method).__name__
        self.calls.append(Call(name, params))
        handler = getattr(self, f"_on_{name}", None)
        if handler is None:
            raise RuleViolation(f"unexpected Bot API call {name}({params})")
        status, result = handler(params)
        body = {"ok": True, "result": result} if status == 200 else \
            {"ok": False, "error_code": status, "description": result}
        return self.check_response(bot, method, status, json.dumps(body)).result  # type: ignore[return-value]

    # --- methods -----------------------------------------------------------------------------------

    def _message_json(self, chat_id: int, msg: ChatMessage) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message_id": msg.message_id, "date": msg.date,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "KeyBot", "username": "key_bot"},
            "text": msg.text,
        }
        if msg.markup:
            out["reply_markup"] = {"inline_keyboard": msg.markup}
        return out

    def _check_text(self, text: Any, parse_mode: str | None) -> None:
        if not isinstance(text, str):
            raise RuleViolation("text must be a string")
        plain = check_html(text) if parse_mode == "HTML" else text
        if not 1 <= len(plain.strip()) <= 4096:
            raise RuleViolation(f"text length {len(plain)} outside 1..4096")

    def _check_markup(self, markup: Any) -> list[list[dict[str, Any]]] | None:
        if markup is None:
            return None
        rows = markup["inline_keyboard"]
        count = 0
        for row in rows:
            for btn in row:
                count += 1
                actions = [k for k in ("callback_data", "url", "switch_inline_query", "web_app", "pay",
                                       "login_url", "copy_text", "callback_game") if btn.get(k) is not None]
                if len(actions) != 1:
                    raise RuleViolation(f"button {btn} must have exactly one action")
                data = btn.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise RuleViolation(f"callback_data {data!r} outside 1..64 bytes")
                if not btn.get("text"):
                    raise RuleViolation("button without text")
        if count > 100:
            raise RuleViolation("more than 100 buttons")
        return [[dict(b) for b in row] for row in rows]

    def _on_SendMessage(self, p: dict[str, Any]) -> tuple[int, Any]:
        self._check_text(p.get("text"), p.get("parse_mode"))
        chat_id = int(p["chat_id"])
        msg = ChatMessage(self.next_message_id(), True, p["text"], self._check_markup(p.get("reply_markup")),
                          protect_content=bool(p.get("protect_content")), date=self.now)
        self.chats.setdefault(chat_id, []).append(msg)
        return 200, self._message_json(chat_id, msg)

    def _on_EditMessageText(self, p: dict[str, Any]) -> tuple[int, Any]:
        self._check_text(p.get("text"), p.get("parse_mode"))
        chat_id = int(p["chat_id"])
        msg = self.find(chat_id, int(p["message_id"]))
        if msg is None or msg.deleted:
            return 400, "Bad Request: message to edit not found"
        if not msg.from_bot:
            return 400, "Bad Request: message can't be edited"
        markup = self._check_markup(p.get("reply_markup"))
        if msg.text == p["text"] and msg.markup == markup:
            return 400, "Bad Request: message is not modified: specified new message content and reply "\
                        "markup are exactly the same as a current content and reply markup of the message"
        msg.text, msg.markup, msg.edits = p["text"], markup, msg.edits + 1
        return 200, self._message_json(chat_id, msg)

    def _on_SendDocument(self, p: dict[str, Any]) -> tuple[int, Any]:
        if not isinstance(p.get("document"), bytes):
            raise RuleViolation("only uploaded documents are emulated")
        caption = p.get("caption")
        if caption is not None and len(check_html(caption) if p.get("parse_mode") == "HTML" else caption) > 1024:
            raise RuleViolation("caption longer than 1024")
        chat_id = int(p["chat_id"])
        msg = ChatMessage(self.next_message_id(), True, caption, self._check_markup(p.get("reply_markup")),
                          protect_content=bool(p.get("protect_content")), date=self.now, document=p["document"])
        self.chats.setdefault(chat_id, []).append(msg)
        return 200, {**self._message_json(chat_id, msg), "text": None, "caption": caption,
                     "document": {"file_id": f"d{msg.message_id}", "file_unique_id": f"d{msg.message_id}"}}

    def _on_EditMessageMedia(self, p: dict[str, Any]) -> tuple[int, Any]:
        chat_id = int(p["chat_id"])
        msg = self.find(chat_id, int(p["message_id"]))
        media = p["media"]
        if msg is None or msg.deleted or not msg.from_bot or msg.document is None:
            return 400, "Bad Request: message to edit not found"
        if media.get("type") != "document" or not isinstance(media.get("media"), bytes):
            raise RuleViolation("only an uploaded document replacing a document is emulated")
        msg.document, msg.text, msg.edits = media["media"], media.get("caption"), msg.edits + 1
        return 200, {**self._message_json(chat_id, msg), "text": None, "caption": msg.text,
                     "document": {"file_id": f"d{msg.message_id}e", "file_unique_id": f"d{msg.message_id}e"}}

    def _on_EditMessageReplyMarkup(self, p: dict[str, Any]) -> tuple[int, Any]:
        chat_id = int(p["chat_id"])
        msg = self.find(chat_id, int(p["message_id"]))
        if msg is None or msg.deleted or not msg.from_bot:
            return 400, "Bad Request: message to edit not found"
        markup = self._check_markup(p.get("reply_markup"))
        if msg.markup == markup:
            return 400, "Bad Request: message is not modified"
        msg.markup, msg.edits = markup, msg.edits + 1
        return 200, self._message_json(chat_id, msg)

    def _on_DeleteMessage(self, p: dict[str, Any]) -> tuple[int, Any]:
        chat_id, message_id = int(p["chat_id"]), int(p["message_id"])
        msg = self.find(chat_id, message_id)
        if msg is None or msg.deleted:
            return 400, "Bad Request: message to delete not found"
        if (chat_id, message_id) in self.undeletable or self.now - msg.date >= 48 * 3600:
            return 400, "Bad Request: message can't be deleted"
        msg.deleted = True
        return 200, True

    def _on_AnswerCallbackQuery(self, p: dict[str, Any]) -> tuple[int, Any]:
        if len(p.get("text", "")) > 200:
            raise RuleViolation(f"callback answer longer than 200: {p['text']!r}")
        return 200, True

    def _on_SetMyCommands(self, p: dict[str, Any]) -> tuple[int, Any]:
        for cmd in p["commands"]:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", cmd["command"]) or not 1 <= len(cmd["description"]) <= 256:
                raise RuleViolation(f"bad command {cmd}")
        return 200, True

    def _on_GetMe(self, p: dict[str, Any]) -> tuple[int, Any]:
        return 200, {"id": BOT_ID, "is_bot": True, "first_name": "KeyBot", "username": "key_bot"}

    def _on_GetFile(self, p: dict[str, Any]) -> tuple[int, Any]:
        file_id = p["file_id"]
        if file_id not in self.files:
            return 400, "Bad Request: invalid file_id"
        return 200, {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id]),
                     "file_path": f"documents/{file_id}"}
