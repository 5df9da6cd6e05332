"""Envelope encryption of secrets with AES-256-GCM.

A master key wraps one data key per user; every ciphertext is bound by its associated data to
(owner, key id, field), so a row copied to another user or key fails to decrypt. The master key
also wraps the key used for secret fingerprints (HMAC), so rotating it touches no ciphertext.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.config import Settings
from domain.clock import Clock
from domain.ports import VaultStore

log = logging.getLogger(__name__)

NONCE_BYTES = 12
CANARY = b"keyhygiene vault canary v1"
META_CANARY = "vault_canary"
META_FINGERPRINT_KEY = "fingerprint_key"


class VaultError(Exception):
    """The vault cannot be used; the message is safe to show an operator."""


@dataclass(frozen=True, slots=True)
class Sealed:
    data_key_id: int
    nonce: bytes
    ciphertext: bytes


def decode_master_key(text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VaultError("the master key is not valid base64") from exc
    if len(raw) != 32:
        raise VaultError(f"the master key must be 32 bytes, got {len(raw)}")
    return raw


def write_key_file(path: Path, key: bytes) -> None:
    """Create `path` holding base64(key), readable by the owner only, never overwriting; durable
    (file and folder synced) before it returns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise VaultError(f"{path} already exists: move it away first (it may be a master key)") from None
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(base64.b64encode(key).decode("ascii") + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """fsync a folder, so a rename or a new file in it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def key_opens(key: bytes, canary: bytes) -> bool:
    """Whether `key` is the master key the database's canary was sealed with."""
    try:
        _unwrap(AESGCM(key), canary, b"canary")
    except InvalidTag:
        return False
    return True


def pending_key_file(path: Path) -> Path:
    """Where rotate-master-key writes the new key before it replaces the current one."""
    return path.with_suffix(".new")


def _read_key_file(path: Path) -> bytes:
    mode = path.stat().st_mode
    if mode & 0o077:
        log.warning("The master key file %s can be read by other users (mode %o): run chmod 600 on it.",
                    path, mode & 0o777)
    return decode_master_key(path.read_text(encoding="ascii"))


def _finish_rotation(path: Path, pending: Path, canary: bytes | None) -> bytes:
    """A rotation was interrupted: keep whichever key the database is sealed with, and say so."""
    new = _read_key_file(pending)
    old = _read_key_file(path) if path.exists() else None
    if canary is not None and key_opens(new, canary):
        if old is not None:
            backup = path.with_suffix(".old")
            backup.unlink(missing_ok=True)
            write_key_file(backup, old)
        os.replace(pending, path)
        sync_folder(path.parent)
        log.warning("Finished an interrupted master-key rotation: the database was already re-wrapped, so "
                    "%s now holds the new key (the old one is in %s).", path, path.with_suffix(".old"))
        return new
    if old is not None and (canary is None or key_opens(old, canary)):
        pending.unlink()
        sync_folder(path.parent)
        log.warning("An interrupted master-key rotation left %s; the database was not re-wrapped, so the "
                    "current key in %s stays and the unused new key was removed.", pending, path)
        return old
    raise VaultError(f"neither {path} nor {pending} is the master key this database was encrypted with; "
                     "restore the right key file from your backup")


def load_master_key(settings: Settings, canary: bytes | None = None) -> bytes:
    """MASTER_KEY, else MASTER_KEY_FILE, else a key file generated on first run. `canary` is the
    database's vault canary (None for a new database): a fresh key is never generated for a database
    that already holds encrypted data, and a rotation interrupted between its steps is finished."""
    if settings.master_key is not None:
        return decode_master_key(settings.master_key.get_secret_value())
    path = settings.resolved_master_key_file()
    pending = pending_key_file(path)
    if pending.exists():
        return _finish_rotation(path, pending, canary)
    if path.exists():
        return _read_key_file(path)
    if settings.master_key_file is not None:
        raise VaultError(f"MASTER_KEY_FILE {path} does not exist")
    if canary is not None:
        raise VaultError(
            f"the database holds encrypted secrets but the master key file {path} is missing: restore it from "
            "your backup, or set MASTER_KEY. A new key would make every stored secret unreadable, so none "
            "was generated")
    key = secrets.token_bytes(32)
    write_key_file(path, key)
    log.warning(
        "No MASTER_KEY or MASTER_KEY_FILE set: generated a new master key in %s (mode 0600). "
        "Back it up: without it the stored secrets cannot be decrypted.",
        path,
    )
    return key


def _wrap(aead: AESGCM, plaintext: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + aead.encrypt(nonce, plaintext, aad)


def _unwrap(aead: AESGCM, blob: bytes, aad: bytes) -> bytes:
    return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)


def _data_key_aad(user_id: int) -> bytes:
    return f"data-key|{user_id}".encode()


def _field_aad(owner_id: int, key_id: int, field: str) -> bytes:
    return f"secret|{owner_id}|{key_id}|{field}".encode()


class Vault:
    def __init__(self, master_key: bytes, store: VaultStore, clock: Clock, fingerprint_key: bytes) -> None:
        self._master = AESGCM(master_key)
        self._store = store
        self._clock = clock
        self._fingerprint_key = fingerprint_key
        self._data_keys: dict[int, tuple[int, AESGCM]] = {}

    @classmethod
    async def open(cls, master_key: bytes, store: VaultStore, clock: Clock) -> Vault:
        """Check the master key against the database's canary; set the vault up on first use."""
        master = AESGCM(master_key)
        canary = await store.get_meta(META_CANARY)
        if canary is None:
            await store.put_meta(META_CANARY, _wrap(master, CANARY, b"canary"))
            await store.put_meta(
                META_FINGERPRINT_KEY, _wrap(master, secrets.token_bytes(32), b"fingerprint-key")
            )
        else:
            try:
                _unwrap(master, canary, b"canary")
            except InvalidTag:
                raise VaultError(
                    "the master key does not match the one this database was encrypted with; "
                    "set MASTER_KEY or MASTER_KEY_FILE to the original key"
                ) from None
        wrapped_fp = await store.get_meta(META_FINGERPRINT_KEY)
        if wrapped_fp is None:
            raise VaultError("the database has a vault canary but no fingerprint key")
        return cls(master_key, store, clock, _unwrap(master, wrapped_fp, b"fingerprint-key"))

    def fingerprint(self, value: str) -> bytes:
        """Keyed fingerprint of a secret: lets the guard recognise it without storing it."""
        return hmac.new(self._fingerprint_key, value.encode(), hashlib.sha256).digest()

    async def _user_key(self, user_id: int) -> tuple[int, AESGCM]:
        found = await self._store.data_key_for_user(user_id)
        if found is None:
            raw = secrets.token_bytes(32)
            blob = _wrap(self._master, raw, _data_key_aad(user_id))
            key_id = await self._store.add_data_key(user_id, blob, int(self._clock.now().timestamp()))
            found = (key_id, blob)
        key_id, blob = found
        return key_id, await self._data_key(key_id, expected_user=user_id, blob=blob)

    async def _data_key(self, key_id: int, expected_user: int, blob: bytes | None = None) -> AESGCM:
        cached = self._data_keys.get(key_id)
        if cached is not None and cached[0] == expected_user:
            return cached[1]
        if blob is None:
            row = await self._store.data_key(key_id)
            if row is None or row[0] != expected_user:
                raise VaultError("data key does not belong to this user")
            blob = row[1]
        try:
            aead = AESGCM(_unwrap(self._master, blob, _data_key_aad(expected_user)))
        except InvalidTag:
            raise VaultError("a data key does not open with the master key (a damaged row?)") from None
        self._data_keys[key_id] = (expected_user, aead)
        return aead

    async def seal(self, owner_id: int, key_id: int, field: str, plaintext: str) -> Sealed:
        data_key_id, aead = await self._user_key(owner_id)
        nonce = secrets.token_bytes(NONCE_BYTES)
        ciphertext = aead.encrypt(nonce, plaintext.encode(), _field_aad(owner_id, key_id, field))
        return Sealed(data_key_id, nonce, ciphertext)

    async def open_sealed(self, owner_id: int, key_id: int, field: str, sealed: Sealed) -> str:
        aead = await self._data_key(sealed.data_key_id, expected_user=owner_id)
        try:
            plain = aead.decrypt(sealed.nonce, sealed.ciphertext, _field_aad(owner_id, key_id, field))
        except InvalidTag:
            log.error("a stored secret of key %s (field %s) does not decrypt: damaged row or wrong data key",
                      key_id, field)
            raise VaultError("ciphertext does not belong to this owner, key and field") from None
        return plain.decode()

    async def rotate_master_key(self, new_master_key: bytes) -> int:
        """Re-wrap every data key and the vault metadata under a new master key; returns the count."""
        new = AESGCM(new_master_key)
        data_keys, meta = await self._store.all_wrapped()
        rewrapped = {
            key_id: _wrap(new, _unwrap(self._master, blob, _data_key_aad(user)), _data_key_aad(user))
            for key_id, user, blob in data_keys
        }
        aads = {META_CANARY: b"canary", META_FINGERPRINT_KEY: b"fingerprint-key"}
        new_meta = {
            name: _wrap(new, _unwrap(self._master, meta[name], aad), aad)
            for name, aad in aads.items()
        }
        await self._store.replace_all(rewrapped, new_meta)
        self._master = new
        self._data_keys.clear()
        return len(rewrapped)
