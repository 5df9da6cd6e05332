from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.harness import Harness
from tests.pg_server import PostgresServer, running_server
from tests.redis_server import RedisServer, running_redis


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster per test process, started on first use."""
    with running_server() as server:
        if server is None:
            if os.environ.get("REQUIRE_POSTGRES") == "1":
                pytest.fail("PostgreSQL is required (REQUIRE_POSTGRES=1) but its server is not installed")
            pytest.skip("PostgreSQL's server is not installed (Debian: apt-get install postgresql)")
        yield server


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One Redis server per test process, started on first use."""
    with running_redis() as server:
        if server is None:
            if os.environ.get("REQUIRE_REDIS") == "1":
                pytest.fail("Redis is required (REQUIRE_REDIS=1) but redis-server is not installed")
            pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
        yield server


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The test's Redis, emptied."""
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    return redis_server.url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """Each test that takes it runs on both engines: None is the SQLite file, else a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_database()


@pytest.fixture
async def h(tmp_path: Path, database_url: str | None, request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    """The embedded configuration (SQLite, its own FSM, in-process locks) or the scale-out one
    (PostgreSQL, and Redis for FSM, locks and cache announcements)."""
    redis_url = None if database_url is None else request.getfixturevalue("redis_url")
    harness = await Harness(tmp_path, database_url=database_url, redis_url=redis_url).start()
    yield harness
    await harness.stop()
    # The emulator answers a call Telegram would refuse with Telegram's error; the bot may cope with it,
    # but it must not make such a call at all.
    assert harness.emu.violations == [], [(v.method, v.description) for v in harness.emu.violations]
    # Each button press is answered once: a second answer is refused by Telegram and wastes a call.
    twice = [c.params for c in harness.emu.calls if c.method == "answerCallbackQuery" and c.status != 200]
    assert twice == []
