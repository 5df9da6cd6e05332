"""What several workers share through Redis (REDIS_URL): aiogram's RedisStorage for the FSM, its
RedisEventIsolation so two updates of one user never run at once in any two workers, and
announcements of changed cached records (a user's preferences, the stored secrets' fingerprints) over
pub/sub, so a worker drops its copy when another one changes it; and the sending pace (30 messages a
second, one a second per chat, Telegram's retry_after) kept once for all workers. Secrets never go to
Redis: the FSM holds only flow state, as it does in the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable
from typing import Protocol

import orjson
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from redis.asyncio import Redis

from bot.reminders.pacing import PER_CHAT_SECONDS, PER_SECOND

log = logging.getLogger(__name__)

CHANNEL = "keybot:changed"
KEYS = DefaultKeyBuilder(prefix="keybot", with_destiny=True)
LOCK_SECONDS = 60  # an update's isolation lock: released by then even if its worker died holding it


# One turn, atomically: the later of now, the next turn overall and the chat's next turn; both moved on.
# Time is the Redis server's (ARGV[3] empty), one clock for workers on different machines; tests pass theirs.
RESERVE = """
local now = tonumber(ARGV[3])
if not now then local t = redis.call('TIME'); now = tonumber(t[1]) + tonumber(t[2]) / 1e6 end
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0'))
local any, chat = at + tonumber(ARGV[1]), at + tonumber(ARGV[2])
redis.call('SET', KEYS[1], string.format('%.6f', any), 'PX', math.ceil((any - now) * 1000) + 1000)
redis.call('SET', KEYS[2], string.format('%.6f', chat), 'PX', math.ceil((chat - now) * 1000) + 1000)
return string.format('%.6f', at - now)
"""
HOLD = """
local now = tonumber(ARGV[2])
if not now then local t = redis.call('TIME'); now = tonumber(t[1]) + tonumber(t[2]) / 1e6 end
local until_ = math.max(now + tonumber(ARGV[1]), tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], string.format('%.6f', until_), 'PX', math.ceil((until_ - now) * 1000) + 1000)
return string.format('%.6f', until_)
"""


class RedisPace:
    """The sending pace shared by every worker (`bot.reminders.pacing.Pace`): turns reserved in Redis by
    one script call each (a generic cell rate algorithm: a token bucket holding one token), so any
    number of workers together send at most `per_second` overall and one per chat per
    `per_chat_seconds`; a hold (Telegram's retry_after) moves everyone's next turn."""

    def __init__(self, redis: Redis, per_second: float = PER_SECOND, per_chat_seconds: float = PER_CHAT_SECONDS,
                 clock: Callable[[], float] | None = None) -> None:
        self._interval = 1.0 / per_second
        self._per_chat = per_chat_seconds
        self._clock = clock  # None: the Redis server's clock
        self._reserve = redis.register_script(RESERVE)
        self._hold = redis.register_script(HOLD)

    def _now(self) -> str:
        return "" if self._clock is None else repr(self._clock())

    async def reserve(self, chat_id: int) -> float:
        wait = await self._reserve(keys=["keybot:pace:any", f"keybot:pace:chat:{chat_id}"],
                                   args=[self._interval, self._per_chat, self._now()])
        return float(wait)

    async def hold(self, seconds: float) -> None:
        await self._hold(keys=["keybot:pace:any"], args=[seconds, self._now()])


class Forgets(Protocol):
    def forget(self, user_id: int) -> None: ...


class ForgetsFingerprints(Protocol):
    def forget_fingerprints(self) -> None: ...


class Shared:
    def __init__(self, url: str) -> None:
        self.redis = Redis.from_url(url)
        self._me = secrets.token_hex(8)  # to ignore our own announcements
        self._listener: asyncio.Task[None] | None = None
        self.heard = 0  # announcements from other workers acted on
        self._heard_more = asyncio.Event()

    def storage(self) -> RedisStorage:
        return RedisStorage(self.redis, key_builder=KEYS, json_dumps=_dumps)

    def pace(self) -> RedisPace:
        return RedisPace(self.redis)

    def isolation(self) -> RedisEventIsolation:
        return RedisEventIsolation(self.redis, key_builder=KEYS, lock_kwargs={"timeout": LOCK_SECONDS})

    async def announce(self, topic: str, key: int) -> None:
        await self.redis.publish(CHANNEL, f"{self._me}:{topic}:{key}")

    async def listen(self, users: Forgets, keys: ForgetsFingerprints) -> None:
        """Subscribe before returning (so no announcement made after this is missed), then act on
        the other workers' announcements in a task of its own."""
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(CHANNEL)

        async def run() -> None:
            try:
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    sender, topic, key = bytes(message["data"]).decode().split(":", 2)
                    if sender == self._me:
                        continue
                    if topic == "user":
                        users.forget(int(key))
                    elif topic == "secrets":
                        keys.forget_fingerprints()
                    self.heard += 1
                    self._heard_more.set()
            finally:
                await pubsub.aclose()  # type: ignore[no-untyped-call]

        self._listener = asyncio.create_task(run())

    async def hear_more_than(self, count: int) -> None:
        """Until more than `count` announcements have been acted on (tests wait for one)."""
        while self.heard <= count:
            self._heard_more.clear()
            await self._heard_more.wait()

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self.redis.aclose()


def _dumps(value: object) -> str:
    return orjson.dumps(value).decode()
