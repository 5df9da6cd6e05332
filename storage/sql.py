"""What the repositories need from a database, whichever engine is behind it (SQLite, PostgreSQL).

Repositories write portable SQL with `?` placeholders: `INSERT … ON CONFLICT`, `RETURNING id`,
`lower(name)` for case-insensitive names; no engine-specific syntax. A unit of work is
`async with db.transaction():` — statements of the same task inside it join it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol


class Row(Protocol):
    """A result row: by position or by column name (sqlite3.Row, asyncpg.Record)."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...

    def keys(self) -> Any: ...


# Tells the other workers that something this process caches has changed: ("user", user id) or
# ("secrets", 0). None where one process is the only one (SQLite).
Announce = Callable[[str, int], Awaitable[None]]


class Conflict(Exception):
    """A write broke a uniqueness or integrity rule (e.g. two live keys with one name)."""


class Sql(Protocol):
    # Appended to a claiming subquery: PostgreSQL's FOR UPDATE SKIP LOCKED, so concurrent workers take
    # different rows; empty on SQLite, where one process is the only writer and a statement is atomic.
    skip_locked: str

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        """One row of a point read (by key or index)."""

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]: ...

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        """One write; part of this task's transaction, else committed on its own."""

    async def execute_count(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One write; how many rows it changed."""

    async def executemany(self, sql: str, rows: Sequence[Iterable[Any]]) -> None:
        """One statement for each of `rows`, all in one transaction."""

    async def insert(self, sql: str, params: Iterable[Any] = ()) -> int:
        """An INSERT ending in `RETURNING id`; the new row's id."""

    async def write_returning(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """A write ending in `RETURNING …` (a claim): the rows it returned."""

    def transaction(self) -> AbstractAsyncContextManager[None]: ...

    async def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run `action` once what this task wrote is committed: at once outside a unit of work, after
        its COMMIT inside one (and never if it rolls back). Other workers are told of a change this way,
        so they cannot reload what is not yet visible to them."""
