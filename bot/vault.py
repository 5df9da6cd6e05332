"""Envelope encryption of secrets with AES-256-GCM.

A master key (held by a KeyWrapper: a key file, MASTER_KEY or an HSM) wraps one data key per user;
every ciphertext is bound by its associated data to (owner, key id, field), so a row copied to another
user or key fails to decrypt. The master key
also wraps the key used for secret fingerprints (HMAC), so rotating it touches no ciphertext.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from argon2.profiles import RFC_9106_LOW_MEMORY
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.keywrap import KeyWrapper, VaultError, WrapFailed
from domain.clock import Clock
from domain.models import WrappedKey
from domain.ports import VaultStore

log = logging.getLogger(__name__)

__all__ = ["Locked", "Sealed", "Vault", "VaultError"]

NONCE_BYTES = 12
CANARY = b"keyhygiene vault canary v1"
META_CANARY = "vault_canary"
META_FINGERPRINT_KEY = "fingerprint_key"


@dataclass(frozen=True, slots=True)
class Sealed:
    data_key_id: int
    nonce: bytes
    ciphertext: bytes


def _data_key_aad(user_id: int) -> bytes:
    return f"data-key|{user_id}".encode()


def _field_aad(owner_id: int, key_id: int, field: str) -> bytes:
    return f"secret|{owner_id}|{key_id}|{field}".encode()


class Locked(Exception):
    """The secret is locked with the user's passphrase, and the user has not unlocked."""


def _locked_key_aad(user_id: int) -> bytes:
    return f"locked-key|{user_id}".encode()


def passphrase_key(passphrase: str, salt: bytes) -> bytes:
    """The key sealing a user's locked data key: Argon2id (RFC 9106 low-memory profile), 32 bytes.
    Memory-hard, so a copied database and master key still leave the passphrase to guess, slowly."""
    params = RFC_9106_LOW_MEMORY
    return hash_secret_raw(passphrase.encode(), salt, time_cost=params.time_cost, memory_cost=params.memory_cost,
                           parallelism=params.parallelism, hash_len=32, type=Type.ID)


@dataclass(frozen=True, slots=True)
class _Open:
    """A user's locked data key while the user is unlocked."""

    until: int
    key_id: int
    raw: bytes
    aead: AESGCM


