"""A real Redis server for the tests: one per test process, on a unix socket in a temp folder (no TCP
port), with persistence off. Debian's `redis-server` package provides it (`.ci/run` installs it)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast


class RedisServer:
    def __init__(self, binary: str) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="keybot-redis-"))
        self.socket = self.root / "redis.sock"
        self._proc = subprocess.Popen(
            [binary, "--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "700",
             "--save", "", "--appendonly", "no", "--dir", str(self.root)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_ready(self) -> RedisServer:
        for _ in range(500):  # the socket appears once the server accepts connections
            if self.socket.exists():
                return self
            if self._proc.poll() is not None:
                raise RuntimeError("redis-server exited at start")
            time.sleep(0.01)
        raise RuntimeError("redis-server did not open its socket")

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def stop(self) -> None:
        self._proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._proc.wait(10)
        shutil.rmtree(self.root, ignore_errors=True)


def dump(url: str) -> bytes:
    """Every key and value in the server (strings and hashes), for searching secrets in."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        out = []
        for key in client.scan_iter():
            out.append(key)
            kind = client.type(key)
            if kind == b"string":
                out.append(client.get(key) or b"")
            elif kind == b"hash":
                fields = cast(dict[bytes, bytes], client.hgetall(key))
                out.extend(b"%s=%s" % item for item in fields.items())
        return b"\n".join(out)
    finally:
        client.close()


@contextlib.contextmanager
def running_redis() -> Iterator[RedisServer | None]:
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    server = RedisServer(binary).wait_ready()
    try:
        yield server
    finally:
        server.stop()
