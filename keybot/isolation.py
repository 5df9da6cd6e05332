"""One update at a time per chat and user, with locks that go away when idle: aiogram's
SimpleEventIsolation keeps a lock for every chat it has ever seen, so a bot in thousands of groups
grows without bound."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Hashable
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey


class _Slot:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0  # holding it or waiting for it


class IdleFreeIsolation(BaseEventIsolation):
    def __init__(self) -> None:
        self._slots: dict[Hashable, _Slot] = {}

    def held(self) -> int:
        """Locks in use or waited for; every other chat costs nothing. (Not __len__: aiogram tests the
        isolation for truth, and an empty one would be swapped for no isolation at all.)"""
        return len(self._slots)

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = _Slot()
        slot.users += 1
        try:
            async with slot.lock:
                yield
        finally:
            slot.users -= 1
            # Only its own slot: close() at shutdown may have cleared the map while this update ran.
            if slot.users == 0 and self._slots.get(key) is slot:
                del self._slots[key]

    async def close(self) -> None:
        self._slots.clear()
