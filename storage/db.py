"""One aiosqlite connection, its migrations, and serialised write transactions."""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from domain.errors import StorageError


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


# The database whose transaction the running coroutine is inside: statements there join it.
_IN_TRANSACTION: ContextVar[Database | None] = ContextVar("storage_transaction", default=None)


def explain(exc: sqlite3.Error, path: Path) -> str:
    """A one-line reason for an operator, from SQLite's error."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return f"the database {path} is read-only: give the bot's user write access to it and its folder"
    if "locked" in text or "busy" in text:
        return f"the database {path} is locked by another process"
    if "disk is full" in text or "full" in text:
        return f"the disk holding {path} is full"
    if "unable to open" in text:
        return f"cannot open the database {path}: check that its folder exists and is writable"
    return f"database {path}: {exc}"


class Database:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None
        # Reads outside a transaction use their own connection: in WAL mode it sees only committed data,
        # so no coroutine reads another's unfinished unit of work (the writer connection would show it).
        self._reader: aiosqlite.Connection | None = None
        self._lock_fd: int | None = None
        # aiosqlite shares one connection; the lock keeps concurrent updates from
        # interleaving statements of two transactions.
        self._write_lock = asyncio.Lock()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> None:
        """Connect and migrate; StorageError with a clear reason when the file cannot be used."""
        try:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._lock()
            self._conn = await aiosqlite.connect(self.path, isolation_level=None)
            self._conn.row_factory = aiosqlite.Row
            # Wait a little for a lock held by another process instead of failing at once.
            for pragma in ("busy_timeout=5000", "journal_mode=WAL", "foreign_keys=ON", "secure_delete=ON",
                           "synchronous=NORMAL"):
                await self._conn.execute(f"PRAGMA {pragma}")
            await self._migrate()
            if str(self.path) != ":memory:":  # an in-memory database has no second connection to it
                self._reader = await aiosqlite.connect(self.path, isolation_level=None)
                self._reader.row_factory = aiosqlite.Row
                for pragma in ("busy_timeout=5000", "query_only=ON"):
                    await self._reader.execute(f"PRAGMA {pragma}")
        except PermissionError as exc:
            await self.close()
            raise StorageError(f"no permission to use {self.path}: {exc.strerror}") from None
        except OSError as exc:
            await self.close()
            raise StorageError(f"cannot use {self.path}: {exc.strerror or exc}") from None
        except sqlite3.Error as exc:
            await self.close()
            raise StorageError(explain(exc, self.path)) from None

    def _lock(self) -> None:
        """One process per database file: the bot keeps its caches in memory, and rotate-master-key
        must not re-wrap keys under a running bot. The lock goes with the process, also on a kill."""
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StorageError(f"the database {self.path} is in use by another process "
                               "(is the bot already running? stop it first)") from None
        self._lock_fd = fd

    async def close(self) -> None:
        if self._reader is not None:
            await self._reader.close()
            self._reader = None
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the lock
            self._lock_fd = None

    async def _migrate(self) -> None:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else 0
        for number, script in _migrations():
            if number <= version:
                continue
            await self.conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One unit of work: everything inside commits together or not at all. Repositories called
        inside it join it, so a service can wrap several of their writes in one transaction."""
        if _IN_TRANSACTION.get() is self:
            yield self.conn
            return
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            token = _IN_TRANSACTION.set(self)
            try:
                yield self.conn
                await self.conn.execute("COMMIT")
            except BaseException:
                with suppress(sqlite3.Error, ValueError):  # a failed COMMIT leaves it open; a dead connection
                    await self.conn.execute("ROLLBACK")
                raise
            finally:
                _IN_TRANSACTION.reset(token)

    # One thread hop per call: aiosqlite's helpers run the statement and fetch in its worker.

    def _reading(self) -> aiosqlite.Connection:
        """Inside this task's transaction: the writer (its own writes are visible). Outside: the reader,
        which sees only what is committed."""
        if _IN_TRANSACTION.get() is self or self._reader is None:
            return self.conn
        return self._reader

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        rows = await self._reading().execute_fetchall(sql, tuple(params))
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        return list(await self._reading().execute_fetchall(sql, tuple(params)))

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One write statement: part of the running transaction, else committed on its own; returns lastrowid."""
        if _IN_TRANSACTION.get() is self:
            row = await self.conn.execute_insert(sql, tuple(params))
        else:
            async with self._write_lock:
                row = await self.conn.execute_insert(sql, tuple(params))
        return int(row[0]) if row else 0

    async def execute_count(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One write statement, as `execute`; returns how many rows it changed."""
        async with self.transaction() as conn, conn.execute(sql, tuple(params)) as cursor:
            return int(cursor.rowcount)
