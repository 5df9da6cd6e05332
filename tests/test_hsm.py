"""The master key in a real PKCS#11 token (SoftHSM2, Debian's `softhsm2`): wrapping inside the token,
a key that cannot be read out, start-up checks, and rotate-master-key from a key file into the HSM,
between HSM keys and back out to a file."""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.keywrap import LocalKeyWrapper, Pkcs11KeyWrapper, VaultError, WrapFailed
from bot.setup_flow import Draft
from bot.vault import Vault
from domain.clock import FrozenClock
from keybot.app import open_services
from storage.db import Database
from storage.vault_store import VaultStore
from tests.creds import credentials

MODULES = [Path("/usr/lib/softhsm/libsofthsm2.so"), Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")]
MODULE = next((m for m in MODULES if m.exists()), None)
TOKEN, PIN = "keybot-test", "246810"

pytestmark = pytest.mark.skipif(
    (MODULE is None or shutil.which("softhsm2-util") is None) and not os.environ.get("REQUIRE_HSM"),
    reason="SoftHSM2 is not installed (apt install softhsm2); .ci/run installs it")


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh SoftHSM2 token in a temp folder. The module reads SOFTHSM2_CONF once per process, when it
    is first loaded, so every test in this process shares the token and uses its own key labels."""
    assert MODULE is not None, "REQUIRE_HSM is set but SoftHSM2 is missing"
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "13579"],
                   check=True, capture_output=True)
    yield folder
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def _settings(tmp_path: Path, **extra: object) -> Settings:
    return Settings(_env_file=None, database_path=tmp_path / "data" / "bot.sqlite3", pkcs11_module=MODULE,
                    pkcs11_token_label=TOKEN, pkcs11_pin=PIN, **extra)  # type: ignore[arg-type]


def _hsm(label: str, create: str = "never") -> Pkcs11KeyWrapper:
    assert MODULE is not None
    return Pkcs11KeyWrapper(MODULE, TOKEN, PIN, label, create=create)  # type: ignore[arg-type]


async def test_wrapping_happens_in_the_token_with_a_key_that_cannot_leave_it(token: Path) -> None:
    from pkcs11 import Attribute
    from pkcs11.exceptions import AttributeSensitive

    wrapper = _hsm("wrap-test", create="new")
    try:
        blob = await wrapper.wrap(b"a data key of 32 bytes, honestly", b"data-key|7")
        assert await wrapper.unwrap(blob, b"data-key|7") == b"a data key of 32 bytes, honestly"
        with pytest.raises(WrapFailed):
            await wrapper.unwrap(blob, b"data-key|8")  # the associated data binds it to its user
        with pytest.raises(WrapFailed):
            await wrapper.unwrap(blob[:-1] + bytes([blob[-1] ^ 1]), b"data-key|7")
        key = wrapper._key
        assert key[Attribute.SENSITIVE]
        assert not key[Attribute.EXTRACTABLE]
        with pytest.raises(AttributeSensitive):
            key[Attribute.VALUE]
        assert blob[:12] != (await wrapper.wrap(b"a data key of 32 bytes, honestly", b"data-key|7"))[:12]
    finally:
        wrapper.close()


async def test_missing_key_and_wrong_pin_stop_with_clear_messages(token: Path) -> None:
    assert MODULE is not None
    with pytest.raises(VaultError, match="holds no AES key labelled 'nobody'"):
        _hsm("nobody")
    with pytest.raises(VaultError, match="PKCS11_PIN"):
        Pkcs11KeyWrapper(MODULE, TOKEN, "000000", "any", create="never")
    with pytest.raises(VaultError, match="no PKCS#11 token labelled 'other'"):
        Pkcs11KeyWrapper(MODULE, "other", PIN, "any", create="never")
    _hsm("taken", create="new").close()
    with pytest.raises(VaultError, match="already holds a key labelled 'taken'"):
        _hsm("taken", create="new")


async def test_vault_on_the_hsm_refuses_another_key(tmp_path: Path, token: Path) -> None:
    db = Database(tmp_path / "v.sqlite3")
    await db.open()
    await db.execute("INSERT INTO users(id, language, created_at) VALUES (1, 'en', 0)")
    first, second = _hsm("vault-a", create="new"), _hsm("vault-b", create="new")
    try:
        vault = await Vault.open(first, VaultStore(db), FrozenClock())
        sealed = await vault.seal(1, 3, "secret", "hsm-protected")
        with pytest.raises(VaultError, match=r"'vault-b'.*does not match"):
            await Vault.open(second, VaultStore(db), FrozenClock())
        with pytest.raises(VaultError, match="does not match"):
            await Vault.open(LocalKeyWrapper(bytes(32)), VaultStore(db), FrozenClock())
        reopened = await Vault.open(first, VaultStore(db), FrozenClock())
        assert await reopened.open_sealed(1, 3, "secret", sealed) == "hsm-protected"
    finally:
        first.close()
        second.close()
        await db.close()


async def _store_key(settings: Settings) -> None:
    async with open_services(settings) as services:
        await services.users.get_or_create(7, "en", 0)
        record = await services.keys.create(7, Draft(venue="xt", name="k", ips=["8.8.8.8"], expiry="none"))
        for fld, value in zip(services.venues["xt"].fields, credentials("xt"), strict=True):
            await services.keys.stage_field(record, fld, value)
        await services.keys.commit_credentials(record, activate=True)


async def _read_back(settings: Settings) -> list[str]:
    async with open_services(settings) as services:
        [record] = await services.keys.list_keys(7)
        return list((await services.keys.credentials(record)).values())


def _main(args: list[str], settings_env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from keybot.__main__ import main

    for name in ("MASTER_KEY", "MASTER_KEY_FILE", "MASTER_KEY_BACKEND", "PKCS11_KEY_LABEL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in settings_env.items():
        monkeypatch.setenv(name, value)
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    return code, out


def test_rotation_from_key_file_into_the_hsm_and_back(
        tmp_path: Path, token: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    asyncio.run(_store_key(_settings(tmp_path)))  # the embedded default: a key file beside the database
    key_file = data / "master.key"
    old_key = base64.b64decode(key_file.read_text())
    env = {"DATABASE_PATH": str(data / "bot.sqlite3"), "PKCS11_MODULE": str(MODULE),
           "PKCS11_TOKEN_LABEL": TOKEN, "PKCS11_PIN": PIN, "PKCS11_KEY_LABEL": "moved-in"}

    _, out = _main(["rotate-master-key", "--to", "pkcs11"], env, monkeypatch, capsys)
    assert "MASTER_KEY_BACKEND=pkcs11 and PKCS11_KEY_LABEL=moved-in" in out
    assert not key_file.exists()  # nothing beside the data opens it any more
    # The file's old key, even put back, no longer opens the database: it was re-wrapped in the token.
    with pytest.raises(VaultError, match="does not match"):
        asyncio.run(_read_back(_settings(tmp_path, master_key=base64.b64encode(old_key).decode())))
    # Forgetting to switch the backend stops with a hint, not with a new empty vault.
    with pytest.raises(VaultError, match="MASTER_KEY_BACKEND=pkcs11"):
        asyncio.run(_read_back(_settings(tmp_path)))
    on_hsm = _settings(tmp_path, master_key_backend="pkcs11", pkcs11_key_label="moved-in")
    assert asyncio.run(_read_back(on_hsm)) == list(credentials("xt"))
    assert _hsm_blobs_only(data / "bot.sqlite3", old_key)

    # HSM → a new HSM key (the old one stays in the token until the operator destroys it)
    _, out = _main(["rotate-master-key", "--label", "moved-again"],
                   {**env, "PKCS11_KEY_LABEL": "moved-in", "MASTER_KEY_BACKEND": "pkcs11"}, monkeypatch, capsys)
    assert "PKCS11_KEY_LABEL=moved-again" in out
    with pytest.raises(VaultError, match="does not match"):
        asyncio.run(_read_back(on_hsm))
    assert asyncio.run(_read_back(_settings(tmp_path, master_key_backend="pkcs11",
                                            pkcs11_key_label="moved-again"))) == list(credentials("xt"))

    # HSM → a key file again
    out_file = tmp_path / "back.key"
    _, out = _main(["rotate-master-key", "--to", "file", "--out", str(out_file)],
                   {**env, "PKCS11_KEY_LABEL": "moved-again", "MASTER_KEY_BACKEND": "pkcs11"}, monkeypatch, capsys)
    assert f"MASTER_KEY_FILE={out_file}" in out
    assert asyncio.run(_read_back(_settings(tmp_path, master_key_backend="file",
                                            master_key_file=out_file))) == list(credentials("xt"))


def _hsm_blobs_only(db: Path, old_key: bytes) -> bool:
    """Every wrapped data key fails to open with the old file key: they were all re-wrapped."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT user_id, wrapped FROM data_keys").fetchall()
    assert rows
    for user, blob in rows:
        try:
            AESGCM(old_key).decrypt(blob[:12], blob[12:], f"data-key|{user}".encode())
        except InvalidTag:
            continue
        return False
    return True


async def test_a_new_install_on_the_hsm_creates_its_key_there(tmp_path: Path, token: Path) -> None:
    settings = _settings(tmp_path, master_key_backend="pkcs11", pkcs11_key_label="fresh-install")
    await _store_key(settings)
    assert not (tmp_path / "data" / "master.key").exists()
    assert await _read_back(settings) == list(credentials("xt"))
