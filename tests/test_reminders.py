"""Reminders with an injected clock: every rule, snooze, mute, quiet hours, digest, restart, a kill
between sending and recording, the health check, settings and the report. Tests move time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.reminders.pacing import PacedSender
from bot.reminders.scheduler import LEASE_SECONDS
from handlers.callbacks import RemCb
from keybot.app import housekeeping_jobs
from tests.creds import credentials
from tests.flows import add_key, register_with_venue
from tests.harness import USER, Harness

DAY = 86400


@pytest.fixture
async def h(tmp_path: Path, database_url: str | None, request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    redis_url = None if database_url is None else request.getfixturevalue("redis_url")
    harness = await Harness(tmp_path, database_url=database_url, redis_url=redis_url).start()
    harness.services.reminders.sender = PacedSender(per_second=1e6, per_chat_seconds=0)
    yield harness
    await harness.stop()


async def tick(h: Harness) -> list[str]:
    """One housekeeping tick; returns the texts the bot sent during it."""
    before = len(h.me.bot_messages())
    await housekeeping_jobs(h.services)(h.bot)
    return [m.text or "" for m in h.me.bot_messages()[before:]]


async def roxom_key(h: Harness, expiry: str) -> None:
    register_with_venue(h, "roxom")
    await h.me.send("/add")
    await h.me.press("Roxom")
    await h.me.send("Rox")
    await h.me.press(expiry)
    await h.me.press("Confirm")
    for value in credentials("roxom"):
        await h.me.send(value)


async def test_expiry_stages_each_once(h: Harness) -> None:
    await roxom_key(h, "30 days")
    first = await tick(h)
    assert len(first) == 1
    assert "expires in 30 days" in first[0]
    assert await tick(h) == []
    h.clock.advance(days=23)
    assert "expires in 7 days" in (await tick(h))[0]
    h.clock.advance(days=6)
    assert "expires tomorrow" in (await tick(h))[0]
    h.clock.advance(days=1)
    assert "expired on" in (await tick(h))[0]
    h.clock.advance(days=1)
    assert await tick(h) == []


async def test_restart_sends_missed_reminders_once(h: Harness) -> None:
    await roxom_key(h, "30 days")
    await tick(h)
    h.clock.advance(days=35)  # the bot was down through the 7-day, 1-day and expiry reminders
    await h.restart()
    h.services.reminders.sender = PacedSender(per_second=1e6, per_chat_seconds=0)
    sent = await tick(h)
    assert len(sent) == 1, sent
    assert "expired on" in sent[0]
    assert "expires in" not in sent[0]  # superseded stages are not repeated
    assert await tick(h) == []


async def test_unused_still_needed_and_rotation(h: Harness) -> None:
    await add_key(h, "xt", "XT.com")
    await tick(h)
    h.clock.advance(days=31)
    [text] = await tick(h)
    assert "shows no sign of use for 31 days" in text
    await h.me.press("Still needed")
    assert await tick(h) == []
    h.clock.advance(days=29)
    assert await tick(h) == []
    h.clock.advance(days=31)
    texts = await tick(h)
    assert any("Time to rotate" in t for t in texts), texts


async def test_never_activated_and_risky_withdraw(h: Harness) -> None:
    register_with_venue(h, "walletbot")
    await h.me.send("/add")
    await h.me.press("Wallet bot")
    await h.me.send("Payouts")
    await h.me.press("Withdrawal")
    await h.me.press("Next")
    await h.me.press("No")
    await h.me.press("Allow all IPs")
    await h.me.press("Continue without a list")
    await h.me.press("No expiry")
    await h.me.press("Create inactive")
    await h.me.press("Confirm")
    await h.me.send(credentials("walletbot")[0])
    [text] = await tick(h)
    assert "can move funds out and works from any IP" in text
    h.clock.advance(hours=25)
    [text] = await tick(h)
    assert "created inactive and never activated" in text


async def test_abandoned_setup(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send("Draft")
    h.clock.advance(minutes=29)
    assert await tick(h) == []
    h.clock.advance(minutes=2)
    [text] = await tick(h)
    assert "stopped half-way" in text
    await h.me.press("Finish it")
    assert (await h.services.keys.list_keys(USER)) == []
    assert "what may this key do" in h.me.last_text()


async def test_abandoned_draft_that_was_finished_is_not_sent(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send("Draft")
    h.clock.advance(minutes=31)
    await h.services.reminders._scan_drafts(int(h.clock.now().timestamp()))
    await h.me.send("/cancel")
    assert await tick(h) == []


async def test_snooze_and_mute(h: Harness) -> None:
    await add_key(h, "xt", "XT.com")
    h.clock.advance(days=31)
    await tick(h)
    await h.me.press("1 day")
    assert "remind you tomorrow" in h.me.last_text()
    h.clock.advance(hours=23)
    assert await tick(h) == []
    h.clock.advance(hours=2)
    [again] = await tick(h)
    assert "no sign of use" in again
    await h.me.press("Mute this")
    h.clock.advance(days=40)
    texts = await tick(h)
    assert not any("no sign of use" in t for t in texts)


async def test_quiet_hours_and_digest(h: Harness) -> None:
    await add_key(h, "xt", "XT.com")
    await h.services.users.update(USER, quiet_start=22 * 60, quiet_end=8 * 60)
    # Start: 2026-01-15 12:00 UTC. Unused is due at 12:00 + 30 days → move to 23:00 that day.
    h.clock.advance(days=30, hours=11)
    assert await tick(h) == []  # 23:00: quiet
    h.clock.advance(hours=8, minutes=59)
    assert await tick(h) == []  # 07:59
    h.clock.advance(minutes=2)
    assert len(await tick(h)) == 1  # 08:01
    # Digest: everything waits for 09:00 and comes in one message.
    await h.services.users.update(USER, quiet_start=None, quiet_end=None, digest=1)
    await add_key(h, "okx", "OKX", name="second")
    await add_key(h, "bybit", "Bybit", name="third")
    # 08:01 now; both new keys become unused 31 days later at 08:01: before 09:00, so they wait.
    h.clock.advance(days=31)
    assert await tick(h) == []
    h.clock.advance(minutes=59)  # 09:00
    texts = await tick(h)
    assert len(texts) == 1
    assert "things need your attention" in texts[0]
    assert "second" in texts[0]
    assert "third" in texts[0]


async def test_kill_between_claim_and_record_sends_at_most_once_more(h: Harness) -> None:
    await add_key(h, "xt", "XT.com")
    h.clock.advance(days=31)
    now = int(h.clock.now().timestamp())
    rows = await h.services.reminders._repo.claim_due(now, now + LEASE_SECONDS, 60)
    assert rows  # claimed, then the process died before sending
    await h.restart()
    h.services.reminders.sender = PacedSender(per_second=1e6, per_chat_seconds=0)
    assert await tick(h) == []  # another worker might be sending them: the lease holds them
    h.clock.advance(seconds=LEASE_SECONDS)
    assert len(await tick(h)) == 1  # the lease ran out: sent once more
    assert await tick(h) == []


async def test_deleted_key_reminders_are_cancelled(h: Harness) -> None:
    await add_key(h, "xt", "XT.com")
    [record] = await h.services.keys.list_keys(USER)
    await h.services.keys.delete(record)
    h.clock.advance(days=400)
    assert await tick(h) == []


async def test_health_check_alerts_at_once(h: Harness) -> None:
    await add_key(h, "xt", "XT.com")
    await h.me.press("Daily check: off")
    assert "every day" in h.me.last_text()
    h.clock.advance(days=1, minutes=1)
    assert await tick(h) == []  # still fine: no message
    h.venues.keys[("xt", credentials("xt")[0])].behaviour = "not_activated"
    h.clock.advance(days=1, minutes=1)
    [alert] = await tick(h)
    assert "Health check failed" in alert
    assert "not activated" in alert


async def test_forged_reminder_button(h: Harness) -> None:
    await add_key(h, "xt", "XT.com")
    h.clock.advance(days=31)
    await tick(h)
    await h.me.press_data(RemCb(id=999_999, action="d").pack())
    assert "outdated" in h.calls("answerCallbackQuery")[-1]["text"]


async def test_settings_and_report(h: Harness) -> None:
    await h.me.send("/settings")
    assert "Time zone: UTC" in h.me.last_text()
    await h.me.press("Time zone")
    await h.me.send("Mars/Olympus")
    assert "do not know that time zone" in h.me.last_text()
    await h.me.send("Europe/Moscow")
    assert "Time zone: Europe/Moscow" in h.me.last_text()
    await h.me.press("Quiet hours")
    await h.me.send("23-8")
    assert "Quiet hours: 23:00–08:00" in h.me.last_text()
    await h.me.press("Unused after")
    await h.me.send("0")
    assert "from 1 to 365" in h.me.last_text()
    await h.me.send("60")
    assert "Unused after: 60 days" in h.me.last_text()
    await h.me.press("daily digest")
    assert "one daily digest at 09:00" in h.me.last_text()

    await h.me.send("/report")
    assert "No issues" in h.me.last_text()
    await add_key(h, "xrocket", "xRocket Exchange")
    register_with_venue(h, "binance")
    await add_key(h, "binance", "Binance", name="never")
    h.venues.keys.clear()
    h.clock.advance(days=100)
    await h.me.send("/report")
    report = h.me.last_text()
    assert "Security report" in report
    assert "🟠 High" in report
    assert "is a full-access token" in report
    assert "is due for rotation" in report
    assert any("Rotate" in b["text"] for b in h.me.buttons())


async def test_report_for_a_user_with_many_keys(h: Harness) -> None:
    from bot.setup_flow import Draft
    from domain.models import KeyStatus

    await h.me.send("/start")
    for i in range(60):
        venue = ("binance", "bybit", "okx")[i % 3]  # venues without a key-count limit here
        draft = Draft(venue=venue, environment="mainnet", name=f"key {i:02d} with a fairly long descriptive name",
                      permissions=["withdraw"], ips=[], expiry="none")
        record = await h.services.keys.create(USER, draft)
        await h.services.keys._keys.update(USER, record.id, status=KeyStatus.ACTIVE, activated_at=0)
    h.clock.advance(days=200)
    await h.me.send("/report")
    text = h.me.last_text()  # the fake Telegram session refuses anything over 4096 characters or 100 buttons
    assert "🔴 Critical" in text
    assert "more. Fix the ones above first" in text
    assert len(h.me.buttons()) <= 20


async def test_roxom_unused_reminder_asks_for_the_last_used_date(h: Harness) -> None:
    """Roxom: "Check the last used date to identify inactive keys"."""
    await roxom_key(h, "Never")
    h.clock.advance(days=40)
    texts = await tick(h)
    unused = [t for t in texts if "no sign of use" in t]
    assert unused, texts
    assert '"last used" date' in unused[0]


async def test_a_venue_date_is_named_for_what_it_is(h: Harness) -> None:
    """Bybit disables an IP-less key after 90 days: the reminder says so, with the date, instead of
    'expires'."""
    from tests.flows import bybit_without_ip

    register_with_venue(h, "bybit")
    await bybit_without_ip(h, "Open key")
    await h.me.press("No expiry")
    await h.me.press("Confirm")
    for value in credentials("bybit"):
        await h.me.send(value)
    h.clock.advance(days=84)
    texts = await tick(h)
    named = [t for t in texts if "auto-disabled on" in t]
    assert named, texts
    assert "no IP bound" in named[0]
