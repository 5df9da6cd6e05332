"""The secret guard end to end against the Bot API emulator: private chats and groups, edits, captions,
forwards, documents, dry run, missing rights, anonymous admins, exemptions and the 48-hour case."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.chat import text_of
from tests.creds import credentials
from tests.harness import ALICE, BOB, CAROL, GROUP, Harness

SECRET = "binance secret NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
SEED = "my seed: start true merge velvet album satoshi federal lyrics educate ignore usual whale"


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await Harness(tmp_path, http=True).start()
    yield harness
    await harness.stop()
    assert harness.emu.violations == [], [(v.method, v.description) for v in harness.emu.violations]


# --- private chats ---------------------------------------------------------------------------------


async def test_private_text_with_secret_is_deleted(live: Harness) -> None:
    mid = await live.chat(ALICE).send(SECRET)
    assert mid.deleted
    notice = live.bot_texts(ALICE)[-1]
    assert "it contained an exchange API secret" in notice
    assert "NhqPtmd" not in notice


async def test_private_harmless_text_is_kept(live: Harness) -> None:
    mid = await live.chat(ALICE).send("sent 0.1 BTC to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh")
    assert not mid.deleted


async def test_caption_forward_and_document_are_checked(live: Harness) -> None:
    caption = await live.chat(ALICE).send(document=("chart.png", b"\x89PNG..."), caption=SEED)
    forwarded = await live.chat(ALICE).send(SECRET, forwarded_from=BOB)
    document = await live.chat(ALICE).send(document=("keys.txt", f"api_secret = {credentials('xt')[1]}".encode()))
    harmless_doc = await live.chat(ALICE).send(document=("notes.txt", b"buy low, sell high"))
    assert caption.deleted
    assert forwarded.deleted
    assert document.deleted
    assert not harmless_doc.deleted
    assert "a seed phrase" in "\n".join(live.bot_texts(ALICE))


async def test_edit_into_a_secret_is_caught(live: Harness) -> None:
    mid = await live.chat(ALICE).send("hello there")
    assert not mid.deleted
    await live.chat(ALICE).edit(mid, SECRET)
    assert mid.deleted


async def test_own_stored_key_links_its_card(live: Harness) -> None:
    await live.add_xt_key(ALICE)
    assert "Credentials stored encrypted" in live.bot_texts(ALICE)[-1]
    # Later the user pastes the stored secret with no context at all: only the fingerprint knows it.
    mid = await live.chat(ALICE).send(f"is this right? {credentials('xt')[1]}")
    assert mid.deleted
    notice = live.chat(ALICE).last()
    assert "one of your stored keys" in text_of(notice)
    assert '"Delete" on the old key' in text_of(notice)  # XT's own revoke action, for this key
    assert [b["text"] for b in notice.buttons()] == ["🔄 Rotate it", "✅ I revoked it", "🔑 Open the key"]
    await live.chat(ALICE).press("Open the key")
    assert "Key: 3976…0085" in live.bot_texts(ALICE)[-1]
    assert "Leaked" in live.bot_texts(ALICE)[-1]


async def test_48_hours_later_the_user_is_reminded_until_it_is_gone(live: Harness) -> None:
    old = await live.chat(ALICE).send("a harmless note")
    live.clock.advance(hours=49)
    await live.chat(ALICE).edit(old, SECRET)
    assert not old.deleted
    assert "could not delete it" in live.bot_texts(ALICE)[-1]
    live.clock.advance(minutes=29)
    await live.tick()
    assert "Reminder" not in live.bot_texts(ALICE)[-1]
    live.clock.advance(minutes=2)
    await live.tick()
    assert "Reminder: a message with an exchange API secret" in live.bot_texts(ALICE)[-1]
    live.clock.advance(minutes=31)
    await live.emu.user_delete(ALICE, ALICE, old.message_id)  # the user deletes it by hand
    reminders_before = sum("Reminder" in t for t in live.bot_texts(ALICE))
    await live.tick()
    live.clock.advance(minutes=31)
    await live.tick()
    assert sum("Reminder" in t for t in live.bot_texts(ALICE)) == reminders_before


async def test_dismissing_a_reminder_stops_it(live: Harness) -> None:
    old = await live.chat(ALICE).send("note")
    live.clock.advance(hours=49)
    await live.chat(ALICE).edit(old, SECRET)
    await live.chat(ALICE).press("Dismiss")
    assert "no more reminders" in live.bot_texts(ALICE)[-1]
    live.clock.advance(hours=2)
    await live.tick()
    assert not any("Reminder" in t for t in live.bot_texts(ALICE))


# --- groups ----------------------------------------------------------------------------------------


async def test_group_secret_deleted_and_sender_told_privately(live: Harness) -> None:
    mid = await live.chat(BOB, GROUP).send(SECRET)
    assert mid.deleted
    [notice] = live.ephemeral(GROUP, BOB)
    assert "I removed your message in Desk" in notice
    assert live.public(GROUP) == []  # nothing the other members can read
    ok = await live.chat(BOB, GROUP).send("sorry, wrong chat")
    assert not ok.deleted


async def test_group_edit_into_a_secret(live: Harness) -> None:
    mid = await live.chat(BOB, GROUP).send("gm")
    await live.chat(BOB, GROUP).edit(mid, SEED)
    assert mid.deleted


async def test_dry_run_reports_without_deleting(live: Harness) -> None:
    await live.chat(CAROL, GROUP).send("/guard dryrun")
    assert "Dry run" in live.bot_texts(GROUP)[-1]
    mid = await live.chat(BOB, GROUP).send(SECRET)
    assert not mid.deleted
    assert "Dry run in Desk" in live.ephemeral(GROUP, BOB)[-1]


async def test_guard_off_and_non_admins(live: Harness) -> None:
    await live.chat(BOB, GROUP).send("/guard off")
    assert "Only group admins" in live.bot_texts(GROUP)[-1]
    await live.chat(ALICE, GROUP).send("/guard off")
    mid = await live.chat(BOB, GROUP).send(SECRET)
    assert not mid.deleted
    await live.chat(ALICE, GROUP).send("/guard on")
    mid = await live.chat(BOB, GROUP).send(SECRET)
    assert mid.deleted
    await live.chat(BOB, GROUP).send("/guard")
    assert "Secret guard: on" in live.bot_texts(GROUP)[-1]
    assert "I can delete messages here" in live.bot_texts(GROUP)[-1]


async def test_exempt_members_are_not_touched(live: Harness) -> None:
    bobs = await live.chat(BOB, GROUP).send("hi all")
    await live.chat(CAROL, GROUP).send("/guard exempt")
    assert "Reply to a member's message" in live.bot_texts(GROUP)[-1]
    await live.chat(BOB, GROUP).send("/guard exempt", reply_to=bobs.message_id)
    assert "Only group admins" in live.bot_texts(GROUP)[-1]
    await live.chat(CAROL, GROUP).send("/guard exempt", reply_to=bobs.message_id)
    assert "Bob is exempt" in live.bot_texts(GROUP)[-1]
    mid = await live.chat(BOB, GROUP).send(SECRET)
    assert not mid.deleted
    await live.chat(CAROL, GROUP).send("/guard unexempt", reply_to=bobs.message_id)
    assert "Bob is guarded again" in live.bot_texts(GROUP)[-1]
    mid = await live.chat(BOB, GROUP).send(SECRET)
    assert mid.deleted


async def test_missing_rights_said_once(live: Harness) -> None:
    live.emu.set_member(GROUP, live.emu.bot.id, "member")
    first = await live.chat(BOB, GROUP).send(SECRET)
    second = await live.chat(BOB, GROUP).send(SECRET)
    assert not first.deleted
    assert not second.deleted
    warnings = [m for m in live.public(GROUP) if "cannot delete messages here" in text_of(m)]
    assert len(warnings) == 1
    assert "Delete messages" in text_of(warnings[0])
    assert all("could not remove it" in t for t in live.ephemeral(GROUP, BOB))


async def test_anonymous_admin_is_cleaned_but_never_blamed(live: Harness) -> None:
    live.emu.set_member(GROUP, CAROL, "administrator", can_delete_messages=True, is_anonymous=True)
    mid = await live.chat(CAROL, GROUP).send(SECRET, as_chat=GROUP)
    assert mid.deleted
    [notice] = live.public(GROUP)
    assert text_of(notice) == "🔐 I removed a message that contained an exchange API secret."
    assert live.ephemeral(GROUP, CAROL) == []
    live.clock.advance(seconds=60)
    await live.tick()
    assert notice.deleted


async def test_without_ephemeral_support_a_short_public_notice(live: Harness) -> None:
    live.emu.ephemeral = False
    await live.chat(BOB).send("/start")  # Bob opened the bot: he can get a private message
    mid = await live.chat(BOB, GROUP).send(SECRET)
    assert mid.deleted
    [public] = live.public(GROUP)
    assert "Bob, I removed your message" in text_of(public)
    assert "I removed your message in Desk" in live.bot_texts(BOB)[-1]
    live.clock.advance(seconds=61)
    await live.tick()
    assert public.deleted


async def test_bot_added_to_a_group_explains_itself(live: Harness) -> None:
    live.emu.add_group(-100888, "New desk")
    live.emu.set_member(-100888, ALICE, "creator")
    live.emu.chats[-100888].members.pop(live.emu.bot.id)
    await live.emu.add_bot_to_group(-100888, ALICE)
    await live.pump()
    assert "Delete messages" in live.bot_texts(-100888)[-1]


async def test_group_members_are_not_stored_as_users(live: Harness) -> None:
    await live.chat(BOB, GROUP).send("hello")
    assert await live.services.users.get(BOB) is None


async def test_a_big_document_is_scanned_off_the_event_loop(tmp_path: Path) -> None:
    """While a 60 KB upload is being scanned, another user's message is answered."""
    import threading

    from tests.harness import OTHER_USER, Harness

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
        upload = asyncio.create_task(h.me.send(document=("notes.txt", b"harmless notes line\n" * 3000)))
        assert await asyncio.to_thread(scanning.wait, 10)
        await h.chat(OTHER_USER).send("/start")  # answered while the scan is still running
        assert "What would you like to do?" in h.chat(OTHER_USER).last_text()
        assert not upload.done()
        release.set()
        await upload
    finally:
        release.set()
        await h.stop()
