"""The emulator's outgoing webhook: what Telegram does after setWebhook, offline.

In the Bot API's words: "Whenever there is an update for the bot, we will send an HTTPS POST request
to the specified URL, containing a JSON-serialized Update", and with `secret_token` set "the request
will contain a header 'X-Telegram-Bot-Api-Secret-Token' with the secret token as content";
`max_connections` is the "Maximum allowed number of simultaneous HTTPS connections to the webhook for
update delivery, 1-100. Defaults to 40". An update stays queued until the bot answers it with a 2xx;
a failed delivery is retried after a pause and recorded as the webhook's last error. Updates of one
chat go one at a time, in order (a later update of a chat waits for the earlier one's answer).

Offline differences: the URL may be plain http on a loopback address (no certificate to show), and
any port is accepted there; elsewhere an https URL on one of Telegram's ports (443, 80, 88, 8443) is
required, as Telegram does.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiohttp

if TYPE_CHECKING:
    from bot.sandbox.emulator import Emulator

SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
PORTS = {443, 80, 88, 8443}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
RETRY_SECONDS = 1.0


def check_url(url: str) -> str | None:
    """Telegram's refusal for a webhook URL, or None when it is acceptable."""
    parts = urlsplit(url)
    if parts.hostname in LOOPBACK and parts.scheme in ("http", "https"):
        return None
    if parts.scheme != "https" or not parts.hostname:
        return "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    if (parts.port or 443) not in PORTS:
        return "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
    return None


def chat_of(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to, for in-order delivery per chat."""
    for kind, body in update.items():
        if not isinstance(body, dict):
            continue
        if kind == "callback_query":
            message = body.get("message") or {}
            return int(message.get("chat", {}).get("id", body.get("from", {}).get("id", 0)))
        if "chat" in body:
            return int(body["chat"]["id"])
        if "from" in body:
            return int(body["from"]["id"])
    return None


@dataclass
class Webhook:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = 0
    _in_flight: dict[int, asyncio.Task[None]] = field(default_factory=dict)  # update id → its delivery
    _retry_at: dict[int, float] = field(default_factory=dict)


class WebhookPusher:
    def __init__(self, emulator: Emulator, hook: Webhook, allowed: Callable[[dict[str, Any]], bool]) -> None:
        self.emu = emulator
        self.hook = hook
        self._allowed = allowed
        self._session: aiohttp.ClientSession | None = None
        self._flight_chats: dict[int, int | None] = {}  # update id in flight → its chat
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        for task in list(self.hook._in_flight.values()):
            task.cancel()
        await asyncio.gather(*self.hook._in_flight.values(), return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    def _next(self) -> list[dict[str, Any]]:
        """Updates to send now: queue order, at most max_connections in flight, one per chat."""
        if len(self.hook._in_flight) >= self.hook.max_connections:
            return []  # checked first: with many updates queued this runs at every change
        now = asyncio.get_running_loop().time()
        busy = set(self._flight_chats.values())
        chosen: list[dict[str, Any]] = []
        for update in self.emu.queue_view():
            if len(self.hook._in_flight) + len(chosen) >= self.hook.max_connections:
                break
            if update["update_id"] in self.hook._in_flight or not self._allowed(update):
                continue
            chat = chat_of(update)
            if chat in busy:
                continue
            busy.add(chat)  # a later update of this chat waits, also when this one is retrying
            if self.hook._retry_at.get(update["update_id"], 0) > now:
                continue
            chosen.append(update)
        return chosen

    async def _run(self) -> None:
        self._session = aiohttp.ClientSession()
        while True:
            version = self.emu.version
            for update in self._next():
                task = asyncio.get_running_loop().create_task(self._deliver(update))
                self.hook._in_flight[update["update_id"]] = task
                self._flight_chats[update["update_id"]] = chat_of(update)
            waiting = [asyncio.ensure_future(self.emu.wait_change(version, RETRY_SECONDS)),
                       *self.hook._in_flight.values()]
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            waiting[0].cancel()

    async def _deliver(self, update: dict[str, Any]) -> None:
        assert self._session is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.hook.secret_token} if self.hook.secret_token else {}
        try:
            async with self._session.post(self.hook.url, json=update, headers=headers,
                                          timeout=aiohttp.ClientTimeout(total=60)) as resp:
                ok, problem = 200 <= resp.status < 300, f"Wrong response from the webhook: {resp.status}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            ok, problem = False, f"Connection failed: {type(exc).__name__}"
        finally:
            self.hook._in_flight.pop(update["update_id"], None)
            self._flight_chats.pop(update["update_id"], None)
        if ok:
            self.hook._retry_at.pop(update["update_id"], None)
            self.hook.delivered += 1
            await self.emu.confirm(update)
            return
        self.hook.last_error_date, self.hook.last_error_message = self.emu.now(), problem
        self.hook._retry_at[update["update_id"]] = asyncio.get_running_loop().time() + RETRY_SECONDS
