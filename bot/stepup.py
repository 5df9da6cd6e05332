"""Step-up: an unlock passphrase (or PIN) the user can set, asked before dangerous actions (reveal, delete,
changing it), so a stolen Telegram session alone cannot read the stored secrets.

Only an Argon2id hash is stored (argon2-cffi, RFC 9106 parameters), computed off the event loop. Wrong
attempts back off: from the third in a row each one blocks further tries for twice as long (30 s, 1 min,
2 min … at most a day), and the user is told of the streak. Unlocking lasts `unlock_seconds`; /lock ends
it. The passphrase itself is never kept, logged or put in FSM data."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.keywrap import VaultError
from bot.second_factor import CodeResult, SecondFactor
from domain.clock import Clock
from domain.models import UnlockState
from domain.ports import AuditRepo, UnlockRepo

log = logging.getLogger(__name__)

MIN_LENGTH = 6  # a 6-digit PIN at the least; the backoff, not the length, is what stops guessing
MAX_LENGTH = 256
FREE_TRIES = 2  # wrong attempts before the backoff starts
FIRST_BLOCK = 30  # seconds, doubled on every further wrong attempt
LONGEST_BLOCK = 24 * 3600
WARN_AFTER = 3  # wrong attempts in a row after which the user is told someone may be trying


class Outcome(StrEnum):
    UNLOCKED = "unlocked"
    WRONG = "wrong"
    BLOCKED = "blocked"  # too many wrong attempts: try again at `retry_at`
    NOT_SET = "not_set"
    NEED_CODE = "need_code"  # the authenticator's code comes first
    CODE_OK = "code_ok"  # now the passphrase


@dataclass(frozen=True, slots=True)
class Attempt:
    outcome: Outcome
    failures: int = 0  # wrong attempts in a row, this one included
    retry_at: int | None = None  # when the next attempt is accepted (BLOCKED, or WRONG that started a block)
    unlocked_until: int | None = None
    recovery_left: int | None = None  # a recovery code was used: how many remain

    @property
    def warn(self) -> bool:
        """Tell the user: this is the attempt that made the streak suspicious."""
        return self.outcome == Outcome.WRONG and self.failures == WARN_AFTER


class BadPassphrase(ValueError):
    """Too short or too long; the message is a locale key."""


def block_seconds(failures: int) -> int:
    if failures <= FREE_TRIES:
        return 0
    return int(min(LONGEST_BLOCK, FIRST_BLOCK * 2 ** (failures - FREE_TRIES - 1)))


class Locker(Protocol):
    """The vault's side of unlocking: the data key locked with the passphrase, open only while unlocked."""

    def is_unlocked(self, user_id: int) -> bool: ...
    async def unlock(self, user_id: int, passphrase: str, until: int) -> None: ...
    def lock(self, user_id: int) -> None: ...
    async def reseal_locked(self, user_id: int, new_passphrase: str) -> None: ...
    async def forget_locked(self, user_id: int) -> None: ...


