"""Where the master key lives. A KeyWrapper seals and opens the vault's small secrets (data keys, the
fingerprint key, the canary) with AES-256-GCM under the master key:

- `LocalKeyWrapper`: the key in this process's memory, read from a key file (the embedded default,
  generated on first run) or from MASTER_KEY;
- `Pkcs11KeyWrapper`: the key inside a PKCS#11 token (YubiHSM, CloudHSM, SoftHSM2…), created there
  non-extractable, so the key never enters this process and a copy of the data folder opens nothing.

All three produce the same blob, nonce ‖ ciphertext ‖ tag, so rotate-master-key moves a database from
one to another by re-wrapping.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.config import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)

NONCE_BYTES = 12
# What to do about the labelled key in the token: use it, make it when missing (a new database), or
# make a new one and refuse to reuse an existing key (rotation).
Create = Literal["never", "if-missing", "new"]


class VaultError(Exception):
    """The vault cannot be used; the message is safe to show an operator."""


class WrapFailed(Exception):
    """A blob does not open with this master key (another key, or a damaged row)."""


class KeyWrapper(Protocol):
    origin: str
    """Where the key is, for messages: 'the key file data/master.key', 'MASTER_KEY', 'HSM key …'."""

    async def wrap(self, plaintext: bytes, aad: bytes) -> bytes: ...

    async def unwrap(self, blob: bytes, aad: bytes) -> bytes:
        """The plaintext, or WrapFailed."""
        ...

    def close(self) -> None: ...


class LocalKeyWrapper:
    """AES-GCM with the key in memory: microseconds, so it runs inline."""

    def __init__(self, key: bytes, origin: str = "a key given in code") -> None:
        self._aead = AESGCM(key)
        self.origin = origin

    async def wrap(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, aad)

    async def unwrap(self, blob: bytes, aad: bytes) -> bytes:
        try:
            return self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            raise WrapFailed from None

    def close(self) -> None:
        pass


class _Token:
    """One logged-in session per token and process, shared by every wrapper on that token: PKCS#11 keeps
    the login per application, not per session (a second C_Login fails, and closing one session's
    login would log the others out), so this one piece of state is process-wide, like the module's.
    Its own thread runs every call: a session runs one operation at a time, and a network HSM answers
    in milliseconds the event loop must not wait out."""

    _open: ClassVar[dict[tuple[str, str], _Token]] = {}
    _guard = threading.Lock()

    def __init__(self, module: Path, label: str, pin: str) -> None:
        self.name = (str(module), label)
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pkcs11")
        self.users = 0
        try:
            self.session = self.thread.submit(self._login, module, label, pin).result()
        except BaseException:
            self.thread.shutdown()
            raise

    @staticmethod
    def _login(module: Path, label: str, pin: str) -> Any:
        import pkcs11  # an optional dependency: `pip install -e ".[hsm]"`
        from pkcs11.exceptions import NoSuchToken, PKCS11Error

        try:
            return pkcs11.lib(str(module)).get_token(token_label=label).open(user_pin=pin, rw=True)
        except NoSuchToken:
            raise VaultError(f"no PKCS#11 token labelled {label!r} in {module}") from None
        except PKCS11Error as exc:
            raise VaultError(f"cannot open the PKCS#11 token {label!r} ({type(exc).__name__}); "
                             "check PKCS11_MODULE and PKCS11_PIN") from None

    @classmethod
    def acquire(cls, module: Path, label: str, pin: str) -> _Token:
        with cls._guard:
            token = cls._open.get((str(module), label))
            if token is None:
                token = _Token(module, label, pin)
                cls._open[token.name] = token
            token.users += 1
            return token

    def release(self) -> None:
        with self._guard:
            self.users -= 1
            if self.users:
                return
            del self._open[self.name]
        self.thread.submit(self.session.close).result()
        self.thread.shutdown()


class Pkcs11KeyWrapper:
    """AES-GCM inside a PKCS#11 token, with a key made there and never extractable. The vault caches
    what it unwraps, so this is called at start-up, for new users and when rotating."""

    def __init__(self, module: Path, token_label: str, pin: str, key_label: str, *, create: Create) -> None:
        self.origin = f"the HSM key {key_label!r} in token {token_label!r}"
        self._token: _Token | None = _Token.acquire(module, token_label, pin)
        try:
            self._key: Any = self._token.thread.submit(self._find, key_label, create).result()
        except BaseException:
            self.close()
            raise

    def _find(self, key_label: str, create: Create) -> Any:
        from pkcs11 import Attribute, KeyType
        from pkcs11.exceptions import NoSuchKey

        assert self._token is not None
        session = self._token.session
        try:
            key = session.get_key(label=key_label, key_type=KeyType.AES)
        except NoSuchKey:
            if create == "never":
                raise VaultError(f"the PKCS#11 token holds no AES key labelled {key_label!r}") from None
            # Made in the token, never extractable: no copy of the master key exists outside it.
            key = session.generate_key(KeyType.AES, 256, label=key_label, store=True,
                                       template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False})
            log.warning("Generated the master key %s; it cannot be exported, so back the token up the way "
                        "your HSM documents.", self.origin)
            return key
        if create == "new":
            raise VaultError(f"the token already holds a key labelled {key_label!r}; pick another "
                             "PKCS11_KEY_LABEL (or --label) for the new master key")
        return key

    async def _run(self, call: Callable[[], bytes]) -> bytes:
        assert self._token is not None, "the wrapper is closed"
        return await asyncio.get_running_loop().run_in_executor(self._token.thread, call)

    async def wrap(self, plaintext: bytes, aad: bytes) -> bytes:
        from pkcs11 import Mechanism
        from pkcs11.mechanisms import GCMParams

        nonce = secrets.token_bytes(NONCE_BYTES)
        params = GCMParams(nonce, aad, 128)
        ciphertext = await self._run(
            lambda: bytes(self._key.encrypt(plaintext, mechanism=Mechanism.AES_GCM, mechanism_param=params)))
        return nonce + ciphertext

    async def unwrap(self, blob: bytes, aad: bytes) -> bytes:
        from pkcs11 import Mechanism
        from pkcs11.exceptions import PKCS11Error
        from pkcs11.mechanisms import GCMParams

        params = GCMParams(blob[:NONCE_BYTES], aad, 128)
        try:
            return await self._run(lambda: bytes(self._key.decrypt(
                blob[NONCE_BYTES:], mechanism=Mechanism.AES_GCM, mechanism_param=params)))
        except PKCS11Error:  # SoftHSM2 answers a bad tag with CKR_GENERAL_ERROR, others CKR_ENCRYPTED_DATA_INVALID
            raise WrapFailed from None

    def close(self) -> None:
        token, self._token = self._token, None
        if token is not None:
            token.release()


# --- the key file and MASTER_KEY ------------------------------------------------------------------------


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
        AESGCM(key).decrypt(canary[:NONCE_BYTES], canary[NONCE_BYTES:], b"canary")
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
    if settings.resolved_master_key_backend() == "env":
        if settings.master_key is None:
            raise VaultError("MASTER_KEY_BACKEND=env needs MASTER_KEY")
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
        hint = " (rotate-master-key moved it to the HSM? set MASTER_KEY_BACKEND=pkcs11)" \
            if settings.pkcs11_module is not None else ""
        raise VaultError(
            f"the database holds encrypted secrets but the master key file {path} is missing{hint}: restore "
            "it from your backup, or set MASTER_KEY. A new key would make every stored secret unreadable, so "
            "none was generated")
    key = secrets.token_bytes(32)
    write_key_file(path, key)
    log.warning(
        "No MASTER_KEY or MASTER_KEY_FILE set: generated a new master key in %s (mode 0600). "
        "Back it up: without it the stored secrets cannot be decrypted.",
        path,
    )
    return key


def open_pkcs11(settings: Settings, key_label: str | None = None, *, create: Create) -> Pkcs11KeyWrapper:
    if settings.pkcs11_module is None or settings.pkcs11_pin is None:
        raise VaultError("MASTER_KEY_BACKEND=pkcs11 needs PKCS11_MODULE (the module's .so) and PKCS11_PIN")
    return Pkcs11KeyWrapper(settings.pkcs11_module, settings.pkcs11_token_label,
                            settings.pkcs11_pin.get_secret_value(), key_label or settings.pkcs11_key_label,
                            create=create)


def open_wrapper(settings: Settings, canary: bytes | None) -> KeyWrapper:
    """The configured master key. `canary` is None for a new database: only then is a key created."""
    backend = settings.resolved_master_key_backend()
    if backend == "pkcs11":
        return open_pkcs11(settings, create="if-missing" if canary is None else "never")
    origin = "MASTER_KEY" if backend == "env" else f"the key file {settings.resolved_master_key_file()}"
    return LocalKeyWrapper(load_master_key(settings, canary), origin)

