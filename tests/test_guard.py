"""The secret guard end to end against the Bot API emulator: private chats and groups, edits, captions,
forwards, documents, dry run, missing rights, anonymous admins, exemptions and the 48-hour case."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.creds import credentials
from tests.live import ALICE, BOB, CAROL, GROUP, Live

SECRET = "binance secret NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
SEED = "my seed: start true merge velvet album satoshi federal lyrics educate ignore usual whale"


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    harness = await Live(tmp_path).start()
    yield harness
    await harness.stop()
    assert harness.emu.violations == [], [(v.method, v.description) for v in harness.emu.violations]


# --- private chats ---------------------------------------------------------------------------------


async def test_private_text_with_secret_is_deleted(live: Live) -> None:
    mid = await live.send(ALICE, ALICE, SECRET)
    assert live.message(ALICE, mid)["deleted"]
    notice = live.bot_texts(ALICE)[-1]
    assert "it contained an exchange API secret" in notice
    assert "NhqPtmd" not in notice


async def test_private_harmless_text_is_kept(live: Live) -> None:
    mid = await live.send(ALICE, ALICE, "sent 0.1 BTC to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh")
    assert not live.message(ALICE, mid)["deleted"]


async def test_caption_forward_and_document_are_checked(live: Live) -> None:
    caption = await live.send(ALICE, ALICE, document=("chart.png", b"\x89PNG..."), caption=SEED)
    forwarded = await live.send(ALICE, ALICE, SECRET, forwarded_from=BOB)
    document = await live.send(ALICE, ALICE, document=("keys.txt", f"api_secret = {credentials('xt')[1]}".encode()))
    harmless_doc = await live.send(ALICE, ALICE, document=("notes.txt", b"buy low, sell high"))
    assert live.message(ALICE, caption)["deleted"]
    assert live.message(ALICE, forwarded)["deleted"]
    assert live.message(ALICE, document)["deleted"]
    assert not live.message(ALICE, harmless_doc)["deleted"]
    assert "a seed phrase" in "\n".join(live.bot_texts(ALICE))


async def test_edit_into_a_secret_is_caught(live: Live) -> None:
    mid = await live.send(ALICE, ALICE, "hello there")
    assert not live.message(ALICE, mid)["deleted"]
    await live.edit(ALICE, ALICE, mid, SECRET)
    assert live.message(ALICE, mid)["deleted"]


async def test_own_stored_key_links_its_card(live: Live) -> None:
    await live.add_xt_key(ALICE)
    assert "Credentials stored encrypted" in live.bot_texts(ALICE)[-1]
    # Later the user pastes the stored secret with no context at all: only the fingerprint knows it.
    mid = await live.send(ALICE, ALICE, f"is this right? {credentials('xt')[1]}")
    assert live.message(ALICE, mid)["deleted"]
    notice = live.emu.transcript(ALICE)[-1]
    assert "one of your stored keys" in (notice["text"] or "")
    assert '"Delete" on the old key' in (notice["text"] or "")  # XT's own revoke action, for this key
    assert [b["text"] for row in notice["buttons"] for b in row] == ["🔄 Rotate it", "✅ I revoked it",
                                                                       "🔑 Open the key"]
    await live.press(ALICE, ALICE, "Open the key")
    assert "Key: 3976…0085" in live.bot_texts(ALICE)[-1]
    assert "Leaked" in live.bot_texts(ALICE)[-1]


async def test_48_hours_later_the_user_is_reminded_until_it_is_gone(live: Live) -> None:
    old = await live.send(ALICE, ALICE, "a harmless note")
    live.clock.advance(hours=49)
    await live.edit(ALICE, ALICE, old, SECRET)
    assert not live.message(ALICE, old)["deleted"]
    assert "could not delete it" in live.bot_texts(ALICE)[-1]
    live.clock.advance(minutes=29)
    await live.tick()
    assert "Reminder" not in live.bot_texts(ALICE)[-1]
    live.clock.advance(minutes=2)
    await live.tick()
    assert "Reminder: a message with an exchange API secret" in live.bot_texts(ALICE)[-1]
    live.clock.advance(minutes=31)
    await live.emu.user_delete(ALICE, ALICE, old)  # the user deletes it by hand
    reminders_before = sum("Reminder" in t for t in live.bot_texts(ALICE))
    await live.tick()
    live.clock.advance(minutes=31)
    await live.tick()
    assert sum("Reminder" in t for t in live.bot_texts(ALICE)) == reminders_before


async def test_dismissing_a_reminder_stops_it(live: Live) -> None:
    old = await live.send(ALICE, ALICE, "note")
    live.clock.advance(hours=49)
    await live.edit(ALICE, ALICE, old, SECRET)
    await live.press(ALICE, ALICE, "Dismiss")
    assert "no more reminders" in live.bot_texts(ALICE)[-1]
    live.clock.advance(hours=2)
    await live.tick()
    assert not any("Reminder" in t for t in live.bot_texts(ALICE))


# --- groups ----------------------------------------------------------------------------------------


async def test_group_secret_deleted_and_sender_told_privately(live: Live) -> None:
    mid = await live.send(BOB, GROUP, SECRET)
    assert live.message(GROUP, mid)["deleted"]
    [notice] = live.ephemeral(GROUP, BOB)
    assert "I removed your message in Desk" in notice
    assert live.public(GROUP) == []  # nothing the other members can read
    ok = await live.send(BOB, GROUP, "sorry, wrong chat")
    assert not live.message(GROUP, ok)["deleted"]


async def test_group_edit_into_a_secret(live: Live) -> None:
    mid = await live.send(BOB, GROUP, "gm")
    await live.edit(BOB, GROUP, mid, SEED)
    assert live.message(GROUP, mid)["deleted"]


async def test_dry_run_reports_without_deleting(live: Live) -> None:
    await live.send(CAROL, GROUP, "/guard dryrun")
    assert "Dry run" in live.bot_texts(GROUP)[-1]
    mid = await live.send(BOB, GROUP, SECRET)
    assert not live.message(GROUP, mid)["deleted"]
    assert "Dry run in Desk" in live.ephemeral(GROUP, BOB)[-1]


async def test_guard_off_and_non_admins(live: Live) -> None:
    await live.send(BOB, GROUP, "/guard off")
    assert "Only group admins" in live.bot_texts(GROUP)[-1]
    await live.send(ALICE, GROUP, "/guard off")
    mid = await live.send(BOB, GROUP, SECRET)
    assert not live.message(GROUP, mid)["deleted"]
    await live.send(ALICE, GROUP, "/guard on")
    mid = await live.send(BOB, GROUP, SECRET)
    assert live.message(GROUP, mid)["deleted"]
    await live.send(BOB, GROUP, "/guard")
    assert "Secret guard: on" in live.bot_texts(GROUP)[-1]
    assert "I can delete messages here" in live.bot_texts(GROUP)[-1]


async def test_exempt_members_are_not_touched(live: Live) -> None:
    bobs = await live.send(BOB, GROUP, "hi all")
    await live.send(CAROL, GROUP, "/guard exempt")
    assert "Reply to a member's message" in live.bot_texts(GROUP)[-1]
    await live.send(BOB, GROUP, "/guard exempt", reply_to=bobs)
    assert "Only group admins" in live.bot_texts(GROUP)[-1]
    await live.send(CAROL, GROUP, "/guard exempt", reply_to=bobs)
    assert "Bob is exempt" in live.bot_texts(GROUP)[-1]
    mid = await live.send(BOB, GROUP, SECRET)
    assert not live.message(GROUP, mid)["deleted"]
    await live.send(CAROL, GROUP, "/guard unexempt", reply_to=bobs)
    assert "Bob is guarded again" in live.bot_texts(GROUP)[-1]
    mid = await live.send(BOB, GROUP, SECRET)
    assert live.message(GROUP, mid)["deleted"]


async def test_missing_rights_said_once(live: Live) -> None:
    live.emu.set_member(GROUP, live.emu.bot.id, "member")
    first = await live.send(BOB, GROUP, SECRET)
    second = await live.send(BOB, GROUP, SECRET)
    assert not live.message(GROUP, first)["deleted"]
    assert not live.message(GROUP, second)["deleted"]
    warnings = [m for m in live.public(GROUP) if "cannot delete messages here" in (m["text"] or "")]
    assert len(warnings) == 1
    assert "Delete messages" in (warnings[0]["text"] or "")
    assert all("could not remove it" in t for t in live.ephemeral(GROUP, BOB))


async def test_anonymous_admin_is_cleaned_but_never_blamed(live: Live) -> None:
    live.emu.set_member(GROUP, CAROL, "administrator", can_delete_messages=True, is_anonymous=True)
    mid = await live.send(CAROL, GROUP, SECRET, as_chat=GROUP)
    assert live.message(GROUP, mid)["deleted"]
    [notice] = live.public(GROUP)
    assert notice["text"] == "🔐 I removed a message that contained an exchange API secret."
    assert live.ephemeral(GROUP, CAROL) == []
    live.clock.advance(seconds=60)
    await live.tick()
    assert live.message(GROUP, notice["message_id"])["deleted"]


async def test_without_ephemeral_support_a_short_public_notice(live: Live) -> None:
    live.emu.ephemeral = False
    await live.send(BOB, BOB, "/start")  # Bob opened the bot: he can get a private message
    mid = await live.send(BOB, GROUP, SECRET)
    assert live.message(GROUP, mid)["deleted"]
    [public] = live.public(GROUP)
    assert "Bob, I removed your message" in (public["text"] or "")
    assert "I removed your message in Desk" in live.bot_texts(BOB)[-1]
    live.clock.advance(seconds=61)
    await live.tick()
    assert live.message(GROUP, public["message_id"])["deleted"]


async def test_bot_added_to_a_group_explains_itself(live: Live) -> None:
    live.emu.add_group(-100888, "New desk")
    live.emu.set_member(-100888, ALICE, "creator")
    live.emu.chats[-100888].members.pop(live.emu.bot.id)
    await live.emu.add_bot_to_group(-100888, ALICE)
    await live.pump()
    assert "Delete messages" in live.bot_texts(-100888)[-1]


async def test_group_members_are_not_stored_as_users(live: Live) -> None:
    await live.send(BOB, GROUP, "hello")
    assert await live.services.users.get(BOB) is None


async def test_a_big_document_is_scanned_off_the_event_loop(tmp_path: Path) -> None:
    """While a 60 KB upload is being scanned, another user's message is answered."""
    import threading

    from tests.harness import OTHER_USER, USER, Harness

    h = await Harness(tmp_path).start()
    scanning, release = threading.Event(), threading.Event()
    detector = h.services.scanner._detector
    real_find = detector.find

    def slow_find(text: str) -> list[Any]:
        if len(text) > 10_000:
            scanning.set()
            assert release.wait(10)
        return real_find(text)

    detector.find = slow_find  # type: ignore[method-assign]
    try:
        upload = asyncio.create_task(h.send_other("document", USER, data=b"harmless notes line\n" * 3000,
                                                  file_name="notes.txt"))
        assert await asyncio.to_thread(scanning.wait, 10)
        await h.send("/start", OTHER_USER)  # answered while the scan is still running
        assert "What would you like to do?" in h.last_text(OTHER_USER)
        assert not upload.done()
        release.set()
        await upload
    finally:
        release.set()
        await h.stop()
