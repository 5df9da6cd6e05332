from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.sandbox import Sandbox


@pytest.fixture
async def sb(tmp_path: Path) -> AsyncIterator[Sandbox]:
    sandbox = await Sandbox(tmp_path).start()
    yield sandbox
    await sandbox.stop()
    assert sandbox.emu.violations == [], [(v.method, v.description) for v in sandbox.emu.violations]
    assert sandbox.emu.ignored_params == []