class StepUp:
    def __init__(self, repo: UnlockRepo, audit: AuditRepo, clock: Clock, unlock_seconds: int, locker: Locker,
                 second: SecondFactor, hasher: PasswordHasher | None = None) -> None:
        self._repo = repo
        self.second = second
        self._audit = audit
        self._clock = clock
        self.unlock_seconds = unlock_seconds
        self._locker = locker
        self._hasher = hasher or PasswordHasher()  # Argon2id, RFC 9106 low-memory profile

    def now(self) -> int:
        return int(self._clock.now().timestamp())

    async def state(self, user_id: int) -> UnlockState | None:
        return await self._repo.get(user_id)

    async def has_passphrase(self, user_id: int) -> bool:
        state = await self._repo.get(user_id)
        return state is not None and state.hash is not None

    async def required(self, user_id: int, locked_key: bool = False) -> bool:
        """A dangerous action needs the passphrase now: one is set and the user is not unlocked. With
        `locked_key` (the action opens a key locked with the passphrase) also when the locked data key is
        not open in memory, as after a restart within the unlocked period."""
        if locked_key and not self._locker.is_unlocked(user_id):
            return True
        state = await self._repo.get(user_id)
        return state is not None and state.hash is not None and (state.unlocked_until or 0) <= self.now()

    async def begin_setting(self, user_id: int, passphrase: str) -> None:
        """The first entry of a new passphrase: kept as a pending hash until it is repeated."""
        _check(passphrase)
        hashed = await asyncio.to_thread(self._hasher.hash, passphrase)
        await self._repo.put_pending(user_id, hashed, self.now())

    async def confirm_setting(self, user_id: int, passphrase: str) -> bool:
        """The repeat: when it matches the pending hash, that becomes the passphrase (and the user is
        unlocked, having just proved it). False, and nothing changed, when it does not match."""
        state = await self._repo.get(user_id)
        if state is None or state.pending is None or not await self._matches(state.pending, passphrase):
            return False
        now = self.now()
        until = now + self.unlock_seconds
        # The hash and the locked data key change together: a crash between them would leave keys that
        # the accepted passphrase cannot open. Locked (from the vault) when a change finds it closed.
        async with self._repo.transaction():
            if state.hash is not None:
                await self._locker.reseal_locked(user_id, passphrase)
            await self._repo.activate_pending(user_id, until, now)
            await self._locker.unlock(user_id, passphrase, until)
            await self._audit.add(user_id, None, "passphrase-set", now)
        return True

    async def remove(self, user_id: int, reset: bool = False) -> None:
        """Turn step-up off: the caller has just checked the passphrase, or (`reset`) destroyed every
        secret because it is forgotten."""
        now = self.now()
        async with self._repo.transaction():
            await self._repo.clear(user_id)
            await self.second.remove(user_id)
            await self._locker.forget_locked(user_id)
            await self._audit.add(user_id, None, "passphrase-reset" if reset else "passphrase-removed", now)
        self._locker.lock(user_id)

    async def needs_code(self, user_id: int) -> bool:
        """The authenticator's code is asked before the passphrase (and was not given just now)."""
        return await self.second.enabled(user_id) and not await self.second.passed(user_id)

    async def check_code(self, user_id: int, code: str) -> Attempt:
        """The first step of an unlock when an authenticator is on; wrong codes count in the same streak
        as wrong passphrases."""
        now = self.now()
        allowed = await self._may_try(user_id, now)
        if isinstance(allowed, Attempt):
            return allowed
        _hash, state = allowed
        checked = await self.second.check(user_id, code)
        if checked.result == CodeResult.WRONG:
            return await self._failed(user_id, state.failures, now)
        left = checked.recovery_left if checked.result == CodeResult.RECOVERY else None
        return Attempt(Outcome.CODE_OK, recovery_left=left)

    async def _failed(self, user_id: int, failures_before: int, now: int) -> Attempt:
        failures = failures_before + 1
        block = block_seconds(failures)
        retry_at = now + block if block else None
        async with self._repo.transaction():
            await self._repo.failed(user_id, failures, retry_at, now)
            await self._audit.add(user_id, None, "unlock-failed", now, str(failures))
        return Attempt(Outcome.WRONG, failures, retry_at)

    async def _may_try(self, user_id: int, now: int) -> tuple[str, UnlockState] | Attempt:
        """The passphrase hash and the user's state, or why no attempt is taken now (no passphrase, or
        blocked by the backoff)."""
        state = await self._repo.get(user_id)
        if state is None or state.hash is None:
            return Attempt(Outcome.NOT_SET)
        if (state.blocked_until or 0) > now:
            return Attempt(Outcome.BLOCKED, state.failures, state.blocked_until)
        return state.hash, state

    async def unlock(self, user_id: int, passphrase: str) -> Attempt:
        now = self.now()
        allowed = await self._may_try(user_id, now)
        if isinstance(allowed, Attempt):
            return allowed
        hashed, state = allowed
        if await self.needs_code(user_id):
            return Attempt(Outcome.NEED_CODE)
        if await self._matches(hashed, passphrase):
            until = now + self.unlock_seconds
            try:
                await self._locker.unlock(user_id, passphrase, until)
            except VaultError:  # cannot happen while hash and locked key change together; say so if it does
                log.error("user %s: the passphrase matches its hash but does not open the locked data key", user_id)
            async with self._repo.transaction():
                await self._repo.unlocked(user_id, until, now)
                await self.second.spend(user_id)
                await self._audit.add(user_id, None, "unlock", now)
            return Attempt(Outcome.UNLOCKED, unlocked_until=until)
        return await self._failed(user_id, state.failures, now)

    def is_open(self, user_id: int) -> bool:
        """Keys locked with the passphrase can be read now."""
        return self._locker.is_unlocked(user_id)

    async def lock(self, user_id: int) -> bool:
        """End the unlocked period now; False when there was none."""
        was_open = self._locker.is_unlocked(user_id)
        self._locker.lock(user_id)
        state = await self._repo.get(user_id)
        if state is None or (state.unlocked_until or 0) <= self.now():
            return was_open
        await self._repo.unlocked(user_id, None, self.now())
        return True

    async def _matches(self, hashed: str, passphrase: str) -> bool:
        try:
            return await asyncio.to_thread(self._hasher.verify, hashed, passphrase)
        except (VerificationError, InvalidHashError):
            return False


def _check(passphrase: str) -> None:
    if len(passphrase) < MIN_LENGTH:
        raise BadPassphrase("passphrase-too-short")
    if len(passphrase) > MAX_LENGTH:
        raise BadPassphrase("passphrase-too-long")
