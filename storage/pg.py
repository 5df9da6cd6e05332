"""PostgreSQL behind the same interface as the SQLite database (storage/sql.py), through asyncpg.

The repositories' SQL is portable; what differs is said here: `?` placeholders become `$1, $2…`
(asyncpg's), a unit of work holds one pooled connection for its statements, and broken rules
(unique, foreign key) become `Conflict`. Migrations live in `migrations/postgres/`, numbered as the
SQLite ones; several processes starting at once migrate one at a time (an advisory lock).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from importlib import resources
from typing import Any

import asyncpg

from domain.errors import StorageError
from storage.sql import Conflict, Row

_MIGRATION_LOCK = 0x6B657962  # "keyb": one migrating process at a time
_PLACEHOLDER = re.compile(r"\?")


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("storage") / "migrations" / "postgres"
    found = [(int(e.name.split("_", 1)[0]), e.read_text(encoding="utf-8"))
             for e in folder.iterdir() if e.name.endswith(".sql")]
    return sorted(found)


def _numbered(sql: str) -> str:
    """`?` → `$n`. The repositories' SQL has no `?` inside string literals."""
    count = 0

    def number(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


def _changed(status: str) -> int:
    """asyncpg's command status ("UPDATE 3", "INSERT 0 1", "DELETE 0") → the rows changed."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PostgresDatabase:
    skip_locked = " FOR UPDATE SKIP LOCKED"  # workers claiming at once take different rows

    def __init__(self, url: str, min_size: int = 1, max_size: int = 10) -> None:
        self.url = url
        self._pool: asyncpg.Pool | None = None
        self._sizes = (min_size, max_size)
        self._sql: dict[str, str] = {}  # repository SQL → PostgreSQL's, translated once
        # The connection of the unit of work the running task is inside, and what to run after its commit.
        self._in_transaction: ContextVar[asyncpg.Connection | None] = ContextVar(f"pg_tx_{id(self)}", default=None)
        self._after: ContextVar[list[Callable[[], Awaitable[None]]] | None] = ContextVar(
            f"pg_after_{id(self)}", default=None)

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("database is not open")
        return self._pool

    async def open(self) -> None:
        """Connect and migrate; StorageError with a reason an operator can act on."""
        try:
            self._pool = await asyncpg.create_pool(self.url, min_size=self._sizes[0], max_size=self._sizes[1])
            await self._migrate()
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            await self.close()
            raise StorageError(f"PostgreSQL at {_where(self.url)}: {exc}") from None

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def _migrate(self) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
            await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
            version = await conn.fetchval("SELECT max(version) FROM schema_version") or 0
            for number, script in _migrations():
                if number > version:
                    await conn.execute(script)
                    await conn.execute("INSERT INTO schema_version(version) VALUES ($1)", number)

    def _pg(self, sql: str) -> str:
        translated = self._sql.get(sql)
        if translated is None:
            translated = self._sql[sql] = _numbered(sql)
        return translated

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """One unit of work on one connection; statements of this task inside it join it."""
        if self._in_transaction.get() is not None:
            yield
            return
        after: list[Callable[[], Awaitable[None]]] = []
        async with self.pool.acquire() as conn:
            token, after_token = self._in_transaction.set(conn), self._after.set(after)
            try:
                async with conn.transaction():
                    yield
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise Conflict(str(exc)) from exc
            finally:
                self._in_transaction.reset(token)
                self._after.reset(after_token)
        for action in after:
            await action()

    async def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        pending = self._after.get()
        if pending is not None:
            pending.append(action)
        else:
            await action()

    def _runner(self) -> asyncpg.Connection | asyncpg.Pool:
        return self._in_transaction.get() or self.pool

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        row: Row | None = await self._runner().fetchrow(self._pg(sql), *params)
        return row

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        return list(await self._runner().fetch(self._pg(sql), *params))

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        await self.execute_count(sql, params)

    async def execute_count(self, sql: str, params: Iterable[Any] = ()) -> int:
        try:
            return _changed(await self._runner().execute(self._pg(sql), *params))
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise Conflict(str(exc)) from exc

    async def executemany(self, sql: str, rows: Sequence[Iterable[Any]]) -> None:
        if not rows:
            return
        async with self.transaction():
            conn = self._in_transaction.get()
            assert conn is not None
            try:
                await conn.executemany(self._pg(sql), [tuple(r) for r in rows])
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise Conflict(str(exc)) from exc

    async def write_returning(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        try:
            return list(await self._runner().fetch(self._pg(sql), *params))
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise Conflict(str(exc)) from exc

    async def insert(self, sql: str, params: Iterable[Any] = ()) -> int:
        try:
            return int(await self._runner().fetchval(self._pg(sql), *params))
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise Conflict(str(exc)) from exc


def _where(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
