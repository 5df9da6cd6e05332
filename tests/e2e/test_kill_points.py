"""SIGKILL at each step of paste → verify → commit, and of rotate-master-key: after a restart nothing is
lost, nothing is orphaned and no secret is readable. The bot kills itself at a named point
(bot/crashpoint.py): no cleanup runs, as with a power cut or the OOM killer."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.crashpoint import ENV
from tests.creds import credentials
from tests.e2e.sandbox import ALICE, Sandbox

KEY, SECRET = credentials("xt")


def _slots(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT slot, COUNT(*) FROM key_secrets GROUP BY slot").fetchall()
    return {str(slot): int(n) for slot, n in rows}


def _key(db: Path) -> tuple[str, int]:
    with sqlite3.connect(db) as conn:
        [(status, pending)] = conn.execute("SELECT status, rotation_pending FROM keys").fetchall()
    return str(status), int(pending)


def _files_hold(folder: Path, secret: str) -> bool:
    return any(secret.encode() in p.read_bytes() for p in folder.glob("bot.sqlite3*"))


@pytest.mark.parametrize("point", ["paste:staged", "commit:promoted", "paste:committed", "verify:answered",
                                   "paste:verified"])
async def test_kill_while_pasting(tmp_path: Path, point: str) -> None:
    sb = await Sandbox(tmp_path).start(**{ENV: point})
    try:
        sb.venues.register("xt", KEY, fields={"secret": SECRET})
        await sb.chat(ALICE).send("/add", expect="Which venue")
        await sb.chat(ALICE).press("XT.com", expect="send a name")
        await sb.chat(ALICE).send("Grid bot", expect="what may this key do")
        await sb.chat(ALICE).press("Next", expect="which IP addresses")
        await sb.chat(ALICE).send("8.8.8.8", expect="1 address saved")
        await sb.chat(ALICE).press("No expiry", expect="Check your new key")
        await sb.chat(ALICE).press("Confirm", expect="Paste the Access key")
        await sb.chat(ALICE).send(KEY, expect="Access key stored")
        assert sb.proc is not None
        await sb.emu.user_send(ALICE, ALICE, SECRET)
        assert await asyncio.wait_for(sb.proc.wait(), 30) == -9  # killed at the point
        sb.log.close()
        sb.proc = None
        db = tmp_path / "bot.sqlite3"
        assert _slots(db).get("previous", 0) == 0
        await sb.start_bot()
        # The user does what the screen still asks for: paste the secret again.
        await sb.chat(ALICE).send(SECRET, expect="Last check: ✅ works")
        assert _key(db) == ("active", 0)  # not "rotated", not stuck in pending
        assert _slots(db) == {"current": 2}  # no previous, no orphaned staged field
        assert not _files_hold(tmp_path, SECRET)
        assert not _files_hold(tmp_path, KEY)
        assert all(m.deleted for m in sb.chat(ALICE).transcript() if m.from_id == ALICE and SECRET in (m.text or ""))
    finally:
        await sb.stop()


# --- rotate-master-key --------------------------------------------------------------------------------


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "keybot", *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


async def _store_a_key(db: Path) -> None:
    from bot.config import Settings
    from bot.setup_flow import Draft
    from keybot.app import open_services

    settings = Settings(_env_file=None, database_path=db)
    async with open_services(settings) as services:
        await services.users.get_or_create(7, "en", 0)
        record = await services.keys.create(7, Draft(venue="xt", name="k", ips=["8.8.8.8"], expiry="none"))
        profile = services.venues["xt"]
        for fld, value in zip(profile.fields, (KEY, SECRET), strict=True):
            await services.keys.stage_field(record, fld, value)
        await services.keys.commit_credentials(record, activate=True)


async def _read_back(db: Path) -> list[str]:
    from bot.config import Settings
    from keybot.app import open_services

    async with open_services(Settings(_env_file=None, database_path=db)) as services:
        [record] = await services.keys.list_keys(7)
        return list((await services.keys.credentials(record)).values())


@pytest.mark.parametrize("point", ["rotate:new-key-written", "rotate:database-rewrapped", "rotate:old-key-kept"])
async def test_kill_during_master_key_rotation(tmp_path: Path, point: str) -> None:
    db = tmp_path / "data" / "bot.sqlite3"
    await _store_a_key(db)
    env = {k: v for k, v in os.environ.items() if k not in ("MASTER_KEY", "MASTER_KEY_FILE")}
    env.update(DATABASE_PATH=str(db), LOG_LEVEL="WARNING", **{ENV: point})
    killed = _cli(env, "rotate-master-key")
    assert killed.returncode == -9, killed.stderr
    # The next start finds the half-done rotation, keeps the key that opens the database, and says so.
    assert await _read_back(db) == [KEY, SECRET]
    key_file = db.parent / "master.key"
    assert key_file.exists()
    assert not (db.parent / "master.new").exists()
    env.pop(ENV)
    done = _cli(env, "rotate-master-key")  # and a rotation after that works as usual
    assert done.returncode == 0, done.stderr
    assert await _read_back(db) == [KEY, SECRET]


async def test_rotation_refused_while_the_bot_runs(tmp_path: Path) -> None:
    from storage.db import Database

    db_path = tmp_path / "bot.sqlite3"
    await _store_a_key(db_path)
    running = Database(db_path)
    await running.open()
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("MASTER_KEY", "MASTER_KEY_FILE")}
        result = _cli({**env, "DATABASE_PATH": str(db_path)}, "rotate-master-key")
    finally:
        await running.close()
    assert result.returncode == 2
    assert "in use by another process" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "master.new").exists()
    assert await _read_back(db_path) == [KEY, SECRET]


async def test_no_fresh_master_key_for_a_database_with_secrets(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    await _store_a_key(db)
    (tmp_path / "master.key").rename(tmp_path / "elsewhere.key")
    env = {k: v for k, v in os.environ.items() if k not in ("MASTER_KEY", "MASTER_KEY_FILE")}
    result = _cli({**env, "DATABASE_PATH": str(db), "BOT_TOKEN": "1:x"})
    assert result.returncode == 2
    assert "master key file" in result.stderr
    assert "is missing" in result.stderr
    assert not (tmp_path / "master.key").exists()  # nothing was generated
    assert "Traceback" not in result.stderr


async def test_a_key_file_others_can_read_is_warned_about(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "bot.sqlite3"
    await _store_a_key(db)
    (tmp_path / "master.key").chmod(0o644)
    assert await _read_back(db) == [KEY, SECRET]
    assert any("can be read by other users" in r.getMessage() for r in caplog.records)

