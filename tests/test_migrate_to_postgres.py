"""`python -m keybot migrate-sqlite-to-postgres`: an install on the SQLite file, moved, runs on
PostgreSQL with the same master key — keys, credentials, history, reminders and a half-finished setup."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.creds import credentials
from tests.flows import add_key
from tests.harness import MASTER_KEY, USER, Harness, current_state
from tests.pg_server import PostgresServer, dump


async def _sqlite_install(tmp_path: Path) -> None:
    h = await Harness(tmp_path).start()
    try:
        await add_key(h, "xt", "XT.com", "Grid bot")
        await add_key(h, "okx", "OKX", "Hedge")
        await h.me.send("/add")
        await h.me.press("Bybit")  # a setup left half-way: its state is moved too
    finally:
        await h.stop()


def _cli(args: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from keybot.__main__ import main

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out + err


def test_an_install_moves_to_postgresql_and_runs_there(
        tmp_path: Path, postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_sqlite_install(tmp_path))
    url = postgres_server.new_database()
    env = {"DATABASE_PATH": str(tmp_path / "bot.sqlite3"), "DATABASE_URL": url, "MASTER_KEY": MASTER_KEY}
    code, out = _cli(["migrate-sqlite-to-postgres"], env, monkeypatch, capsys)
    assert code == 0, out
    assert "2 live keys" in out
    code, out = _cli(["migrate-sqlite-to-postgres"], env, monkeypatch, capsys)
    assert code == 2  # never merged into a database that has data
    assert "migrate into an empty one" in out
    for value in credentials("xt") + credentials("okx"):
        assert value.encode() not in dump(url)
    asyncio.run(_runs_on_postgres(tmp_path, url))


async def _runs_on_postgres(tmp_path: Path, url: str) -> None:
    h = await Harness(tmp_path, database_url=url).start()
    try:
        keys = {k.name: k for k in await h.services.keys.list_keys(USER)}
        assert set(keys) == {"Grid bot", "Hedge"}
        assert sorted((await h.services.keys.credentials(keys["Grid bot"])).values()) == sorted(credentials("xt"))
        assert await h.services.keys.history(keys["Hedge"])  # the audit came along
        assert (await current_state(h) or "").startswith("AddKey:")  # the half-finished setup is where it was
        await h.me.send("/cancel")
        await add_key(h, "kraken", "Kraken", "After the move")  # new ids continue after the copied ones
        fresh = next(k for k in await h.services.keys.list_keys(USER) if k.name == "After the move")
        assert fresh.id > max(k.id for k in keys.values())
    finally:
        await h.stop()
