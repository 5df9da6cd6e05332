"""Virtual time for code that takes a clock and a sleep: sleeps wake in time order, instantly, and the
clock reads the time each sleeper asked for. Tests then assert exact schedules, never wall-clock gaps."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), next(self._order), future))
        await future

    async def run(self, work: Awaitable[T]) -> T:
        """Run `work`, waking sleepers one at a time in time order whenever everything else waits."""
        task = asyncio.ensure_future(work)
        while not task.done():
            for _ in range(50):  # let every runnable task reach its next sleep (or finish)
                await asyncio.sleep(0)
            if self._sleepers and not task.done():
                wake, _, future = heapq.heappop(self._sleepers)
                self.now = wake
                future.set_result(None)
        return task.result()
