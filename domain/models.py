"""Plain records the repositories return. Times are UTC unix seconds."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import StrEnum
from typing import Any


class KeyStatus(StrEnum):
    PENDING = "pending"  # set up in the bot, credentials not pasted yet
    ACTIVE = "active"
    DISABLED = "disabled"
    DELETED = "deleted"


class ExpiryKind(StrEnum):
    NONE = "none"  # the key does not expire
    VENUE = "venue"  # the venue expires it at expires_at
    REMIND = "remind"  # no venue expiry; the user asked to be reminded at expires_at


@dataclass(slots=True)
class User:
    id: int
    language: str
    timezone: str = "UTC"
    quiet_start: int | None = None  # minutes after local midnight
    quiet_end: int | None = None
    digest: bool = False
    digest_minute: int = 9 * 60
    unused_days: int = 30
    rotation_days: int = 90


@dataclass(slots=True)
class KeyRecord:
    id: int
    owner_id: int
    venue: str
    environment: str
    name: str
    permissions: list[str]
    read_only: bool | None
    ip_allowlist: list[str]
    expiry_kind: ExpiryKind
    expires_at: int | None
    status: KeyStatus
    created_at: int
    host: str | None = None
    masked_id: str | None = None
    rotation_pending: bool = False
    activated_at: int | None = None
    last_used_at: int | None = None
    last_verified_at: int | None = None
    verify_outcome: str | None = None
    verify_code: str | None = None
    health_check: bool = False
    rotated_at: int | None = None
    version: int = 0  # bumped by every change: buttons drawn for an older version are outdated
    compromised_at: int | None = None  # a leak of it was seen and it has not been revoked since
    # The last successful check's differences from the record ({"kind", "args"}), kept until a later
    # check clears them, and the venue's own view of the key ({"permissions", "ips", "read_only"}).
    drift: list[dict[str, Any]] | None = None
    venue_state: dict[str, Any] | None = None
    storage: str = "server"  # server: sealed credentials kept | fingerprint: no secret, only its fingerprints


@dataclass(slots=True)
class NewKey:
    owner_id: int
    venue: str
    environment: str
    name: str
    permissions: list[str]
    read_only: bool | None
    ip_allowlist: list[str]
    expiry_kind: ExpiryKind
    expires_at: int | None
    host: str | None = None
    activate: bool = True


@dataclass(slots=True)
class AuditEntry:
    action: str
    detail: str
    at: int
    key_id: int | None = None
    id: int = 0


@dataclass(slots=True)
class SealedField:
    field: str
    data_key_id: int
    nonce: bytes
    ciphertext: bytes
    fingerprint: bytes = dc_field(repr=False)


@dataclass(frozen=True, slots=True)
class BusinessLink:
    id: str
    owner_id: int
    can_read: bool  # the bot receives the owner's private chats
    can_delete: bool  # "delete all messages": the bot may remove leaks there
    enabled: bool


@dataclass(frozen=True, slots=True)
class LeakReminder:
    chat_id: int
    message_id: int
    user_id: int
    kinds: str
    created_at: int


@dataclass(frozen=True, slots=True)
class LeakStats:
    open: int
    revoked: int
    median_seconds: int | None  # from leak to revocation, over the revoked ones


@dataclass(frozen=True, slots=True)
class GroupGuard:
    chat_id: int
    mode: str  # on | off | dryrun
    warned_no_rights: bool


@dataclass(frozen=True, slots=True)
class ReminderRow:
    id: int
    owner_id: int
    key_id: int
    kind: str
    due_at: int
    send_after: int
    state: str


@dataclass(frozen=True, slots=True)
class UnlockState:
    """A user's step-up: Argon2id hashes only (the passphrase itself is never kept)."""

    hash: str | None  # the passphrase in force; None while only a pending one exists
    pending: str | None  # entered once, waiting for the repeat
    failures: int  # wrong attempts in a row
    blocked_until: int | None
    unlocked_until: int | None


@dataclass(frozen=True, slots=True)
class WrappedKey:
    """A data key as stored: sealed by the master key (and, for kind "locked", first by the user's
    passphrase-derived key, with `salt`)."""

    id: int
    user_id: int
    wrapped: bytes
    kind: str  # server | locked
    salt: bytes | None = None


@dataclass(frozen=True, slots=True)
class SecondFactorState:
    """A user's authenticator: the sealed TOTP secret (never in plaintext here) and its bookkeeping."""

    data_key_id: int
    nonce: bytes
    ciphertext: bytes
    active: bool
    last_step: int
    recovery: tuple[str, ...]  # SHA-256 hex of each unused recovery code
    passed_until: int | None
