"""Envelope encryption: round trips, binding to owner/key/field, wrong master key, rotation, key files."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.keywrap import LocalKeyWrapper, decode_master_key, load_master_key
from bot.vault import Locked, Sealed, Vault, VaultError
from domain.clock import FrozenClock
from storage.db import Database
from storage.vault_store import VaultStore

KEY_A = bytes(range(32))
KEY_B = bytes(range(1, 33))
WRAP_A = LocalKeyWrapper(KEY_A)
WRAP_B = LocalKeyWrapper(KEY_B)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "v.sqlite3")
    await database.open()
    await database.execute("INSERT INTO users(id, language, created_at) VALUES (1, 'en', 0), (2, 'en', 0)")
    yield database
    await database.close()


async def test_round_trip_and_binding(db: Database) -> None:
    vault = await Vault.open(WRAP_A, VaultStore(db), FrozenClock())
    sealed = await vault.seal(1, 10, "secret", "s3cr3t-value")
    assert b"s3cr3t" not in sealed.ciphertext
    assert await vault.open_sealed(1, 10, "secret", sealed) == "s3cr3t-value"
    for owner, key_id, field in ((2, 10, "secret"), (1, 11, "secret"), (1, 10, "api_key")):
        with pytest.raises(VaultError):
            await vault.open_sealed(owner, key_id, field, sealed)
    tampered = Sealed(sealed.data_key_id, sealed.nonce, sealed.ciphertext[:-1] + bytes([sealed.ciphertext[-1] ^ 1]))
    with pytest.raises(VaultError):
        await vault.open_sealed(1, 10, "secret", tampered)


async def test_nonces_are_unique_and_users_get_own_data_keys(db: Database) -> None:
    vault = await Vault.open(WRAP_A, VaultStore(db), FrozenClock())
    a = await vault.seal(1, 1, "f", "same")
    b = await vault.seal(1, 1, "f", "same")
    c = await vault.seal(2, 1, "f", "same")
    assert a.nonce != b.nonce
    assert a.ciphertext != b.ciphertext
    assert a.data_key_id == b.data_key_id != c.data_key_id


async def test_wrong_master_key_stops_with_clear_message(db: Database) -> None:
    await Vault.open(WRAP_A, VaultStore(db), FrozenClock())
    with pytest.raises(VaultError, match="does not match"):
        await Vault.open(WRAP_B, VaultStore(db), FrozenClock())


async def test_rotation_rewraps_without_touching_ciphertexts(db: Database) -> None:
    vault = await Vault.open(WRAP_A, VaultStore(db), FrozenClock())
    sealed = await vault.seal(1, 5, "secret", "value")
    fingerprint = vault.fingerprint("value")
    assert await vault.rotate_master_key(WRAP_B) == 1
    with pytest.raises(VaultError):
        await Vault.open(WRAP_A, VaultStore(db), FrozenClock())
    reopened = await Vault.open(WRAP_B, VaultStore(db), FrozenClock())
    assert await reopened.open_sealed(1, 5, "secret", sealed) == "value"
    assert reopened.fingerprint("value") == fingerprint


def test_master_key_sources(tmp_path: Path) -> None:
    encoded = base64.b64encode(KEY_A).decode()
    assert load_master_key(Settings(_env_file=None, master_key=encoded)) == KEY_A
    generated = load_master_key(Settings(_env_file=None, database_path=tmp_path / "d" / "db.sqlite3"))
    key_file = tmp_path / "d" / "master.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_master_key(Settings(_env_file=None, master_key_file=key_file)) == generated
    with pytest.raises(VaultError, match="does not exist"):
        load_master_key(Settings(_env_file=None, master_key_file=tmp_path / "nope"))
    for bad in ("not base64!", base64.b64encode(b"short").decode()):
        with pytest.raises(VaultError):
            decode_master_key(bad)


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "MASTER_KEY", "MASTER_KEY_FILE"}}
    return subprocess.run([sys.executable, "-m", "keybot", *args], env={**clean, **env}, cwd=cwd,
                          capture_output=True, text=True, timeout=60, check=False)


def test_cli_without_token_names_bot_token(tmp_path: Path) -> None:
    result = _run([], {"DATABASE_PATH": str(tmp_path / "db.sqlite3")}, tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "BOT_TOKEN" in result.stderr


def _main(args: list[str], env: dict[str, str], cwd: Path, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`python -m keybot ARGS` in this process (an interpreter start costs seconds): exit code, out, err."""
    from keybot.__main__ import main

    for name in ("BOT_TOKEN", "MASTER_KEY", "MASTER_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(cwd)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_wrong_master_key_and_rotation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "db.sqlite3")}
    code, out, err = _main(["rotate-master-key"], env, tmp_path, monkeypatch, capsys)  # creates, then rotates
    assert code == 0, err
    assert "Re-wrapped" in out
    assert (tmp_path / "master.key").exists()
    assert (tmp_path / "master.old").exists()
    code, _, err = _main([], {**env, "BOT_TOKEN": "1:x", "MASTER_KEY": base64.b64encode(KEY_B).decode()},
                         tmp_path, monkeypatch, capsys)
    assert code != 0
    assert "does not match" in err
    code, _, err = _main([], {**env, "BOT_TOKEN": "1:x", "MASTER_KEY_FILE": str(tmp_path / "master.old")},
                         tmp_path, monkeypatch, capsys)
    assert "does not match" in err


async def test_a_locked_secret_needs_the_passphrase_as_well_as_the_master_key(db: Database) -> None:
    clock = FrozenClock()
    vault = await Vault.open(WRAP_A, VaultStore(db), clock)
    with pytest.raises(Locked):
        await vault.seal(1, 4, "secret", "locked-value", locked=True)  # never unlocked: no locked key yet
    await vault.unlock(1, "correct horse", until=int(clock.now().timestamp()) + 60)
    sealed = await vault.seal(1, 4, "secret", "locked-value", locked=True)
    assert await vault.open_sealed(1, 4, "secret", sealed) == "locked-value"

    # Whoever copies the database and the master key opens the server layer only.
    thief = await Vault.open(WRAP_A, VaultStore(db), clock)
    with pytest.raises(Locked):
        await thief.open_sealed(1, 4, "secret", sealed)
    with pytest.raises(VaultError, match="passphrase does not open"):
        await thief.unlock(1, "wrong horse", until=int(clock.now().timestamp()) + 60)
    # Another user's passphrase session does not open it either.
    await thief.unlock(2, "correct horse", until=int(clock.now().timestamp()) + 60)
    with pytest.raises(Locked):
        await thief.open_sealed(1, 4, "secret", sealed)

    clock.advance(seconds=61)  # the unlocked period ends: the key is gone from memory
    with pytest.raises(Locked):
        await vault.open_sealed(1, 4, "secret", sealed)


async def test_new_passphrase_reseals_and_master_rotation_keeps_locked_keys(db: Database) -> None:
    clock = FrozenClock()
    vault = await Vault.open(WRAP_A, VaultStore(db), clock)
    soon = int(clock.now().timestamp()) + 60
    await vault.unlock(1, "first passphrase", until=soon)
    sealed = await vault.seal(1, 4, "secret", "locked-value", locked=True)
    await vault.reseal_locked(1, "second passphrase")
    vault.lock(1)
    with pytest.raises(Locked):
        await vault.reseal_locked(1, "third passphrase")  # needs the key open
    with pytest.raises(VaultError):
        await vault.unlock(1, "first passphrase", until=soon)
    await vault.rotate_master_key(WRAP_B)
    reopened = await Vault.open(WRAP_B, VaultStore(db), clock)
    await reopened.unlock(1, "second passphrase", until=soon)
    assert await reopened.open_sealed(1, 4, "secret", sealed) == "locked-value"
