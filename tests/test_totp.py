"""An authenticator app as the second factor of the unlock, through the real dispatcher on a frozen clock:
adding it (QR code and setup key in a protected message that deletes itself), the code before the
passphrase, codes used once, recovery codes, the code's window, and nothing secret kept in the clear."""

from __future__ import annotations

import logging
import re

import pyotp
import pytest

from tests.harness import USER, Harness
from tests.test_stepup import PASSPHRASE, _open_card, _revealed, _with_passphrase


async def _add_authenticator(h: Harness) -> tuple[pyotp.TOTP, list[str]]:
    await _with_passphrase(h)  # the unlocked period that setting it began is over
    await h.me.send("/settings")
    await h.me.press("Unlock passphrase", expect="Authenticator: off")
    await h.me.press("Add an authenticator", expect="needs your unlock")  # it could lock the owner out
    await h.me.send(PASSPHRASE, expect="Send the 6-digit code your app shows now")
    [qr] = [m for m in h.me.bot_messages() if m.photo is not None]
    assert qr.protect_content
    secret = re.search(r"[A-Z2-7]{32}", qr.caption or "")
    assert secret is not None
    totp = pyotp.TOTP(secret.group(0))
    await h.me.send("123456", expect="That code does not match")
    reply = await h.me.send(totp.at(h.clock.now()), expect="Authenticator added")
    assert reply.deleted
    listing = next(m for m in h.me.bot_messages() if "Recovery codes" in (m.text or ""))
    assert listing.protect_content
    codes = re.findall(r"\b[a-z2-9]{5}-[a-z2-9]{5}\b", listing.text or "")
    assert len(codes) == 10
    h.clock.advance(seconds=301)
    return totp, codes


async def test_adding_an_authenticator_shows_its_secret_once(h: Harness) -> None:
    await _add_authenticator(h)
    qr = next(m for m in h.me.bot_messages() if m.photo is not None)
    listing = next(m for m in h.me.bot_messages() if "Recovery codes" in (m.text or ""))
    await h.tick()
    assert qr.deleted  # its five minutes are over
    assert not listing.deleted  # ten minutes to write the codes down
    h.clock.advance(seconds=300)
    await h.tick()
    assert listing.deleted


async def test_the_code_comes_before_the_passphrase_and_counts_as_an_attempt(h: Harness) -> None:
    totp, _codes = await _add_authenticator(h)
    await _open_card(h)
    await h.me.press("Reveal", expect="First send the 6-digit code")
    wrong = await h.me.send("000000", expect="Wrong code (1 wrong attempts in a row)")
    assert wrong.deleted
    await h.me.send(PASSPHRASE, expect="Wrong code (2")  # the passphrase in place of the code is no code
    await h.me.send(totp.at(h.clock.now()), expect="Code accepted")
    await h.me.send(PASSPHRASE, expect="Show the secret")
    await h.me.press("Yes, I am sure")
    assert _revealed(h)


async def test_a_code_is_accepted_once(h: Harness) -> None:
    totp, _codes = await _add_authenticator(h)
    code = totp.at(h.clock.now())
    await _open_card(h)
    await h.me.press("Reveal")
    await h.me.send(code, expect="Code accepted")
    await h.me.send(PASSPHRASE, expect="Show the secret")
    await h.me.send("/lock")
    await _open_card(h)
    await h.me.press("Reveal", expect="First send the 6-digit code")
    await h.me.send(code, expect="Wrong code")  # seen once: whoever watched it go by cannot reuse it
    h.clock.advance(seconds=30)
    await h.me.send(totp.at(h.clock.now()), expect="Code accepted")


async def test_the_passphrase_must_follow_the_code_soon(h: Harness) -> None:
    totp, _codes = await _add_authenticator(h)
    await _open_card(h)
    await h.me.press("Reveal")
    await h.me.send(totp.at(h.clock.now()), expect="Code accepted")
    h.clock.advance(seconds=200)
    await h.me.send(PASSPHRASE, expect="First send the 6-digit code")  # the code's window is over
    await h.me.send(totp.at(h.clock.now()), expect="Code accepted")
    await h.me.send(PASSPHRASE, expect="Show the secret")


async def test_recovery_codes_work_once_each(h: Harness) -> None:
    _totp, codes = await _add_authenticator(h)
    await _open_card(h)
    await h.me.press("Reveal")
    await h.me.send(codes[3].upper(), expect="recovery code, now used up: 9 left")
    await h.me.send(PASSPHRASE, expect="Show the secret")
    await h.me.send("/lock")
    await _open_card(h)
    await h.me.press("Reveal")
    await h.me.send(codes[3], expect="Wrong code")
    audit = await h.services.db.fetchall("SELECT detail FROM audit WHERE action = 'recovery-code-used'")
    assert [r[0] for r in audit] == ["9"]


async def test_removing_the_authenticator_needs_the_unlock(h: Harness) -> None:
    totp, _codes = await _add_authenticator(h)
    await h.me.send("/settings")
    await h.me.press("Unlock passphrase", expect="Authenticator: on")
    await h.me.press("Remove the authenticator", expect="First send the 6-digit code")
    await h.me.send(totp.at(h.clock.now()), expect="Code accepted")
    await h.me.send(PASSPHRASE, expect="Authenticator removed")
    await h.me.send("/lock")
    await _open_card(h)
    await h.me.press("Reveal", expect="needs your unlock passphrase")


async def test_no_code_or_totp_secret_is_kept_in_the_clear(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    totp, codes = await _add_authenticator(h)
    await _open_card(h)
    await h.me.press("Reveal")
    code = totp.at(h.clock.now())
    await h.me.send(code, expect="Code accepted")
    await h.me.send(PASSPHRASE)
    rows = await h.services.db.fetchall("SELECT state, data FROM fsm WHERE user_id = ?", (USER,))
    assert all(code not in str(tuple(r)) for r in rows)
    data = await h.stored()
    for value in (totp.secret, PASSPHRASE, *codes):
        assert value.encode() not in data, value
    for value in (totp.secret, PASSPHRASE, code, *codes):
        assert value not in caplog.text
