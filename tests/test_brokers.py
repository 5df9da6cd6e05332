"""B2Trader key management from the chat: create from the setup's answers, sync, delete on the broker,
token handling (deleted at once, remembered only encrypted and only when asked)."""

from __future__ import annotations

from pathlib import Path

from bot.sandbox.venues import new_session
from tests.harness import USER, Harness, current_state

HOST = "exchange.mybroker.com"


async def _setup_b2trader(h: Harness, name: str = "Grid") -> None:
    await h.me.send("/add")
    await h.me.press("B2Trader")
    await h.me.send(HOST)
    await h.me.send(name)
    await h.me.press("isTrade")
    await h.me.press("Next")
    await h.me.send("8.8.8.8")
    await h.me.press("No expiry")
    await h.me.press("Confirm")


async def test_create_on_the_broker_then_sync_and_delete(h: Harness, tmp_path: Path) -> None:
    token = new_session(h.venues, HOST)
    await _setup_b2trader(h)
    await h.me.press("Create it for me")
    assert "session token" in h.me.last_text()
    await h.me.press("Remember it for next time")
    assert any("(encrypted): on" in b["text"] for b in h.me.buttons())
    msg = await h.me.send(token)
    assert msg.deleted
    text = h.me.last_text()
    assert "Created on exchange.mybroker.com" in text
    assert "✅ works" in text
    assert "Token remembered, encrypted" in text
    assert "it contained" not in h.me.texts_since(-3)  # the guard left the token to this step
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "active"
    [(venue_key, mock_key)] = [(k, v) for k, v in h.venues.keys.items() if k[0] == "b2trader"]
    assert mock_key.ips == ["8.8.8.8"]
    assert mock_key.permissions == {"trade": True, "info": True}
    assert record.masked_id == f"{venue_key[1][:4]}…{venue_key[1][-4:]}"

    # Another key made on the broker's site appears; the bot adopts it on sync (remembered token: no prompt),
    # through the key service: its listeners (the reminder planner) hear of it.
    told: list[int] = []

    async def listener(owner_id: int, key_id: int) -> None:
        told.append(key_id)

    h.services.keys.subscribe(listener)
    h.venues.register("b2trader", "11111111-2222-4333-8444-555555555555",
                      fields={"private_key": "x", "host": HOST}, name="Manual")
    await h.me.send("/keys")
    await h.me.press("Grid")
    await h.me.press("Sync with the broker")
    assert "1 key(s) match" in h.me.last_text()
    assert "Found on the broker only, now tracked here: Manual" in h.me.last_text()
    names = sorted(r.name for r in await h.services.keys.list_keys(USER))
    assert names == ["Grid", "Manual"]
    manual = next(r for r in await h.services.keys.list_keys(USER) if r.name == "Manual")
    assert manual.id in told

    # Deleted on the broker by hand: flagged as gone.
    h.venues.keys.pop(("b2trader", "11111111-2222-4333-8444-555555555555"))
    await h.me.send("/keys")
    await h.me.press("Grid")
    await h.me.press("Sync with the broker")
    assert "Manual is no longer on the broker" in h.me.last_text()

    # Delete here and on the broker.
    await h.me.send("/keys")
    await h.me.press("Grid")
    await h.me.press("Delete")
    await h.me.press("Delete here and on the broker")
    assert "deleted on the broker and here" in h.me.last_text()
    assert not any(k[0] == "b2trader" and k[1] == venue_key[1] for k in h.venues.keys)

    await h.stop()
    blob = b"".join(p.read_bytes() for p in tmp_path.glob("bot.sqlite3*"))
    assert token.encode() not in blob


async def test_rejected_token_and_token_not_kept_by_default(h: Harness) -> None:
    await _setup_b2trader(h)
    await h.me.press("Create it for me")
    msg = await h.me.send("not-a-valid-session-token-at-all")
    assert msg.deleted
    assert "refused this session token" in h.me.last_text()
    assert await current_state(h) is None
    token = new_session(h.venues, HOST)
    await h.me.send("/keys")
    await h.me.press("Grid")
    await h.me.press("Sync with the broker")
    assert "session token" in h.me.last_text()  # nothing was remembered
    await h.me.send(token)
    assert "0 key(s) match" in h.me.last_text()
    [record] = await h.services.keys.list_keys(USER)
    assert await h.services.brokers.remembered(USER, HOST) is None
    assert record.status.value == "pending"