class Vault:
    """Seals and opens secrets. Two data keys per user: the "server" one, opened by the master key alone
    (unattended checks work), and the "locked" one, which also needs the user's passphrase and stays
    open in memory only while the user is unlocked (never on disk, gone at /lock or a restart)."""

    def __init__(self, wrapper: KeyWrapper, store: VaultStore, clock: Clock, fingerprint_key: bytes) -> None:
        self._master = wrapper
        self._store = store
        self._clock = clock
        self._fingerprint_key = fingerprint_key
        self._data_keys: dict[int, tuple[int, AESGCM]] = {}
        self._unlocked: dict[int, _Open] = {}

    @property
    def master_origin(self) -> str:
        return self._master.origin

    @classmethod
    async def open(cls, wrapper: KeyWrapper, store: VaultStore, clock: Clock) -> Vault:
        """Check the master key against the database's canary; set the vault up on first use."""
        canary = await store.get_meta(META_CANARY)
        if canary is None:
            await store.put_meta(META_CANARY, await wrapper.wrap(CANARY, b"canary"))
            await store.put_meta(
                META_FINGERPRINT_KEY, await wrapper.wrap(secrets.token_bytes(32), b"fingerprint-key")
            )
        else:
            try:
                await wrapper.unwrap(canary, b"canary")
            except WrapFailed:
                raise VaultError(
                    f"the master key ({wrapper.origin}) does not match the one this database was encrypted "
                    "with; point the settings at the original key (after rotate-master-key: the one it printed)"
                ) from None
        wrapped_fp = await store.get_meta(META_FINGERPRINT_KEY)
        if wrapped_fp is None:
            raise VaultError("the database has a vault canary but no fingerprint key")
        return cls(wrapper, store, clock, await wrapper.unwrap(wrapped_fp, b"fingerprint-key"))

    def fingerprint(self, value: str) -> bytes:
        """Keyed fingerprint of a secret: lets the guard recognise it without storing it."""
        return hmac.new(self._fingerprint_key, value.encode(), hashlib.sha256).digest()

    async def _user_key(self, user_id: int) -> tuple[int, AESGCM]:
        found = await self._store.data_key_for_user(user_id)
        if found is None:
            raw = secrets.token_bytes(32)
            blob = await self._master.wrap(raw, _data_key_aad(user_id))
            key_id = await self._store.add_data_key(user_id, blob, self._now())
            return key_id, await self._data_key(key_id, expected_user=user_id, blob=blob)
        return found.id, await self._data_key(found.id, expected_user=user_id, blob=found.wrapped)

    def _now(self) -> int:
        return int(self._clock.now().timestamp())

    # --- the locked data key ---------------------------------------------------------------------------

    def _open_locked(self, user_id: int) -> _Open | None:
        entry = self._unlocked.get(user_id)
        if entry is not None and entry.until <= self._now():
            del self._unlocked[user_id]
            return None
        return entry

    def is_unlocked(self, user_id: int) -> bool:
        return self._open_locked(user_id) is not None

    async def unlock(self, user_id: int, passphrase: str, until: int) -> None:
        """Open the user's locked data key with the passphrase (made on first use) and keep it in memory
        until `until`. VaultError when the passphrase does not open it (changed without re-sealing)."""
        row = await self._store.data_key_for_user(user_id, "locked")
        if row is None:
            raw = secrets.token_bytes(32)
            blob, salt = await self._seal_locked(user_id, raw, passphrase)
            key_id = await self._store.add_data_key(user_id, blob, self._now(), kind="locked", salt=salt)
        else:
            key_id, raw = row.id, await self._open_locked_row(row, passphrase)
        self._unlocked[user_id] = _Open(until, key_id, raw, AESGCM(raw))

    def lock(self, user_id: int) -> None:
        self._unlocked.pop(user_id, None)

    async def forget_locked(self, user_id: int) -> None:
        """The passphrase is turned off: its locked data key goes (the caller made sure nothing uses it)."""
        await self._store.drop_locked(user_id)

    async def reseal_locked(self, user_id: int, new_passphrase: str) -> None:
        """A new passphrase: the locked data key (open in memory, the user having just given the current
        one) sealed again under it. Locked when it exists but is not open."""
        if await self._store.data_key_for_user(user_id, "locked") is None:
            return  # made at the next unlock
        opened = self._open_locked(user_id)
        if opened is None:
            raise Locked
        blob, salt = await self._seal_locked(user_id, opened.raw, new_passphrase)
        await self._store.rewrap(opened.key_id, blob, salt)

    async def _seal_locked(self, user_id: int, raw: bytes, passphrase: str) -> tuple[bytes, bytes]:
        salt = secrets.token_bytes(16)
        inner_key = AESGCM(await asyncio.to_thread(passphrase_key, passphrase, salt))
        nonce = secrets.token_bytes(NONCE_BYTES)
        inner = nonce + inner_key.encrypt(nonce, raw, _locked_key_aad(user_id))
        return await self._master.wrap(inner, _locked_key_aad(user_id)), salt

    async def _open_locked_row(self, row: WrappedKey, passphrase: str) -> bytes:
        if row.salt is None:
            raise VaultError("a locked data key has no salt (a damaged row?)")
        try:
            inner = await self._master.unwrap(row.wrapped, _locked_key_aad(row.user_id))
        except WrapFailed:
            raise VaultError("a locked data key does not open with the master key (a damaged row?)") from None
        inner_key = AESGCM(await asyncio.to_thread(passphrase_key, passphrase, row.salt))
        try:
            return inner_key.decrypt(inner[:NONCE_BYTES], inner[NONCE_BYTES:], _locked_key_aad(row.user_id))
        except InvalidTag:
            raise VaultError("the passphrase does not open this user's locked data key") from None

    async def _data_key(self, key_id: int, expected_user: int, blob: bytes | None = None) -> AESGCM:
        cached = self._data_keys.get(key_id)
        if cached is not None and cached[0] == expected_user:
            return cached[1]
        unlocked = self._open_locked(expected_user)
        if unlocked is not None and unlocked.key_id == key_id:
            return unlocked.aead
        if blob is None:
            row = await self._store.data_key(key_id)
            if row is None or row.user_id != expected_user:
                raise VaultError("data key does not belong to this user")
            if row.kind == "locked":
                raise Locked
            blob = row.wrapped
        try:
            aead = AESGCM(await self._master.unwrap(blob, _data_key_aad(expected_user)))
        except WrapFailed:
            raise VaultError("a data key does not open with the master key (a damaged row?)") from None
        self._data_keys[key_id] = (expected_user, aead)
        return aead

    async def seal(self, owner_id: int, key_id: int, field: str, plaintext: str, locked: bool = False) -> Sealed:
        """Under the owner's server data key, or with `locked` under the locked one (Locked if not open)."""
        if locked:
            opened = self._open_locked(owner_id)
            if opened is None:
                raise Locked
            data_key_id, aead = opened.key_id, opened.aead
        else:
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

    async def rotate_master_key(self, new: KeyWrapper) -> int:
        """Re-wrap every data key and the vault metadata under a new master key, which may live somewhere
        else (a key file → an HSM); returns the count. Ciphertexts are untouched."""
        data_keys, meta = await self._store.all_wrapped()
        rewrapped = {}
        for row in data_keys:  # a locked key's outer layer only: its inner one needs the user's passphrase
            aad = _locked_key_aad(row.user_id) if row.kind == "locked" else _data_key_aad(row.user_id)
            rewrapped[row.id] = await new.wrap(await self._master.unwrap(row.wrapped, aad), aad)
        aads = {META_CANARY: b"canary", META_FINGERPRINT_KEY: b"fingerprint-key"}
        new_meta = {name: await new.wrap(await self._master.unwrap(meta[name], aad), aad)
                    for name, aad in aads.items()}
        await self._store.replace_all(rewrapped, new_meta)
        self._master = new
        self._data_keys.clear()
        return len(rewrapped)
