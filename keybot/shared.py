"""What several workers share through Redis (REDIS_URL): aiogram's RedisStorage for the FSM, its
RedisEventIsolation so two updates of one user never run at once in any two workers, and
announcements of changed cached records (a user's preferences, the stored secrets' fingerprints) over
pub/sub, so a worker drops its copy when another one changes it. Secrets never go to Redis: the FSM
holds only flow state, as it does in the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from typing import Protocol

import orjson
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from redis.asyncio import Redis

log = logging.getLogger(__name__)

CHANNEL = "keybot:changed"
KEYS = DefaultKeyBuilder(prefix="keybot", with_destiny=True)
LOCK_SECONDS = 60  # an update's isolation lock: released by then even if its worker died holding it


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
