"""A bounded map that forgets the least recently used entry when full, instead of emptying itself: a
cache that empties at its limit makes every user pay a database round trip at once."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar, overload

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    def __init__(self, size: int, keep: Callable[[K], bool] | None = None) -> None:
        """`keep(key)`: entries that must not be dropped yet (changes not written); they are skipped."""
        if size < 1:
            raise ValueError("an LRU cache needs room for one entry")
        self.size = size
        self._keep = keep
        self._data: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: K) -> bool:
        return key in self._data

    @overload
    def get(self, key: K) -> V | None: ...

    @overload
    def get(self, key: K, default: V) -> V: ...

    def get(self, key: K, default: V | None = None) -> V | None:
        if key not in self._data:
            return default
        self._data.move_to_end(key)
        return self._data[key]

    def __getitem__(self, key: K) -> V:
        value = self._data[key]
        self._data.move_to_end(key)
        return value

    def __setitem__(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        if len(self._data) > self.size:
            self._evict()

    def _evict(self) -> None:
        """Drop the oldest entries until the map fits; pinned ones are passed over (moved to the end, so
        the next eviction does not look at them first)."""
        for _ in range(len(self._data)):
            if len(self._data) <= self.size:
                return
            old = next(iter(self._data))
            if self._keep is not None and self._keep(old):
                self._data.move_to_end(old)
            else:
                del self._data[old]

    def pop(self, key: K, default: V | None = None) -> V | None:
        return self._data.pop(key, default)

    def update(self, other: dict[K, V]) -> None:
        for key, value in other.items():
            self[key] = value

    def clear(self) -> None:
        self._data.clear()
