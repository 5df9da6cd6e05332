"""An authenticator app (TOTP, RFC 6238 via pyotp) as the second factor of the unlock, with one-time
recovery codes. The shared secret is sealed by the vault like a venue secret; a code is accepted once
(its time step must be newer than the last accepted one) and within one step of the clock either way;
recovery codes are random, shown once and kept as SHA-256 hashes (they carry 50 bits, so a fast hash
is enough), each spent when used."""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import pyotp
import segno

from bot.vault import Sealed
from domain.clock import Clock
from domain.ports import AuditRepo, SecondFactorRepo

ISSUER = "Key hygiene bot"
RECOVERY_CODES = 10
CODE_WINDOW = 180  # seconds a right code lets the passphrase follow it
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper and typed back


class Sealer(Protocol):
    async def seal(self, owner_id: int, key_id: int, field: str, plaintext: str, locked: bool = False) -> Sealed: ...
    async def open_sealed(self, owner_id: int, key_id: int, field: str, sealed: Sealed) -> str: ...


class CodeResult(StrEnum):
    OK = "ok"
    RECOVERY = "recovery"  # a recovery code, now spent
    WRONG = "wrong"
    OFF = "off"  # no authenticator: nothing to check


@dataclass(frozen=True, slots=True)
class Enrollment:
    """What the user's authenticator needs, shown once: the otpauth:// link as a QR code and as text."""

    uri: str
    secret: str
    qr_png: bytes


@dataclass(frozen=True, slots=True)
class Checked:
    result: CodeResult
    recovery_left: int = 0


def recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace(" ", "").encode()).hexdigest()


class SecondFactor:
    def __init__(self, repo: SecondFactorRepo, vault: Sealer, audit: AuditRepo, clock: Clock) -> None:
        self._repo = repo
        self._vault = vault
        self._audit = audit
        self._clock = clock

    def _now(self) -> int:
        return int(self._clock.now().timestamp())

    async def enabled(self, user_id: int) -> bool:
        state = await self._repo.get(user_id)
        return state is not None and state.active

    async def passed(self, user_id: int) -> bool:
        """A right code was given recently enough for the passphrase to follow it."""
        state = await self._repo.get(user_id)
        return state is not None and (state.passed_until or 0) > self._now()

    async def begin(self, user_id: int, account: str) -> Enrollment:
        """A new secret, sealed and stored as pending until the first code from it arrives."""
        secret = pyotp.random_base32()
        sealed = await self._vault.seal(user_id, 0, "totp", secret)
        await self._repo.put_pending(user_id, sealed.data_key_id, sealed.nonce, sealed.ciphertext, self._now())
        uri = pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)
        png = io.BytesIO()
        segno.make(uri, error="m").save(png, kind="png", scale=8, border=4)
        return Enrollment(uri, secret, png.getvalue())

    async def confirm(self, user_id: int, code: str) -> list[str] | None:
        """The first code from the new secret: switched on, and the recovery codes to show once; None
        when the code is wrong or nothing is pending."""
        state = await self._repo.get(user_id)
        if state is None or state.active:
            return None
        step = await self._matching_step(user_id, state.data_key_id, state.nonce, state.ciphertext, code, 0)
        if step is None:
            return None
        codes = [recovery_code() for _ in range(RECOVERY_CODES)]
        now = self._now()
        async with self._repo.transaction():
            await self._repo.activate(user_id, step, [_digest(c) for c in codes], now)
            await self._audit.add(user_id, None, "totp-on", now)
        return codes

    async def check(self, user_id: int, code: str) -> Checked:
        """A code from the authenticator, or a recovery code."""
        state = await self._repo.get(user_id)
        if state is None or not state.active:
            return Checked(CodeResult.OFF)
        now = self._now()
        step = await self._matching_step(user_id, state.data_key_id, state.nonce, state.ciphertext, code,
                                         state.last_step)
        if step is not None:
            await self._repo.accepted(user_id, step, list(state.recovery), now + CODE_WINDOW, now)
            return Checked(CodeResult.OK)
        digest = _digest(code)
        spent = next((h for h in state.recovery if hmac.compare_digest(h, digest)), None)
        if spent is None:
            return Checked(CodeResult.WRONG)
        left = [h for h in state.recovery if h != spent]
        async with self._repo.transaction():
            await self._repo.accepted(user_id, None, left, now + CODE_WINDOW, now)
            await self._audit.add(user_id, None, "recovery-code-used", now, str(len(left)))
        return Checked(CodeResult.RECOVERY, len(left))

    async def spend(self, user_id: int) -> None:
        await self._repo.spend(user_id)

    async def remove(self, user_id: int) -> None:
        now = self._now()
        async with self._repo.transaction():
            had = await self._repo.get(user_id)
            await self._repo.clear(user_id)
            if had is not None and had.active:
                await self._audit.add(user_id, None, "totp-off", now)

    async def _matching_step(self, user_id: int, data_key_id: int, nonce: bytes, ciphertext: bytes, code: str,
                             after: int) -> int | None:
        """The time step (now, or one either side for clock drift) whose code this is, if newer than
        `after`: a code seen once is refused the second time."""
        digits = code.strip().replace(" ", "")
        if len(digits) != 6 or not digits.isdigit():
            return None
        totp = pyotp.TOTP(await self._vault.open_sealed(user_id, 0, "totp", Sealed(data_key_id, nonce, ciphertext)))
        now = self._now()
        current = totp.timecode(now)
        for offset in (-1, 0, 1):
            step = current + offset
            if step > after and hmac.compare_digest(totp.at(now, counter_offset=offset), digits):
                return step
        return None
