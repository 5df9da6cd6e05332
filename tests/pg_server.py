"""A real PostgreSQL server for the tests: a throwaway cluster in a temp folder, reached only through a
unix socket there (no TCP port), one per test process; each test gets a database of its own.

Debian's `postgresql` package provides the server (`.ci/run` installs it when missing). PostgreSQL
refuses to run as root, so under root the cluster belongs to the package's `postgres` user."""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


def server_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, newest version first; None when PostgreSQL is absent."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresServer:
    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="keybot-pg-"))
        self.data = self.root / "data"
        self.socket = self.root / "socket"
        self._user = "postgres" if os.geteuid() == 0 else None
        self._names = itertools.count(1)

    def _run(self, *args: str | Path) -> None:
        subprocess.run([str(a) for a in args], check=True, capture_output=True, user=self._user, cwd=self.root)

    def start(self, durable: bool = False) -> PostgresServer:
        """`durable`: fsync on, commits not waited for (as SQLite's WAL with synchronous=NORMAL), for
        benchmarks that compare the engines; tests run with durability off."""
        self.socket.mkdir()
        if self._user is not None:  # the server's user must own its folders
            entry = pwd.getpwnam(self._user)
            os.chown(self.socket, entry.pw_uid, entry.pw_gid)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        # Durability off: a test cluster is thrown away, and fsync would make every test wait for the disk.
        self._run(self.bin / "initdb", "-D", self.data, "-A", "trust", "-U", "keybot", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = (f"-k {self.socket} -c listen_addresses='' -c synchronous_commit=off -c max_connections=200"
                   + ("" if durable else " -c fsync=off -c full_page_writes=off"))
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-l", self.root / "server.log", "-w", "start")
        return self

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://keybot@/{database}?host={self.socket}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        subprocess.run([str(self.bin / "psql"), "-q", "-h", str(self.socket), "-U", "keybot", "-d", "postgres",
                        "-c", f"CREATE DATABASE {name} TEMPLATE template0"], check=True, capture_output=True)
        return self.url(name)



_BYTEA = re.compile(rb"\\x((?:[0-9a-f]{2})+)")


def dump(url: str) -> bytes:
    """pg_dump of the database at `url` (a test server's), as an operator's backup holds it, followed by
    every bytea value in it decoded to raw bytes (the dump shows them as hex), so a search for a secret's
    bytes finds it in either form."""
    bin_dir = server_bin()
    assert bin_dir is not None
    parts = urlsplit(url)
    host = parse_qs(parts.query)["host"][0]
    text = subprocess.run([str(bin_dir / "pg_dump"), "-h", host, "-U", "keybot", parts.path.lstrip("/")],
                          check=True, capture_output=True).stdout
    return text + b"\n".join(bytes.fromhex(m.group(1).decode()) for m in _BYTEA.finditer(text))


@contextlib.contextmanager
def running_server(durable: bool = False) -> Iterator[PostgresServer | None]:
    bin_dir = server_bin()
    if bin_dir is None:
        yield None
        return
    server = PostgresServer(bin_dir).start(durable)
    try:
        yield server
    finally:
        server.stop()
