"""aiogram FSM storage on SQLite, so a half-finished flow survives a restart.

Reads are served from memory after a key's first load (this process is the only writer). Memory holds
each entry's data as its JSON: a read parses a fresh copy (handlers may change what they get) and a write
serialises once, which is what the database needs anyway — cheaper than deep copies, and smaller. Inside an
update's `scope()`, writes change memory at once and are persisted when the update's handling ends:
one SQLite round trip per update instead of one per set_state/set_data. An update that fails has its
changes undone, and a write that fails is undone in memory too, so memory and the database agree and
the user's flow stays where it was. Outside a scope every write goes straight to the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import orjson
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey

from domain.clock import Clock
from storage.lru import LRU
from storage.sql import Sql

if TYPE_CHECKING:  # redis is the scale-out extra: not imported by the embedded default
    from aiogram.fsm.storage.redis import RedisStorage

CACHE_SIZE = 50_000
_UPSERT = ("INSERT INTO fsm(storage_key, state, data, updated_at, user_id, has_draft) VALUES (?, ?, ?, ?, ?, ?) "
           "ON CONFLICT(storage_key) DO UPDATE SET state = excluded.state, data = excluded.data, "
           "updated_at = excluded.updated_at, user_id = excluded.user_id, has_draft = excluded.has_draft")
DRAFT = "draft"  # the data key under which a setup flow keeps its draft: such entries are "drafts"
_DELETE = "DELETE FROM fsm WHERE storage_key = ?"

# An entry: its state, its data as JSON, and whether the data holds a draft.
Entry = tuple[str | None, bytes, bool]
_NOTHING: Entry = (None, b"{}", False)
# The running update's changes: storage key → the entry as it was before the update touched it.
_SCOPE: ContextVar[dict[str, Entry] | None] = ContextVar("fsm_scope", default=None)


class SQLiteStorage(BaseStorage):
    def __init__(self, db: Sql, clock: Clock, key_builder: KeyBuilder | None = None,
                 cache_size: int = CACHE_SIZE) -> None:
        self._db = db
        self._clock = clock
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._open: list[dict[str, Entry]] = []  # the scopes of updates in progress
        # Entries changed by updates still in progress exist only here until written: never dropped.
        self._cache: LRU[str, Entry] = LRU(cache_size, keep=lambda key: any(key in s for s in self._open))
        self._owners: dict[str, int] = {}  # storage key → the user it belongs to (stored beside it)

    async def _load(self, key: str) -> Entry:
        cached = self._cache.get(key)
        if cached is None:
            row = await self._db.fetchone("SELECT state, data, has_draft FROM fsm WHERE storage_key = ?", (key,))
            cached = _NOTHING if row is None else (row["state"], _as_bytes(row["data"]), bool(row["has_draft"]))
            self._cache[key] = cached
        return cached

    async def _put(self, key: str, entry: Entry) -> None:
        before = await self._load(key)
        scope = _SCOPE.get()
        if scope is None:
            self._cache[key] = entry
            await self._write({key: before})
            return
        scope.setdefault(key, before)
        self._cache[key] = entry

    def _build(self, key: StorageKey) -> str:
        built = self._keys.build(key)
        self._owners[built] = key.user_id
        return built

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        built = self._build(key)
        _, data, draft = await self._load(built)
        await self._put(built, (state.state if isinstance(state, State) else state, data, draft))

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(self._keys.build(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        built = self._build(key)
        state, _, _ = await self._load(built)
        await self._put(built, (state, orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS), DRAFT in data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        # A fresh copy: handlers may change what they got without touching the stored draft.
        return dict(orjson.loads((await self._load(self._keys.build(key)))[1]))

    @asynccontextmanager
    async def scope(self) -> AsyncIterator[None]:
        """One update: its FSM changes are written together when it succeeds and undone when it fails
        (or when writing them fails), so a failed update leaves the flow where it was."""
        touched: dict[str, Entry] = {}
        token = _SCOPE.set(touched)
        self._open.append(touched)
        try:
            try:
                yield
            except BaseException:
                self._cache.update(touched)
                raise
            finally:
                _SCOPE.reset(token)
            await self._write(touched)
        finally:
            self._open.remove(touched)

    async def _write(self, touched: dict[str, Entry]) -> None:
        """Persist the current entries of `touched` in one statement or transaction; on failure the
        cache goes back to what `touched` remembers (what the database still holds)."""
        if not touched:
            return
        now = int(self._clock.now().timestamp())
        upserts, deletes = [], []
        for key in touched:
            state, data, draft = self._cache.get(key, _NOTHING)
            if state is None and data == _NOTHING[1]:
                deletes.append((key,))
            else:
                upserts.append((key, state, data.decode(), now, self._owners.get(key), int(draft)))
        try:
            if len(upserts) + len(deletes) == 1:  # the usual case: one statement, autocommit, one round trip
                await self._db.execute(*((_UPSERT, upserts[0]) if upserts else (_DELETE, deletes[0])))
                return
            async with self._db.transaction():
                await self._db.executemany(_UPSERT, upserts)
                await self._db.executemany(_DELETE, deletes)
        except BaseException:
            self._cache.update(touched)
            raise

    async def close(self) -> None:
        """Nothing is pending outside an update; the database itself is closed by its owner."""


def _as_bytes(stored: str | bytes) -> bytes:
    return stored.encode() if isinstance(stored, str) else stored


class DraftMarks:
    """Where a FSM kept elsewhere (Redis) leaves, in the database, what the reminder scheduler reads:
    which users have a setup draft and since when. Rows of the `fsm` table with no state and no data."""

    def __init__(self, db: Sql) -> None:
        self._db = db

    async def mark(self, storage_key: str, user_id: int, has_draft: bool, now: int) -> None:
        if has_draft:
            await self._db.execute(_UPSERT, (storage_key, None, "{}", now, user_id, 1))
        else:
            await self._db.execute(_DELETE, (storage_key,))


# The running update's buffered entries in a SharedStorage: storage key → (state, data as JSON, draft).
_SHARED: ContextVar[dict[StorageKey, Entry] | None] = ContextVar("shared_fsm_scope", default=None)
_TOUCHED: ContextVar[set[StorageKey]] = ContextVar("shared_fsm_touched")  # those it changed


class SharedStorage(BaseStorage):
    """An aiogram storage that several workers share (aiogram's RedisStorage), with this bot's FSM
    contract: an update's changes are written when it ends, and not at all when it fails. Nothing is
    cached between updates (another worker may handle the user's next one); within an update, what it
    read or wrote is kept. Setup drafts are marked in the database for the reminder scheduler.

    State and data are read in one round trip and written in one MULTI/EXEC, under RedisStorage's own
    keys and format (RedisStorage's calls would write them one by one: a crash between them would
    leave new data under the old step)."""

    def __init__(self, inner: RedisStorage, marks: DraftMarks, clock: Clock, key_builder: KeyBuilder) -> None:
        self.inner = inner
        self._marks = marks
        self._clock = clock
        self._keys = key_builder

    def _redis_keys(self, key: StorageKey) -> tuple[str, str]:
        return self.inner.key_builder.build(key, "state"), self.inner.key_builder.build(key, "data")

    async def _entry(self, key: StorageKey) -> Entry:
        scope = _SHARED.get()
        if scope is not None and key in scope:
            return scope[key]
        state, data = await self.inner.redis.mget(self._redis_keys(key))
        data = bytes(data) if data else b"{}"
        entry: Entry = (state.decode() if isinstance(state, bytes) else state, data,
                        DRAFT in orjson.loads(data))
        if scope is not None:
            scope[key] = entry
        return entry

    async def _put(self, key: StorageKey, entry: Entry) -> None:
        scope = _SHARED.get()
        if scope is None:
            await self._write(key, entry)
            return
        scope[key] = entry
        _TOUCHED.get().add(key)

    async def _write(self, key: StorageKey, entry: Entry) -> None:
        state, data, draft = entry
        # The database's mark first: if it fails nothing has changed.
        await self._marks.mark(self._keys.build(key), key.user_id, draft, int(self._clock.now().timestamp()))
        state_key, data_key = self._redis_keys(key)
        async with self.inner.redis.pipeline(transaction=True) as both:
            # As RedisStorage stores them: no state or empty data is no key.
            both.set(state_key, state) if state is not None else both.delete(state_key)
            both.set(data_key, data) if data != b"{}" else both.delete(data_key)
            await both.execute()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        _, data, draft = await self._entry(key)
        await self._put(key, (state.state if isinstance(state, State) else state, data, draft))

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._entry(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        state, _, _ = await self._entry(key)
        await self._put(key, (state, orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS), DRAFT in data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict(orjson.loads((await self._entry(key))[1]))

    @asynccontextmanager
    async def scope(self) -> AsyncIterator[None]:
        """One update: its FSM changes written together when it succeeds, dropped when it fails."""
        token, touched_token = _SHARED.set({}), _TOUCHED.set(set())
        try:
            yield
            buffered, touched = _SHARED.get() or {}, _TOUCHED.get()
            for key in touched:
                await self._write(key, buffered[key])
        finally:
            _SHARED.reset(token)
            _TOUCHED.reset(touched_token)

    async def close(self) -> None:
        """The inner storage's connection belongs to whoever made it (it is shared with the isolation)."""

