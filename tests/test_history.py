"""/history through the dispatcher: every reveal, unlock, failed unlock, storage-mode change and panic is
in it, named by key, a page at a time."""

from __future__ import annotations

from tests.harness import Harness
from tests.test_stepup import PASSPHRASE, _open_card, _with_passphrase


async def test_history_shows_the_security_events(h: Harness) -> None:
    await _with_passphrase(h)
    await _open_card(h)
    await h.me.press("Reveal", expect="needs your unlock passphrase")
    await h.me.send("not the passphrase", expect="Wrong passphrase")
    await h.me.send(PASSPHRASE, expect="Show the secret")
    await h.me.press("Yes, I am sure")
    await _open_card(h)
    await h.me.press("Lock with my passphrase")
    await h.me.press("Yes, I am sure", expect="Locked with your passphrase.")
    await h.me.send("/panic")
    await h.me.press("Yes, destroy them all", expect="Every stored secret is destroyed")
    await h.me.send("/history", expect="History")
    text = h.me.last_text()
    order = ["panic: credentials destroyed", "locked with the passphrase · Main", "secret revealed · Main",
             "unlocked", "wrong unlock attempt (1 in a row)", "unlock passphrase set"]
    positions = [text.find(event) for event in order]
    assert -1 not in positions, text
    assert positions == sorted(positions)  # newest first


async def test_history_pages_back(h: Harness) -> None:
    await _with_passphrase(h)  # 4 entries: set up, credentials stored, checked, passphrase set
    for _ in range(20):
        await h.me.send("/lock")
        await _open_card(h)
        await h.me.press("Reveal")
        await h.me.send(PASSPHRASE, expect="Show the secret")  # 20 unlocks
    await h.me.send("/history")
    first = h.me.last_text()
    assert first.count(" — ") == 15
    assert "unlock passphrase set" not in first
    await h.me.press("Older", expect="History")
    second = h.me.last_text()
    assert second.count(" — ") == 9
    assert "unlock passphrase set" in second
    assert "set up · Main" in second
    assert not any("Older" in b["text"] for b in h.me.buttons())
