"""From deletion to revocation: each leak's notice names the remedy for its type, and a leak of a stored
key marks it compromised — on its card, in /report and in paced reminders — until it is rotated, deleted
or revoked on the venue; /report keeps the time from leak to revocation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.reminders.pacing import PacedSender
from tests.chat import text_of
from tests.creds import credentials
from tests.flows import add_key
from tests.harness import ALICE, GROUP, USER, Harness
from tests.test_reminders import tick

SEED = "abandon amount liar amount expire adjust cage candy arch gather drum buyer"  # BIP-39, entropy 00..0f
BOT_TOKEN = "1234567890:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw8"


@pytest.fixture
async def h(tmp_path: Path, database_url: str | None, request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    redis_url = None if database_url is None else request.getfixturevalue("redis_url")
    harness = await Harness(tmp_path, database_url=database_url, redis_url=redis_url).start()
    harness.services.reminders.sender = PacedSender(per_second=1e6, per_chat_seconds=0)
    yield harness
    await harness.stop()


async def _key(h: Harness) -> int:
    await add_key(h, "xt", "XT.com")
    [record] = await h.services.keys.list_keys(USER)
    return record.id


@pytest.mark.parametrize(("text", "remedy", "not_said"), [
    (f"my seed: {SEED}", "move the funds to a new wallet", "Revoke that API key"),
    (f"new bot {BOT_TOKEN}", "/revoke to @BotFather", "move the funds"),
    ("the vps password is 'Tr0ub4dor&3x'", "Change that password", "move the funds"),
    ("binance secret NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", "Revoke that API key",
     "move the funds"),
    ("1" + "aZ3_kQ9-Lm2Xp8Rt5Vw7Yb4Nc6Hd1Gf0Je" * 10, "terminate the other sessions", "move the funds"),
])
async def test_each_leak_type_gets_its_own_remedy(h: Harness, text: str, remedy: str, not_said: str) -> None:
    msg = await h.me.send(text)
    assert msg.deleted
    notice = h.me.last_text()
    assert remedy in notice
    assert not_said not in notice
    assert "rotate that key now" not in notice


async def test_a_prefixed_stored_secret_marks_the_key_compromised_until_revoked(h: Harness) -> None:
    key_id = await _key(h)
    await h.me.send(f"secret_key={credentials('xt')[1]}")
    notice = h.me.last_text()
    assert "matches a key you stored here" in notice
    assert 'press "Delete" on the old key' in notice  # XT's own action for this key
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.compromised_at is not None
    await h.me.send("/keys")
    await h.me.press("Main key")
    assert "Leaked" in h.me.last_text()
    await h.me.send("/report")
    assert "leaked in a chat and is not revoked yet" in h.me.last_text()
    assert "1 open · 0 revoked" in h.me.last_text()

    await tick(h)
    h.clock.advance(hours=1)
    [reminder] = await tick(h)
    assert "leaked in a chat 1 h ago" in reminder
    h.clock.advance(hours=2)
    assert await tick(h) == []  # the next stage is a day after the leak
    await h.me.press("I revoked it")
    assert "No more reminders" in h.me.last_text()
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.compromised_at is None
    h.clock.advance(days=2)
    assert not [t for t in await tick(h) if "leaked" in t]
    await h.me.send("/report")
    assert "0 open · 1 revoked (median time from leak to revocation: 3 h 0 min)" in h.me.last_text()


async def test_rotation_ends_the_compromise(h: Harness) -> None:
    key_id = await _key(h)
    await h.me.send(f"is this right? {credentials('xt')[1]}")
    await h.me.send("/keys")
    await h.me.press("Main key")
    await h.me.press("Rotate")
    await h.me.send("11111111-2222-4333-8444-555555555555")
    await h.me.send("0123456789abcdef0123456789abcdef01234567")
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.compromised_at is None
    rows = await h.services.db.fetchall("SELECT revoked_by FROM leaks")
    assert [r[0] for r in rows] == ["rotated"]


async def test_a_group_leak_of_a_stored_key_reaches_its_owner_privately(tmp_path: Path) -> None:
    live = await Harness(tmp_path, http=True).start()
    try:
        await live.add_xt_key(ALICE)
        mid = await live.chat(ALICE, GROUP).send(f"here you go {credentials('xt')[1]}")
        assert mid.deleted
        private = live.chat(ALICE).last()
        assert "Your key Main (XT.com) was posted in Desk" in text_of(private)
        assert [b["text"] for b in private.buttons()] == ["🔄 Rotate it", "✅ I revoked it", "🔑 Open the key"]
        [record] = await live.services.keys.list_keys(ALICE)
        assert record.compromised_at is not None
        assert "Others may have seen it" in live.ephemeral(GROUP, ALICE)[-1]
    finally:
        await live.stop()


async def test_a_stored_key_posted_in_a_business_chat_is_compromised(tmp_path: Path) -> None:
    from tests.harness import BOB

    live = await Harness(tmp_path, http=True).start()
    try:
        await live.add_xt_key(ALICE)
        await live.emu.connect_business("bc1", ALICE)
        await live.pump()
        await live.emu.business_send("bc1", BOB, ALICE, f"key for you: {credentials('xt')[1]}")
        await live.pump()
        assert live.emu.business_transcript("bc1", BOB)[0]["deleted"]
        notice = live.emu.transcript(ALICE)[-1]
        assert "Main (XT.com)" in (notice["text"] or "")
        assert [b["text"] for row in notice["buttons"] for b in row][:2] == ["🔄 Rotate it", "✅ I revoked it"]
        [record] = await live.services.keys.list_keys(ALICE)
        assert record.compromised_at is not None
        rows = await live.services.db.fetchall("SELECT place FROM leaks")
        assert [r[0] for r in rows] == ["business"]
        assert await live.services.users.get(BOB) is None  # the peer is not stored
    finally:
        await live.stop()
