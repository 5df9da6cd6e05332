"""Envelope encryption of secrets with AES-256-GCM.

A master key (held by a KeyWrapper: a key file, MASTER_KEY or an HSM) wraps one data key per user;
every ciphertext is bound by its associated data to (owner, key id, field), so a row copied to another
user or key fails to decrypt. The master key
also wraps the key used for secret fingerprints (HMAC), so rotating it touches no ciphertext.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.keywrap import KeyWrapper, VaultError, WrapFailed
from domain.clock import Clock
from domain.ports import VaultStore

log = logging.getLogger(__name__)

__all__ = ["Sealed", "Vault", "VaultError"]

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


class Vault:
    def __init__(self, wrapper: KeyWrapper, store: VaultStore, clock: Clock, fingerprint_key: bytes) -> None:
        self._master = wrapper
        self._store = store
        self._clock = clock
        self._fingerprint_key = fingerprint_key
        self._data_keys: dict[int, tuple[int, AESGCM]] = {}

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
            aead = AESGCM(await self._master.unwrap(blob, _data_key_aad(expected_user)))
        except WrapFailed:
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

    async def rotate_master_key(self, new: KeyWrapper) -> int:
        """Re-wrap every data key and the vault metadata under a new master key, which may live somewhere
        else (a key file → an HSM); returns the count. Ciphertexts are untouched."""
        data_keys, meta = await self._store.all_wrapped()
        rewrapped = {
            key_id: await new.wrap(await self._master.unwrap(blob, _data_key_aad(user)), _data_key_aad(user))
            for key_id, user, blob in data_keys
        }
        aads = {META_CANARY: b"canary", META_FINGERPRINT_KEY: b"fingerprint-key"}
        new_meta = {name: await new.wrap(await self._master.unwrap(meta[name], aad), aad)
                    for name, aad in aads.items()}
        await self._store.replace_all(rewrapped, new_meta)
        self._master = new
        self._data_keys.clear()
        return len(rewrapped)
