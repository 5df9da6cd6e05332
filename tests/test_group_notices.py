"""A flood of leaks in one group: every message is deleted at once, but the group never gets more than
Telegram's 20 bot messages a minute; what does not fit arrives as one merged notice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.guard.notices import GroupNotices
from domain.clock import FrozenClock
from tests.harness import GROUP, Harness
from tests.test_guard import SECRET

MEMBERS = range(700_001, 700_031)


@pytest.fixture
async def strict(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await Harness(tmp_path, strict=True).start()  # the emulator answers 429 past Telegram's limits
    for uid in MEMBERS:
        harness.emu.add_user(uid, f"Member{uid % 100}")
        harness.emu.set_member(GROUP, uid, "member")
    yield harness
    await harness.stop()


def _bot_messages(h: Harness) -> int:
    return sum(1 for m in h.emu.messages.get(GROUP, []) if m.from_id == h.emu.bot.id)


async def test_a_flood_of_leaks_stays_within_the_group_rate(strict: Harness) -> None:
    h = strict
    sent = [await h.chat(uid, GROUP).send(SECRET) for uid in MEMBERS]
    assert all(m.deleted for m in sent)  # deletions never wait
    assert _bot_messages(h) == 20
    assert [c for c in h.emu.calls if c.status == 429] == []
    h.clock.advance(seconds=61)
    await h.tick()
    merged = [m for m in h.emu.messages[GROUP] if "In the last minute I also removed 10 messages" in (m.text or "")]
    assert len(merged) == 1
    assert "from Member21, Member22, Member23, Member24, Member25 and 5 more." in (merged[0].text or "")
    assert [c for c in h.emu.calls if c.status == 429] == []


def test_the_window_slides_and_order_is_kept() -> None:
    clock = FrozenClock()
    notices = GroupNotices(clock, per_minute=2)
    assert notices.take(1)
    assert notices.take(1)
    assert not notices.take(1)
    notices.defer(1, "en", "A", ["api_key"])
    assert notices.take(2)  # another group has its own minute
    clock.advance(seconds=61)
    assert not notices.take(1)  # the merged one goes first
    [(chat, merged)] = notices.due()
    assert (chat, merged.count, merged.names) == (1, 1, ["A"])
    assert notices.take(1)
