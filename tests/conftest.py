from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import Harness


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await Harness(tmp_path).start()
    yield harness
    await harness.stop()
    # The emulator answers a call Telegram would refuse with Telegram's error; the bot may cope with it,
    # but it must not make such a call at all.
    assert harness.emu.violations == [], [(v.method, v.description) for v in harness.emu.violations]
    # Each button press is answered once: a second answer is refused by Telegram and wastes a call.
    twice = [c.params for c in harness.emu.calls if c.method == "answerCallbackQuery" and c.status != 200]
    assert twice == []
