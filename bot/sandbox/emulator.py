"""The Bot API emulator's state and methods, independent of HTTP.

It keeps users, chats with member roles, messages with their edits and deletions, the update queue
with long polling, uploaded files, and a record of every call and every rule violation. Results and
errors use Telegram's envelope and texts. The driver methods (`user_*`) act as people would.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.htmltext import EntityError, plain_text
from bot.sandbox.spec import Spec, UploadedFile
from bot.sandbox.webhook import SECRET, Webhook, WebhookPusher, check_url

DAY = 86400
# Telegram's placeholder sender for messages an anonymous admin posts on behalf of the group.
ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
DELETE_WINDOW = 48 * 3600
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")
SENDING = {"sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage"}
_ids = itertools.count(1)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


class RuleError(ApiError):
    """The request broke the Bot API's rules: recorded as a violation. Other errors, such as
    "message to delete not found", are outcomes a correct bot must handle."""

    def __init__(self, description: str) -> None:
        super().__init__(400, description)


@dataclass
class User:
    id: int
    first_name: str
    username: str | None = None
    language_code: str = "en"
    is_bot: bool = False

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name,
                               "language_code": self.language_code}
        if self.username:
            out["username"] = self.username
        return out


@dataclass
class Member:
    status: str  # creator | administrator | member | left
    can_delete_messages: bool = False
    is_anonymous: bool = False


@dataclass
class Chat:
    id: int
    type: str  # private | group | supergroup
    title: str
    members: dict[int, Member] = field(default_factory=dict)

    def json(self, users: dict[int, User]) -> dict[str, Any]:
        if self.type == "private":
            user = users[self.id]
            return {"id": self.id, "type": "private", "first_name": user.first_name}
        return {"id": self.id, "type": self.type, "title": self.title}


@dataclass
class Message:
    chat_id: int
    message_id: int
    date: int
    from_id: int
    text: str | None = None  # as sent (HTML when parse_mode is HTML)
    parse_mode: str | None = None
    plain: str | None = None  # what the user sees
    caption: str | None = None
    document: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None  # one size: the emulator does not scale images
    reply_markup: dict[str, Any] | None = None
    protect_content: bool = False
    sender_chat_id: int | None = None
    forward_from: dict[str, Any] | None = None
    edits: list[str] = field(default_factory=list)
    edit_date: int | None = None
    reply_to: int | None = None
    deleted_at: int | None = None
    deleted_by: int | None = None
    receiver_user_id: int | None = None  # an ephemeral message: only this user (and the bot) sees it
    content: dict[str, Any] = field(default_factory=dict)  # other content passed through: a sticker, a photo

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        return list((self.reply_markup or {}).get("inline_keyboard", []))

    def buttons(self) -> list[dict[str, Any]]:
        return [b for row in self.keyboard for b in row]


@dataclass
class BusinessLink:
    """A user connected the bot to their account (Telegram Business → Chatbots) with these rights."""

    id: str
    owner: int
    date: int
    can_read: bool = True
    can_delete_all: bool = True
    enabled: bool = True

    def json(self, users: dict[int, User]) -> dict[str, Any]:
        rights = {"can_reply": True, "can_read_messages": self.can_read, "can_delete_all_messages": self.can_delete_all}
        return {"id": self.id, "user": users[self.owner].json(), "user_chat_id": self.owner, "date": self.date,
                "is_enabled": self.enabled, "rights": {k: v for k, v in rights.items() if v}}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int
    description: str | None = None


@dataclass
class Bucket:
    """Token bucket for the strict-mode rate limits."""

    capacity: float
    per_second: float
    tokens: float = -1.0
    stamp: float = 0.0

    def take(self, now: float) -> float:
        """0 when allowed; otherwise seconds until a token is back."""
        if self.tokens < 0:
            self.tokens = self.capacity
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_second


class Emulator:
    def __init__(self, token: str, *, strict: bool = False, clock: Callable[[], float] = time.time) -> None:
        bot_id = int(token.split(":", 1)[0])
        self.token = token
        self.strict = strict
        self._clock = clock
        self.offset = 0.0  # driver-controlled time shift, for the 48-hour window
        self.spec = Spec.load()
        self.bot = User(bot_id, "KeyHygiene Bot", "keyhygiene_bot", is_bot=True)
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.messages: dict[int, list[Message]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.business: dict[str, BusinessLink] = {}
        # The owner's private chats seen through a business connection: (connection, peer) → messages.
        self.business_chats: dict[tuple[str, int], list[Message]] = {}
        self.calls: list[Call] = []
        self.violations: list[Call] = []
        self.ignored_params: list[tuple[str, str]] = []  # (method, parameter) Telegram would ignore
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.polls = 0  # getUpdates calls received, finished or not
        self.releasing = False  # answer long polls at once (a bot is being stopped: do not make it wait)
        self.ephemeral = True  # Bot API 10.2+ ephemeral messages; off to emulate an older server
        self.version = 0  # bumped on every visible change, for the web page's long polling
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._changed = asyncio.Condition()
        self._allowed: list[str] | None = None
        self._buckets: dict[str, Bucket] = {}
        # Which messages Telegram refuses to delete for a reason the emulator does not model.
        self.refuse_deletion: Callable[[Message], bool] = lambda msg: False
        self.webhook: WebhookPusher | None = None  # set by setWebhook: updates are pushed, not polled

    # --- time, ids, notification -------------------------------------------------------------------

    def now(self) -> int:
        return int(self._clock() + self.offset)

    async def release_polls(self, releasing: bool = True) -> None:
        """While releasing, getUpdates answers at once: a bot told to stop does not wait out its long poll."""
        self.releasing = releasing
        async with self._changed:
            self._changed.notify_all()

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    async def _touch(self) -> None:
        self.version += 1
        async with self._changed:
            self._changed.notify_all()

    async def wait_change(self, version: int, seconds: float) -> int:
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait_for(lambda: self.version != version), seconds)
        return self.version

    # --- world set-up (driver) ---------------------------------------------------------------------

    def add_user(self, user_id: int, first_name: str, language_code: str = "en",
                 username: str | None = None) -> User:
        user = self.users.setdefault(user_id, User(user_id, first_name, username, language_code))
        self.chats.setdefault(user_id, Chat(user_id, "private", first_name, {user_id: Member("member")}))
        return user

    def add_group(self, chat_id: int, title: str, *, supergroup: bool = True) -> Chat:
        chat = Chat(chat_id, "supergroup" if supergroup else "group", title)
        chat.members[self.bot.id] = Member("member")
        self.chats[chat_id] = chat
        return chat

    def set_member(self, chat_id: int, user_id: int, status: str, *, can_delete_messages: bool = False,
                   is_anonymous: bool = False) -> None:
        self.chats[chat_id].members[user_id] = Member(status, can_delete_messages, is_anonymous)

    # --- driver: what people do --------------------------------------------------------------------

    def _message_json(self, msg: Message) -> dict[str, Any]:
        chat = self.chats[msg.chat_id]
        sender = self.bot if msg.from_id == self.bot.id else self.users[msg.from_id]
        out: dict[str, Any] = {"message_id": msg.message_id, "date": msg.date, "chat": chat.json(self.users),
                               "from": sender.json(), **msg.content}
        if msg.text is not None:
            out["text"] = msg.plain if msg.plain is not None else msg.text
        if msg.caption is not None:
            out["caption"] = msg.caption
        if msg.document is not None:
            out["document"] = msg.document
        if msg.photo is not None:
            out["photo"] = msg.photo
        if msg.reply_markup:
            out["reply_markup"] = msg.reply_markup
        if msg.edit_date:
            out["edit_date"] = msg.edit_date
        if msg.sender_chat_id is not None:
            out["sender_chat"] = self.chats[msg.sender_chat_id].json(self.users)
            out["from"] = ANONYMOUS_ADMIN
        if msg.forward_from is not None:
            out["forward_origin"] = {"type": "user", "date": msg.date, "sender_user": msg.forward_from}
        if msg.protect_content:
            out["has_protected_content"] = True
        if msg.reply_to is not None and (target := self.find(msg.chat_id, msg.reply_to)) is not None:
            out["reply_to_message"] = {k: v for k, v in self._message_json(target).items() if k != "reply_to_message"}
        if msg.receiver_user_id is not None:
            out["message_id"] = 0
            out["ephemeral_message_id"] = msg.message_id
            out["receiver_user"] = self.users[msg.receiver_user_id].json()
        if msg.text is not None and msg.text.startswith("/") and msg.from_id != self.bot.id:
            out["entities"] = [{"type": "bot_command", "offset": 0, "length": len(msg.text.split()[0])}]
        return out

    async def _queue(self, kind: str, payload: dict[str, Any]) -> None:
        self._updates.append({"update_id": next(self._update_ids), kind: payload})
        await self._touch()

    def _require_member(self, user_id: int, chat_id: int) -> Chat:
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id}")
        chat = self.chats.get(chat_id)
        if chat is None or user_id not in chat.members:
            raise ValueError(f"user {user_id} is not in chat {chat_id}")
        return chat

    async def user_send(self, user_id: int, chat_id: int, text: str | None = None, *,
                        document: tuple[str, bytes] | None = None, caption: str | None = None,
                        forwarded_from: int | None = None, as_chat: int | None = None,
                        reply_to: int | None = None, content: dict[str, Any] | None = None) -> Message:
        """A person sends a text, or a document with an optional caption, or other `content` given as
        Telegram's JSON for it (a sticker, a photo); `as_chat` posts as the group (an anonymous admin), which
        Telegram shows with a placeholder sender."""
        chat = self._require_member(user_id, chat_id)
        if as_chat is not None and (as_chat != chat_id or not chat.members[user_id].is_anonymous):
            raise ValueError("only an anonymous admin can post as the group")
        msg = Message(chat_id, self._next_message_id(chat_id), self.now(), user_id, text=text,
                      plain=text, caption=caption, sender_chat_id=as_chat, reply_to=reply_to, content=content or {})
        if document is not None:
            name, data = document
            file_id = f"F{next(_ids)}_{len(self.files)}"
            self.files[file_id] = UploadedFile(name, data)
            msg.document = {"file_id": file_id, "file_unique_id": file_id, "file_name": name,
                            "file_size": len(data)}
        if forwarded_from is not None:
            msg.forward_from = self.users[forwarded_from].json()
        self.messages.setdefault(chat_id, []).append(msg)
        await self._queue("message", self._message_json(msg))
        return msg

    async def user_edit(self, user_id: int, chat_id: int, message_id: int, text: str) -> Message:
        msg = self.find(chat_id, message_id)
        if msg is None or msg.from_id != user_id or msg.deleted_at is not None:
            raise ValueError("that message cannot be edited by this user")
        msg.edits.append(msg.text or "")
        msg.text = msg.plain = text
        msg.edit_date = self.now()
        await self._queue("edited_message", self._message_json(msg))
        return msg

    async def user_press(self, user_id: int, chat_id: int, message_id: int, callback_data: str, *,
                         forged: bool = False) -> str:
        """Press a button that is on the message's current keyboard; `forged` sends any data for the
        message, as a tap that raced an edit (a stale keyboard) or a modified client can."""
        self._require_member(user_id, chat_id)
        msg = self.find(chat_id, message_id)
        if msg is None or msg.deleted_at is not None:
            raise ValueError("no such message")
        if not forged and not any(b.get("callback_data") == callback_data for b in msg.buttons()):
            raise ValueError("that button is not on the message's keyboard")
        query_id = str(next(_ids))
        await self._queue("callback_query", {
            "id": query_id, "from": self.users[user_id].json(), "chat_instance": str(chat_id),
            "message": self._message_json(msg), "data": callback_data,
        })
        return query_id

    async def user_delete(self, user_id: int, chat_id: int, message_id: int) -> None:
        """A person deletes their own message (bots get no update about it)."""
        msg = self.find(chat_id, message_id)
        if msg is None or msg.from_id != user_id:
            raise ValueError("that message cannot be deleted by this user")
        msg.deleted_at, msg.deleted_by = self.now(), user_id
        await self._touch()

    async def add_bot_to_group(self, chat_id: int, by_user: int, *, admin: bool = False,
                               can_delete_messages: bool = False) -> None:
        """Someone adds the bot to a group: the bot gets a my_chat_member update."""
        chat = self.chats[chat_id]
        old = chat.members.get(self.bot.id)
        status = "administrator" if admin else "member"
        chat.members[self.bot.id] = Member(status, can_delete_messages)
        new_member: dict[str, Any] = {"status": status, "user": self.bot.json()}
        if admin:
            new_member.update(_admin_rights(chat.members[self.bot.id]))
        await self._queue("my_chat_member", {
            "chat": chat.json(self.users), "from": self.users[by_user].json(), "date": self.now(),
            "old_chat_member": {"status": old.status if old else "left", "user": self.bot.json(),
                                **({"until_date": 0} if old and old.status == "kicked" else {})},
            "new_chat_member": new_member,
        })

    # --- Telegram Business: the bot connected to a user's own account ----------------------------------

    async def connect_business(self, connection_id: str, owner: int, *, can_read: bool = True,
                               can_delete_all: bool = True, enabled: bool = True) -> BusinessLink:
        """The owner connects (or reconfigures, or disconnects) the bot: a business_connection update."""
        link = BusinessLink(connection_id, owner, self.now(), can_read, can_delete_all, enabled)
        self.business[connection_id] = link
        await self._queue("business_connection", link.json(self.users))
        return link

    def _business_json(self, link: BusinessLink, peer: int, msg: Message) -> dict[str, Any]:
        peer_user = self.users[peer]
        out: dict[str, Any] = {"message_id": msg.message_id, "date": msg.date, "business_connection_id": link.id,
                               "chat": {"id": peer, "type": "private", "first_name": peer_user.first_name},
                               "from": self.users[msg.from_id].json(), "text": msg.text}
        if msg.edit_date:
            out["edit_date"] = msg.edit_date
        return out

    async def business_send(self, connection_id: str, peer: int, sender: int, text: str) -> Message:
        """A message in the owner's private chat with `peer`, sent by either of them. The bot hears of it
        only while the connection is on and may read messages."""
        link = self.business[connection_id]
        if sender not in (link.owner, peer):
            raise ValueError("only the owner and the peer write in their chat")
        chat = self.business_chats.setdefault((connection_id, peer), [])
        # Ids run across all of the owner's chats, as in a user account.
        next_id = 1 + sum(len(m) for (conn, _), m in self.business_chats.items() if conn == connection_id)
        msg = Message(peer, next_id, self.now(), sender, text=text, plain=text)
        chat.append(msg)
        if link.enabled and link.can_read:
            await self._queue("business_message", self._business_json(link, peer, msg))
        else:
            await self._touch()
        return msg

    async def business_edit(self, connection_id: str, peer: int, message_id: int, text: str) -> Message:
        link = self.business[connection_id]
        msg = self._business_message(connection_id, peer, message_id)
        if msg is None or msg.deleted_at is not None:
            raise ValueError("no such message")
        msg.edits.append(msg.text or "")
        msg.text = msg.plain = text
        msg.edit_date = self.now()
        if link.enabled and link.can_read:
            await self._queue("edited_business_message", self._business_json(link, peer, msg))
        return msg

    def _business_message(self, connection_id: str, peer: int, message_id: int) -> Message | None:
        return next((m for m in self.business_chats.get((connection_id, peer), []) if m.message_id == message_id),
                    None)

    def business_transcript(self, connection_id: str, peer: int) -> list[dict[str, Any]]:
        return [{"message_id": m.message_id, "from_id": m.from_id, "text": m.plain, "deleted": m.deleted_at is not None,
                 "deleted_by_bot": m.deleted_by == self.bot.id}
                for m in self.business_chats.get((connection_id, peer), [])]

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by a getUpdates offset (a bot still has them to fetch)."""
        return len(self._updates)

    def queued(self) -> list[dict[str, Any]]:
        """The updates not yet delivered, oldest first."""
        return list(self._updates)

    def queue_view(self) -> Iterable[dict[str, Any]]:
        """The same, without a copy (the webhook pusher reads it at every change; do not await inside)."""
        return self._updates

    async def confirm(self, update: dict[str, Any]) -> None:
        """A webhook delivery was answered: the update is done."""
        with contextlib.suppress(ValueError):
            self._updates.remove(update)
        await self._touch()

    async def close(self) -> None:
        """Stop pushing to a webhook (its deliveries in flight are abandoned, as a crash would)."""
        if self.webhook is not None:
            await self.webhook.close()
            self.webhook = None

    def _wanted(self, update: dict[str, Any]) -> bool:
        return self._allowed is None or any(k in update for k in self._allowed)

    def take_updates(self) -> list[dict[str, Any]]:
        """For in-process tests that feed the dispatcher directly instead of long polling."""
        taken = list(self._updates)
        self._updates.clear()
        return taken

    def find(self, chat_id: int, message_id: int) -> Message | None:
        return next((m for m in self.messages.get(chat_id, []) if m.message_id == message_id), None)

    def transcript(self, chat_id: int) -> list[dict[str, Any]]:
        out = []
        for m in self.messages.get(chat_id, []):
            out.append({
                "message_id": m.message_id, "from_id": m.from_id, "from_bot": m.from_id == self.bot.id,
                "date": m.date, "text": m.plain if m.plain is not None else m.text, "html": m.text,
                "parse_mode": m.parse_mode, "caption": m.caption,
                "document": m.document and {k: m.document[k] for k in ("file_name", "file_size")},
                "photo": m.photo[-1]["file_id"] if m.photo else None,
                "buttons": [[{"text": b["text"], "data": b.get("callback_data"), "url": b.get("url")} for b in row]
                            for row in (m.reply_markup or {}).get("inline_keyboard", [])],
                "protect_content": m.protect_content, "edits": len(m.edits), "deleted": m.deleted_at is not None,
                "deleted_by_bot": m.deleted_by == self.bot.id, "sender_chat_id": m.sender_chat_id,
                "ephemeral_for": m.receiver_user_id,
            })
        return out

    # --- the Bot API -------------------------------------------------------------------------------

    def coerce(self, method: str, raw: dict[str, Any]) -> dict[str, Any]:
        """Form values arrive as strings; give them the types the spec names."""
        fields = self.spec.methods[method]["fields"]
        out: dict[str, Any] = {}
        for name, value in raw.items():
            types = fields.get(name, {}).get("types", ["String"])
            if isinstance(value, str):
                complex_type = any(t not in {"String", "Integer", "Float", "Boolean", "InputFile"} for t in types)
                if complex_type and value[:1] in "[{":
                    with contextlib.suppress(ValueError):
                        value = json.loads(value)
                elif "Integer" in types and re.fullmatch(r"-?\d+", value):
                    value = int(value)
                elif "Boolean" in types and value in ("true", "false", "True", "False"):
                    value = value.lower() == "true"
                elif "Float" in types and re.fullmatch(r"-?\d+(\.\d+)?", value):
                    value = float(value)
            out[name] = value
        return out

    async def call(self, method_name: str, raw: dict[str, Any]) -> Any:
        """Run one Bot API call; raises ApiError with Telegram's code and text."""
        method = self.spec.method_name(method_name)
        if method is None:
            self._record(Call(method_name, raw, 404, "Not Found"), violation=True)
            raise ApiError(404, "Not Found")
        params = self.coerce(method, raw)
        try:
            checked = self._checked_params(method, params)
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                raise RuleError(f"Bad Request: method {method} is not emulated")
            self._rate_limit(method, params)
            result = await handler(checked)
        except ApiError as exc:
            self._record(Call(method, params, exc.code, exc.description), violation=isinstance(exc, RuleError))
            raise
        self._record(Call(method, params, 200))
        return result

    def _record(self, call: Call, violation: bool = False) -> None:
        self.calls.append(call)
        if violation:
            self.violations.append(call)

    def _checked_params(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        view = dict(params)
        for text_field, mode_field in (("text", "parse_mode"), ("caption", "parse_mode")):
            if isinstance(view.get(text_field), str):
                try:
                    view[text_field] = plain_text(view[text_field], view.get(mode_field))
                except EntityError as exc:
                    raise RuleError(f"Bad Request: can't parse entities: {exc}") from None
        if method in ("sendMessage", "editMessageText") and isinstance(view.get("text"), str) \
                and not view["text"].strip():
            raise RuleError("Bad Request: message text is empty")
        self.ignored_params += [(method, name) for name in self.spec.unknown(method, view)]
        problems = self.spec.check(method, view)
        if problems:
            raise RuleError(problems[0])
        return params

    def _rate_limit(self, method: str, params: dict[str, Any]) -> None:
        if not self.strict or method not in SENDING:
            return
        now = self._clock()
        chat = self.chats.get(params.get("chat_id", 0))
        buckets = [self._buckets.setdefault("all", Bucket(30, 30))]
        if chat is not None:
            if chat.type == "private":
                buckets.append(self._buckets.setdefault(f"c{chat.id}", Bucket(1, 1)))
            else:
                buckets.append(self._buckets.setdefault(f"g{chat.id}", Bucket(20, 20 / 60)))
        waits = [b.take(now) for b in buckets]
        if any(waits):
            retry = max(1, int(max(waits) + 0.999))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)

    def _chat(self, chat_id: Any) -> Chat:
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _bot_message(self, chat: Chat, params: dict[str, Any], **content: Any) -> Message:
        msg = Message(chat.id, self._next_message_id(chat.id), self.now(), self.bot.id,
                      reply_markup=params.get("reply_markup"), protect_content=bool(params.get("protect_content")),
                      **content)
        self.messages.setdefault(chat.id, []).append(msg)
        return msg

    async def _m_getMe(self, p: dict[str, Any]) -> Any:
        return {**self.bot.json(), "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    async def _m_getUpdates(self, p: dict[str, Any]) -> Any:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        self.polls += 1
        offset = p.get("offset")
        if "allowed_updates" in p:
            self._allowed = p["allowed_updates"] or None
        if offset is not None:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
        limit = p.get("limit", 100)
        deadline = asyncio.get_running_loop().time() + float(p.get("timeout", 0))
        while True:
            # At most `limit`, without walking the whole queue: a long backlog costs nothing per poll.
            ready = list(itertools.islice(
                (u for u in self._updates if self._allowed is None or any(k in u for k in self._allowed)), limit))
            if ready or self.releasing or asyncio.get_running_loop().time() >= deadline:
                return ready
            async with self._changed:
                remaining = deadline - asyncio.get_running_loop().time()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), max(remaining, 0))

    async def _m_deleteWebhook(self, p: dict[str, Any]) -> Any:
        await self.close()
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _m_setWebhook(self, p: dict[str, Any]) -> Any:
        url = p["url"]
        if not url:  # "Use an empty string to remove webhook integration"
            return await self._m_deleteWebhook(p)
        if (refusal := check_url(url)) is not None:
            raise ApiError(400, refusal)
        secret = p.get("secret_token")
        if secret is not None and not SECRET.fullmatch(secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        connections = int(p.get("max_connections", 40))
        if not 1 <= connections <= 100:
            raise ApiError(400, "Bad Request: max_connections must be between 1 and 100")
        if "allowed_updates" in p:
            self._allowed = p["allowed_updates"] or None
        await self.close()
        if p.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = WebhookPusher(self, Webhook(url, secret, connections), self._wanted)
        return True

    async def _m_getWebhookInfo(self, p: dict[str, Any]) -> Any:
        if self.webhook is None:
            return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}
        hook = self.webhook.hook
        info: dict[str, Any] = {"url": hook.url, "has_custom_certificate": False,
                                "pending_update_count": len(self._updates), "max_connections": hook.max_connections}
        if self._allowed is not None:
            info["allowed_updates"] = self._allowed
        if hook.last_error_date is not None:
            info["last_error_date"], info["last_error_message"] = hook.last_error_date, hook.last_error_message
        return info

    async def _m_setMyCommands(self, p: dict[str, Any]) -> Any:
        for cmd in p["commands"]:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", cmd["command"]):
                raise RuleError("Bad Request: BOT_COMMAND_INVALID")
        self.commands[p.get("language_code", "")] = p["commands"]
        return True

    async def _m_getMyCommands(self, p: dict[str, Any]) -> Any:
        return self.commands.get(p.get("language_code", ""), [])

    async def _m_sendMessage(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        receiver = (p.get("ephemeral_message_parameters") or {}).get("receiver_user_id", p.get("receiver_user_id"))
        if receiver is not None and not self.ephemeral:
            raise ApiError(400, "Bad Request: ephemeral messages are not supported")
        if receiver is not None:
            if chat.type == "private":
                raise ApiError(400, "Bad Request: ephemeral messages can be sent only to groups")
            if receiver not in chat.members or chat.members[receiver].status in ("left", "kicked"):
                raise ApiError(400, "Bad Request: receiver user not found")
        msg = self._bot_message(chat, p, text=p["text"], parse_mode=p.get("parse_mode"),
                                plain=plain_text(p["text"], p.get("parse_mode")))
        msg.receiver_user_id = receiver
        await self._touch()
        return self._message_json(msg)

    async def _m_sendDocument(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        doc = p["document"]
        if isinstance(doc, UploadedFile):
            file_id = f"B{next(_ids)}"
            self.files[file_id] = doc
            document = {"file_id": file_id, "file_unique_id": file_id, "file_name": doc.filename,
                        "file_size": len(doc.data)}
        elif isinstance(doc, str) and doc in self.files:
            document = {"file_id": doc, "file_unique_id": doc, "file_name": self.files[doc].filename,
                        "file_size": len(self.files[doc].data)}
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        caption = p.get("caption")
        msg = self._bot_message(chat, p, document=document,
                                caption=plain_text(caption, p.get("parse_mode")) if caption else None)
        await self._touch()
        return self._message_json(msg)

    def _editable(self, p: dict[str, Any]) -> Message:
        if "inline_message_id" in p:
            raise RuleError("Bad Request: inline messages are not emulated")
        chat = self._chat(p.get("chat_id"))
        msg = self.find(chat.id, p.get("message_id", 0))
        if msg is None or msg.deleted_at is not None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if msg.from_id != self.bot.id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    async def _m_editMessageText(self, p: dict[str, Any]) -> Any:
        msg = self._editable(p)
        markup = p.get("reply_markup")
        if msg.text == p["text"] and msg.reply_markup == markup:
            raise ApiError(400, NOT_MODIFIED)
        msg.edits.append(msg.text or "")
        msg.text, msg.parse_mode = p["text"], p.get("parse_mode")
        msg.plain = plain_text(p["text"], msg.parse_mode)
        msg.reply_markup, msg.edit_date = markup, self.now()
        await self._touch()
        return self._message_json(msg)

    async def _m_editMessageMedia(self, p: dict[str, Any]) -> Any:
        msg = self._editable(p)
        media = p["media"]
        kind = media.get("type") if isinstance(media, dict) else None
        current = "document" if msg.document is not None else "photo" if msg.photo is not None else None
        if kind is None or kind != current:
            raise RuleError("Bad Request: only a document or photo replacing one of its kind is emulated")
        upload = media.get("media")
        if not isinstance(upload, UploadedFile):
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        msg.edits.append(msg.caption or "")
        if kind == "photo":
            msg.photo = [self._photo_size(upload)]
        else:
            file_id = f"B{next(_ids)}"
            self.files[file_id] = upload
            msg.document = {"file_id": file_id, "file_unique_id": file_id, "file_name": upload.filename,
                            "file_size": len(upload.data)}
        caption = media.get("caption")
        msg.caption = plain_text(caption, media.get("parse_mode")) if caption else None
        msg.reply_markup, msg.edit_date = p.get("reply_markup"), self.now()
        await self._touch()
        return self._message_json(msg)

    def _photo_size(self, upload: UploadedFile) -> dict[str, Any]:
        """An uploaded image as Telegram's PhotoSize; Telegram refuses what is not a PNG or JPEG image."""
        if upload.data.startswith(PNG_MAGIC) and len(upload.data) >= 24:
            width, height = int.from_bytes(upload.data[16:20], "big"), int.from_bytes(upload.data[20:24], "big")
        elif upload.data.startswith(b"\xff\xd8\xff"):
            width = height = 0  # not parsed: the emulator does not need a JPEG's size
        else:
            raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        file_id = f"P{next(_ids)}"
        self.files[file_id] = upload
        return {"file_id": file_id, "file_unique_id": file_id, "width": width, "height": height,
                "file_size": len(upload.data)}

    async def _m_sendPhoto(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        upload = p["photo"]
        if isinstance(upload, UploadedFile):
            photo = [self._photo_size(upload)]
        elif isinstance(upload, str) and upload in self.files:
            photo = [self._photo_size(self.files[upload])]
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        caption = p.get("caption")
        msg = self._bot_message(chat, p, photo=photo,
                                caption=plain_text(caption, p.get("parse_mode")) if caption else None)
        await self._touch()
        return self._message_json(msg)

    async def _m_editMessageReplyMarkup(self, p: dict[str, Any]) -> Any:
        msg = self._editable(p)
        if msg.reply_markup == p.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        msg.reply_markup, msg.edit_date = p.get("reply_markup"), self.now()
        await self._touch()
        return self._message_json(msg)

    def _can_delete(self, chat: Chat, msg: Message) -> str | None:
        """None when the bot may delete `msg`, else Telegram's refusal."""
        if self.now() - msg.date >= DELETE_WINDOW or self.refuse_deletion(msg):
            return "Bad Request: message can't be deleted"
        if chat.type == "private" or msg.from_id == self.bot.id:
            return None
        me = chat.members.get(self.bot.id)
        if me is None or me.status not in ("administrator", "creator"):
            return "Bad Request: message can't be deleted"
        if chat.type == "supergroup" and not me.can_delete_messages and me.status != "creator":
            return "Bad Request: message can't be deleted"
        return None

    async def _delete(self, chat: Chat, message_id: int) -> str | None:
        msg = self.find(chat.id, message_id)
        if msg is None or msg.deleted_at is not None:
            return "Bad Request: message to delete not found"
        refusal = self._can_delete(chat, msg)
        if refusal is None:
            msg.deleted_at, msg.deleted_by = self.now(), self.bot.id
        return refusal

    async def _m_deleteMessage(self, p: dict[str, Any]) -> Any:
        refusal = await self._delete(self._chat(p["chat_id"]), p["message_id"])
        if refusal:
            raise ApiError(400, refusal)
        await self._touch()
        return True

    async def _m_deleteMessages(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        outcomes = [await self._delete(chat, mid) for mid in p["message_ids"]]
        await self._touch()
        if all(outcomes):
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    async def _m_deleteEphemeralMessage(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        msg = self.find(chat.id, p["ephemeral_message_id"])
        if msg is None or msg.receiver_user_id != p["receiver_user_id"] or msg.deleted_at is not None:
            raise ApiError(400, "Bad Request: message to delete not found")
        msg.deleted_at, msg.deleted_by = self.now(), self.bot.id
        await self._touch()
        return True

    async def _m_getBusinessConnection(self, p: dict[str, Any]) -> Any:
        link = self.business.get(p["business_connection_id"])
        if link is None:
            raise ApiError(400, "Bad Request: BUSINESS_CONNECTION_INVALID")
        return link.json(self.users)

    async def _m_deleteBusinessMessages(self, p: dict[str, Any]) -> Any:
        link = self.business.get(p["business_connection_id"])
        if link is None or not link.enabled:
            raise ApiError(400, "Bad Request: BUSINESS_CONNECTION_INVALID")
        if not link.can_delete_all:
            raise ApiError(400, "Bad Request: BUSINESS_CONNECTION_NOT_ALLOWED")
        found = [(peer, m) for (conn, peer), msgs in self.business_chats.items() if conn == link.id
                 for m in msgs if m.message_id in p["message_ids"] and m.deleted_at is None]
        if not found:
            raise ApiError(400, "Bad Request: message to delete not found")
        if len({peer for peer, _ in found}) > 1:
            raise ApiError(400, "Bad Request: messages must be from the same chat")
        if any(self.now() - m.date >= DELETE_WINDOW for _, m in found):
            raise ApiError(400, "Bad Request: message can't be deleted")
        for _, msg in found:
            msg.deleted_at, msg.deleted_by = self.now(), self.bot.id
        await self._touch()
        return True

    async def _m_answerCallbackQuery(self, p: dict[str, Any]) -> Any:
        if p["callback_query_id"] in self.callback_answers:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self.callback_answers[p["callback_query_id"]] = p
        await self._touch()
        return True

    async def _m_getChat(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        return {**chat.json(self.users), "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                        "unique_gifts": False, "premium_subscription": False}}

    async def _m_getChatMember(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        user_id = p["user_id"]
        member = chat.members.get(user_id)
        user = self.bot if user_id == self.bot.id else self.users.get(user_id)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        if member is None:
            return {"status": "left", "user": user.json()}
        out: dict[str, Any] = {"status": member.status, "user": user.json()}
        if member.status == "administrator":
            out.update(_admin_rights(member))
        elif member.status == "creator":
            out["is_anonymous"] = member.is_anonymous
        return out

    async def _m_getFile(self, p: dict[str, Any]) -> Any:
        file_id = p["file_id"]
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id].data),
                "file_path": f"documents/{file_id}"}



def _admin_rights(member: Member) -> dict[str, Any]:
    """ChatMemberAdministrator's fields (including those newer Bot API versions made required)."""
    return {"can_be_edited": False, "is_anonymous": member.is_anonymous, "can_manage_chat": True,
            "can_delete_messages": member.can_delete_messages, "can_manage_video_chats": False,
            "can_restrict_members": False, "can_promote_members": False, "can_change_info": False,
            "can_invite_users": True, "can_post_stories": False, "can_edit_stories": False,
            "can_delete_stories": False, "can_send_welcome_messages": False}
