"""Step-up through the real dispatcher: a stolen Telegram session alone cannot reveal or delete a key once
the user has set an unlock passphrase; wrong attempts back off; the passphrase is never kept."""

from __future__ import annotations

import logging

import pytest

from bot.stepup import block_seconds
from tests.creds import credentials
from tests.flows import add_key
from tests.harness import USER, Harness, fsm_data

PASSPHRASE = "correct horse battery staple 7"


async def _with_passphrase(h: Harness) -> None:
    await add_key(h, "xt", "XT.com", "Main")
    await h.me.send("/settings")
    await h.me.press("Unlock passphrase")
    await h.me.press("Set a passphrase")
    first = await h.me.send(PASSPHRASE)
    assert first.deleted
    second = await h.me.send(PASSPHRASE, expect="Passphrase set")
    assert second.deleted
    h.clock.advance(seconds=301)  # the unlocked period that setting it began is over


async def _open_card(h: Harness) -> None:
    await h.me.send("/keys")
    await h.me.press("Main")


def _revealed(h: Harness) -> bool:
    return any(credentials("xt")[1] in (m.text or "") for m in h.me.bot_messages())


async def test_reveal_needs_the_passphrase_and_resumes_after_it(h: Harness) -> None:
    await _with_passphrase(h)
    await _open_card(h)
    await h.me.press("Reveal", expect="needs your unlock passphrase")
    wrong = await h.me.send("not it at all", expect="Wrong passphrase (1 in a row)")
    assert wrong.deleted
    assert not _revealed(h)
    right = await h.me.send(PASSPHRASE, expect="Unlocked")
    assert right.deleted
    await h.me.press("Yes, I am sure")
    assert _revealed(h)


async def test_without_a_passphrase_nothing_is_asked(h: Harness) -> None:
    await add_key(h, "xt", "XT.com", "Main")
    await _open_card(h)
    await h.me.press("Reveal", expect="Show the secret")


async def test_delete_needs_the_passphrase(h: Harness) -> None:
    await _with_passphrase(h)
    await _open_card(h)
    await h.me.press("Delete", expect="needs your unlock passphrase")
    await h.me.send(PASSPHRASE, expect="Unlocked")
    await h.me.press("Yes, I am sure", expect="was deleted")
    assert await h.services.keys.list_keys(USER) == []


async def test_a_stale_confirmation_is_refused_once_locked(h: Harness) -> None:
    """The confirmation screen from an unlocked period does not outlive it: /lock, then Yes, asks again."""
    await _with_passphrase(h)
    await _open_card(h)
    await h.me.press("Reveal")
    await h.me.send(PASSPHRASE, expect="Unlocked")
    await h.me.send("/lock", expect="Locked")
    await h.me.press("Yes, I am sure", expect="needs your unlock passphrase")
    assert not _revealed(h)


async def test_unlocking_lasts_its_period(h: Harness) -> None:
    await _with_passphrase(h)
    await _open_card(h)
    await h.me.press("Reveal")
    await h.me.send(PASSPHRASE, expect="Unlocked")
    await h.me.press("No")  # back to the card
    await h.me.press("Reveal", expect="Show the secret")  # within 5 minutes: not asked again
    await h.me.press("No")
    h.clock.advance(seconds=301)
    await h.me.press("Reveal", expect="needs your unlock passphrase")


async def test_wrong_attempts_back_off_and_warn(h: Harness) -> None:
    await _with_passphrase(h)
    await _open_card(h)
    await h.me.press("Reveal")
    await h.me.send("wrong one", expect="1 in a row")
    await h.me.send("wrong two", expect="2 in a row")
    await h.me.send("wrong three", expect="next one is accepted in 30 s")
    assert "someone has your Telegram session" in h.me.last_text()
    await h.me.send(PASSPHRASE, expect="Try again in 30 s")  # even the right one waits out the block
    assert not _revealed(h)
    h.clock.advance(seconds=30)
    await h.me.send("wrong four", expect="next one is accepted in 1 min")
    h.clock.advance(seconds=60)
    await h.me.send(PASSPHRASE, expect="Unlocked")
    await h.me.press("Yes, I am sure")
    assert _revealed(h)
    state = await h.services.stepup.state(USER)
    assert state is not None
    assert state.failures == 0
    audit = await h.services.db.fetchall("SELECT action FROM audit WHERE owner_id = ? AND key_id IS NULL", (USER,))
    assert [r[0] for r in audit].count("unlock-failed") == 4


def test_backoff_schedule() -> None:
    assert [block_seconds(n) for n in range(1, 9)] == [0, 0, 30, 60, 120, 240, 480, 960]
    assert block_seconds(40) == 24 * 3600


async def test_a_command_is_not_an_attempt(h: Harness) -> None:
    await _with_passphrase(h)
    await _open_card(h)
    await h.me.press("Reveal")
    await h.me.send("/keys", expect="Your keys")
    state = await h.services.stepup.state(USER)
    assert state is not None
    assert state.failures == 0


async def test_changing_and_turning_off_need_the_current_one(h: Harness) -> None:
    await _with_passphrase(h)
    await h.me.send("/settings")
    await h.me.press("Unlock passphrase")
    await h.me.press("Change it")
    await h.me.send("guess", expect="Wrong passphrase")
    await h.me.send(PASSPHRASE, expect="Send the new passphrase")
    await h.me.send("short", expect="shorter than 6")
    await h.me.send("new passphrase 42")
    await h.me.send("new passphrase 43", expect="differ")
    await h.me.send("new passphrase 42")
    await h.me.send("new passphrase 42", expect="Passphrase set")
    await h.me.send("/settings")
    await h.me.press("Unlock passphrase")
    await h.me.press("Turn it off")
    await h.me.send("new passphrase 42", expect="turned off")
    h.clock.advance(seconds=301)
    await _open_card(h)
    await h.me.press("Reveal", expect="Show the secret")


async def test_the_passphrase_is_kept_nowhere(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await _with_passphrase(h)
    await _open_card(h)
    await h.me.press("Reveal")
    assert await fsm_data(h) == {"then": "rev", "key_id": 1}  # what to resume, nothing more
    await h.me.send(PASSPHRASE, expect="Unlocked")
    assert PASSPHRASE.encode() not in await h.stored()
    assert PASSPHRASE not in caplog.text
    sent = "\n".join(str(c.params) for c in h.emu.calls if c.method != "getUpdates")
    assert PASSPHRASE not in sent


async def test_a_forgotten_passphrase_resets_by_destroying_the_secrets(h: Harness) -> None:
    await _with_passphrase(h)
    await h.me.send("/settings")
    await h.me.press("Unlock passphrase")
    await h.me.press("Forgot it", expect="Forgot the passphrase?")
    await h.me.press("Destroy the secrets and reset", expect="Every stored secret is destroyed")
    assert (await h.services.db.fetchall("SELECT COUNT(*) FROM key_secrets"))[0][0] == 0
    [record] = await h.services.keys.list_keys(USER)
    assert record.storage == "fingerprint"
    assert record.compromised_at is None  # forgotten, not leaked
    assert not await h.services.stepup.has_passphrase(USER)
    leak = await h.me.send(f"old one: {credentials('xt')[1]}", expect="one of your stored keys")
    assert leak.deleted  # the guard still knows it
