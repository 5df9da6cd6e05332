"""The SQLite database: its migrations, serialised write transactions, and where each statement runs.

A statement sent through aiosqlite costs about 80 µs of CPU for the hop to its thread and back, while a
point read or a one-row write in WAL mode (synchronous=NORMAL: no fsync at commit) costs 5–7 µs. So single
statements outside a transaction run right on the event loop on connections of their own, when no
transaction is open: they never wait (busy_timeout 0; a busy database sends them the aiosqlite way) and
never checkpoint (that runs in aiosqlite's thread every CHECKPOINT_EVERY such writes). Transactions and
`fetchall` keep to aiosqlite's thread: they may hold the write lock across awaits or read many rows.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import Any, Literal, overload

import aiosqlite

from domain.errors import StorageError
from storage.sql import Conflict, Row


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


# The database whose transaction the running coroutine is inside: statements there join it.
CHECKPOINT_EVERY = 1000  # writes on the loop between WAL checkpoints (SQLite's own default is 1000 pages)
_WRITER_PRAGMAS = ("foreign_keys=ON", "secure_delete=ON", "synchronous=NORMAL")
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
    skip_locked = ""  # one process writes (the file lock): a claiming UPDATE is atomic as it is

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None
        # Reads outside a transaction use their own connection: in WAL mode it sees only committed data,
        # so no coroutine reads another's unfinished unit of work (the writer connection would show it).
        self._reader: aiosqlite.Connection | None = None
        self._lock_fd: int | None = None
        # Connections for single statements on the event loop (see the module's docstring).
        self._loop_writer: sqlite3.Connection | None = None
        self._loop_reader: sqlite3.Connection | None = None
        self._loop_writes = 0
        self._checkpoint: asyncio.Task[None] | None = None
        self._tx: sqlite3.Connection | None = None  # the open transaction's, when it runs on the loop
        self._after: list[Callable[[], Awaitable[None]]] = []  # to run after the open transaction commits
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
            for pragma in ("busy_timeout=5000", "journal_mode=WAL", *_WRITER_PRAGMAS):
                await self._conn.execute(f"PRAGMA {pragma}")
            await self._migrate()
            if str(self.path) != ":memory:":  # an in-memory database has no second connection to it
                self._reader = await aiosqlite.connect(self.path, isolation_level=None)
                self._reader.row_factory = aiosqlite.Row
                for pragma in ("busy_timeout=5000", "query_only=ON"):
                    await self._reader.execute(f"PRAGMA {pragma}")
                self._loop_writer = self._loop_connection("busy_timeout=0", "wal_autocheckpoint=0", *_WRITER_PRAGMAS)
                self._loop_reader = self._loop_connection("busy_timeout=0", "query_only=ON")
        except PermissionError as exc:
            await self.close()
            raise StorageError(f"no permission to use {self.path}: {exc.strerror}") from None
        except OSError as exc:
            await self.close()
            raise StorageError(f"cannot use {self.path}: {exc.strerror or exc}") from None
        except sqlite3.Error as exc:
            await self.close()
            raise StorageError(explain(exc, self.path)) from None

    def _loop_connection(self, *pragmas: str) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        for pragma in pragmas:
            conn.execute(f"PRAGMA {pragma}")
        return conn

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
        if self._checkpoint is not None:
            with suppress(sqlite3.Error, ValueError):
                await self._checkpoint
            self._checkpoint = None
        for conn in (self._loop_writer, self._loop_reader):
            if conn is not None:
                conn.close()
        self._loop_writer = self._loop_reader = None
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
    async def transaction(self) -> AsyncIterator[None]:
        """One unit of work: everything inside commits together or not at all. Repositories called
        inside it join it, so a service can wrap several of their writes in one transaction. It runs on
        the loop's writer (no other transaction can be open: the write lock), or in aiosqlite's thread
        when another process holds SQLite's lock (the thread waits for it; the loop must not)."""
        if _IN_TRANSACTION.get() is self:
            yield
            return
        async with self._write_lock:
            self._tx = self._loop_writer
            if self._tx is not None:
                try:
                    _busy_as(self._tx.execute, "BEGIN IMMEDIATE", ())
                except _Busy:
                    self._tx = None
            if self._tx is None:
                await self.conn.execute("BEGIN IMMEDIATE")
            token = _IN_TRANSACTION.set(self)
            try:
                yield
                await self._finish("COMMIT")
            except BaseException:
                with suppress(sqlite3.Error, ValueError):  # a failed COMMIT leaves it open; a dead connection
                    await self._finish("ROLLBACK")
                self._after.clear()
                raise
            finally:
                _IN_TRANSACTION.reset(token)
                self._tx = None
            after, self._after = self._after, []
        for action in after:
            await action()

    async def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        if _IN_TRANSACTION.get() is self:
            self._after.append(action)
        else:
            await action()

    async def _finish(self, verb: str) -> None:
        if self._tx is not None:
            self._tx.execute(verb)
            self._wrote_on_loop()
        else:
            await self.conn.execute(verb)

    def _on_loop(self, write: bool) -> sqlite3.Connection | None:
        """The connection for a statement run right here on the loop, or None to go the aiosqlite way.
        Inside this task's transaction: the transaction's own connection. Outside: the loop's reader
        for a read; the loop's writer for a write when no transaction is open."""
        if _IN_TRANSACTION.get() is self:
            return self._tx
        if not write:
            return self._loop_reader
        return None if self._write_lock.locked() else self._loop_writer

    def _wrote_on_loop(self) -> None:
        self._loop_writes += 1
        if self._loop_writes >= CHECKPOINT_EVERY and (self._checkpoint is None or self._checkpoint.done()):
            self._loop_writes = 0
            self._checkpoint = asyncio.get_running_loop().create_task(self._run_checkpoint())

    async def _run_checkpoint(self) -> None:
        """Copy the WAL back into the database in aiosqlite's thread, without blocking writers (PASSIVE)."""
        async with self._write_lock:
            await self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _reading(self) -> aiosqlite.Connection:
        """Inside this task's transaction: the writer (its own writes are visible). Outside: the reader,
        which sees only what is committed."""
        if _IN_TRANSACTION.get() is self or self._reader is None:
            return self.conn
        return self._reader

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        """A point read (by key or index)."""
        conn = self._on_loop(write=False)
        if conn is not None:
            with suppress(_Busy):
                return _busy_as(conn.execute, sql, tuple(params)).fetchone()  # type: ignore[no-any-return]
        rows = await self._reading().execute_fetchall(sql, tuple(params))
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """Any number of rows: in aiosqlite's thread, so a long read never stalls the loop (inside a
        transaction on the loop, on its connection)."""
        if _IN_TRANSACTION.get() is self and self._tx is not None:
            return list(self._tx.execute(sql, tuple(params)).fetchall())
        return list(await self._reading().execute_fetchall(sql, tuple(params)))

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        await self._write(sql, tuple(params))

    async def execute_count(self, sql: str, params: Iterable[Any] = ()) -> int:
        return await self._write(sql, tuple(params))

    async def insert(self, sql: str, params: Iterable[Any] = ()) -> int:
        """An INSERT … RETURNING id: the new row's id."""
        rows = await self._write(sql, tuple(params), returning=True)
        return int(rows[0][0]) if rows else 0

    async def write_returning(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        return await self._write(sql, tuple(params), returning=True)

    async def executemany(self, sql: str, rows: Sequence[Iterable[Any]]) -> None:
        async with self.transaction():
            for row in rows:
                await self._write(sql, tuple(row))

    @overload
    async def _write(self, sql: str, params: tuple[Any, ...], returning: Literal[False] = ...) -> int: ...

    @overload
    async def _write(self, sql: str, params: tuple[Any, ...], returning: Literal[True]) -> list[Row]: ...

    async def _write(self, sql: str, params: tuple[Any, ...], returning: bool = False) -> int | list[Row]:
        """One write statement: the rows it changed, or with `returning` the rows it returned."""
        try:
            if _IN_TRANSACTION.get() is self:
                return await self._write_inside(sql, params, returning)
            writer = None if self._write_lock.locked() else self._loop_writer
            if writer is not None:
                with suppress(_Busy):
                    result = _run_write(writer, sql, params, returning, busy_is_raised=True)
                    self._wrote_on_loop()
                    return result
            async with self.transaction():
                return await self._write_inside(sql, params, returning)
        except sqlite3.IntegrityError as exc:
            raise Conflict(str(exc)) from exc

    async def _write_inside(self, sql: str, params: tuple[Any, ...], returning: bool) -> int | list[Row]:
        """A write in this task's transaction, on the connection it runs on."""
        if self._tx is not None:
            return _run_write(self._tx, sql, params, returning)
        async with self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall()) if returning else int(cursor.rowcount)


def _run_write(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...], returning: bool,
               busy_is_raised: bool = False) -> int | list[Row]:
    cursor = _busy_as(conn.execute, sql, params) if busy_is_raised else conn.execute(sql, params)
    return list(cursor.fetchall()) if returning else int(cursor.rowcount)


class _Busy(Exception):
    """The database was busy for a statement on the loop: it goes the aiosqlite way, which waits."""


def _busy_as(run: Callable[[str, tuple[Any, ...]], sqlite3.Cursor], sql: str,
             params: tuple[Any, ...]) -> sqlite3.Cursor:
    try:
        return run(sql, params)
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):  # extended codes too
            raise _Busy from None
        raise
