"""Fingerprint-only keys and /panic through the real dispatcher: the secret is destroyed, its fingerprint
kept (the guard still knows it), and the user is led to revoke each key on its venue."""

from __future__ import annotations

from tests.creds import credentials
from tests.flows import add_key
from tests.harness import USER, Harness
from tests.test_stepup import PASSPHRASE, _with_passphrase


async def _sealed_rows(h: Harness) -> int:
    rows = await h.services.db.fetchall("SELECT COUNT(*) FROM key_secrets")
    return int(rows[0][0])


async def test_a_key_can_keep_its_fingerprint_only(h: Harness) -> None:
    await add_key(h, "xt", "XT.com", "Main")
    assert await _sealed_rows(h) == 2
    await h.me.send("/keys")
    await h.me.press("Main")
    await h.me.press("Keep fingerprint only", expect="Destroy the stored credentials of Main?")
    await h.me.press("Yes, I am sure", expect="only their fingerprint is kept")
    assert await _sealed_rows(h) == 0
    card = h.me.last()
    assert "Kept as a fingerprint only" in h.me.last_text()
    labels = [b["text"] for b in card.buttons()]
    assert not any("Reveal" in label or "Verify" in label for label in labels)
    [record] = await h.services.keys.list_keys(USER)
    assert record.storage == "fingerprint"
    # The guard still knows the secret: pasted in chat, it is removed and named as this key.
    leak = await h.me.send(f"is this right? {credentials('xt')[1]}", expect="one of your stored keys")
    assert leak.deleted


async def test_a_stale_reveal_button_of_a_fingerprint_key_shows_nothing(h: Harness) -> None:
    await add_key(h, "xt", "XT.com", "Main")
    await h.me.send("/keys")
    await h.me.press("Main")
    reveal = next(b["callback_data"] for b in h.me.buttons() if "Reveal" in b["text"])
    card = h.me.last(with_buttons=True).message_id
    await h.me.press("Keep fingerprint only")
    await h.me.press("Yes, I am sure")
    await h.me.press_data(reveal, message_id=card)
    answers = [c.get("text", "") for c in h.calls("answerCallbackQuery")]
    assert "no secret here" in answers[-1]
    assert not any(credentials("xt")[1] in (m.text or "") for m in h.me.bot_messages())


async def test_panic_destroys_every_secret_and_leads_to_revocation(h: Harness) -> None:
    await add_key(h, "xt", "XT.com", "Main")
    await add_key(h, "bybit", "Bybit", "Grid")
    await h.me.send("/panic", expect="I destroy every stored secret now: 2 of your 2 keys")
    await h.me.press("Yes, destroy them all", expect="Every stored secret is destroyed")
    text = h.me.last_text()
    assert "Main (XT.com): " in text
    assert "Grid (Bybit): " in text
    assert await _sealed_rows(h) == 0
    fingerprints = await h.services.db.fetchall("SELECT COUNT(*) FROM key_fingerprints")
    assert fingerprints[0][0] >= 4
    records = await h.services.keys.list_keys(USER)
    assert all(r.storage == "fingerprint" and r.compromised_at is not None for r in records)
    planned = await h.services.db.fetchall("SELECT DISTINCT kind FROM reminders WHERE owner_id = ?", (USER,))
    assert "compromised" in {r[0] for r in planned}  # reminded until each is revoked
    await h.me.press("I revoked Main", expect="revoked")
    main = next(r for r in await h.services.keys.list_keys(USER) if r.name == "Main")
    assert main.compromised_at is None
    audit = await h.services.db.fetchall("SELECT COUNT(*) FROM audit WHERE action = 'panic'")
    assert audit[0][0] == 2


async def test_panic_asks_for_the_passphrase_when_one_is_set(h: Harness) -> None:
    await _with_passphrase(h)
    await h.me.send("/panic", expect="needs your unlock passphrase")
    assert await _sealed_rows(h) == 2
    await h.me.send(PASSPHRASE, expect="I destroy every stored secret now")
    await h.me.press("Yes, destroy them all", expect="Every stored secret is destroyed")
    assert await _sealed_rows(h) == 0


async def test_new_credentials_after_panic_are_stored_again(h: Harness) -> None:
    await add_key(h, "xt", "XT.com", "Main")
    await h.me.send("/panic")
    await h.me.press("Yes, destroy them all")
    await h.me.send("/keys")
    await h.me.press("Main")
    await h.me.press("Paste new credentials")
    for value in credentials("xt"):
        await h.me.send(value)
    [record] = await h.services.keys.list_keys(USER)
    assert record.storage == "server"
    assert await _sealed_rows(h) == 2


async def test_no_health_check_is_planned_for_a_fingerprint_key(h: Harness) -> None:
    from bot.reminders.rules import plan
    from domain.models import User

    await add_key(h, "xt", "XT.com", "Main")
    [record] = await h.services.keys.list_keys(USER)
    record.health_check = True
    now = int(h.clock.now().timestamp())
    assert "health" in {kind for kind, _ in plan(record, h.services.venues["xt"], User(USER, "en"), now)}
    record.storage = "fingerprint"  # nothing to sign a check with
    assert "health" not in {kind for kind, _ in plan(record, h.services.venues["xt"], User(USER, "en"), now)}
