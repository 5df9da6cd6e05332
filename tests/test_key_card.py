"""Every key-card action, venue limits, forged callbacks, the list and its pages."""

from __future__ import annotations

from handlers.callbacks import KeyCb
from tests.creds import credentials
from tests.flows import add_key
from tests.harness import OTHER_USER, USER, Harness, current_state


async def _xt(h: Harness, name: str = "Main key", user: int = USER) -> int:
    await add_key(h, "xt", "XT.com", name, user)
    records = await h.services.keys.list_keys(user)
    return next(r.id for r in records if r.name == name)


async def test_card_shows_everything(h: Harness) -> None:
    await _xt(h)
    card = h.last_text()
    for part in ("XT.com · Mainnet", "Key: <code>3976…0085</code>", "Status: 🟢 active", "Permissions: QUERY",
                 "IP list: 8.8.8.8", "Expiry: No expiry", "Created 2026-01-15 12:00 UTC", "Last used never",
                 "Last checked 2026-01-15 12:00 UTC", "Last check: ✅ works", "<b>Check:</b> ✅ works"):
        assert part in card


async def test_rename(h: Harness) -> None:
    await _xt(h)
    await _xt(h, "Other")
    await h.press("Rename")
    await h.send("Main key")
    assert "already have a XT.com key with this name" in h.last_text()
    await h.send("   ")
    assert "The name is empty" in h.last_text()
    await h.send("Renamed <b>bold</b>")
    assert "Renamed &lt;b&gt;bold&lt;/b&gt;" in h.last_text()
    assert await current_state(h) is None


async def test_deactivate_and_activate(h: Harness) -> None:
    key_id = await _xt(h)
    await h.press("Deactivate")
    assert "do the same on XT.com" in h.last_text()
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.status.value == "disabled"
    await h.press("Activate")
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.status.value == "active"


async def test_edit_expiry_and_mark_used(h: Harness) -> None:
    key_id = await _xt(h)
    await h.press("Expiry")
    await h.press("Remind me on a date")
    await h.send("2027-01-01")
    assert "reminder on 2027-01-01" in h.last_text()
    h.clock.advance(hours=5)
    await h.press("Still in use")
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.last_used_at == int(h.clock.now().timestamp())
    assert "Last used 2026-01-15 17:00 UTC" in h.last_text()


async def test_rotate_confirm_destroys_previous(h: Harness) -> None:
    key_id = await _xt(h)
    await h.press("Rotate")
    assert "Rotation" in h.last_text()
    await h.send("11111111-2222-4333-8444-555555555555")
    await h.send("0123456789abcdef0123456789abcdef01234567")
    assert "Rotation pending" in h.last_text()
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.rotation_pending
    assert record.masked_id == "1111…5555"
    assert len(await h.services.db.fetchall("SELECT 1 FROM key_secrets WHERE slot = 'previous'")) == 2
    await h.press("New ones work")
    assert await h.services.db.fetchall("SELECT 1 FROM key_secrets WHERE slot = 'previous'") == []
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    revealed = await h.services.keys.reveal(record)
    assert revealed.fields[1][1] == "0123456789abcdef0123456789abcdef01234567"


async def test_rotate_roll_back_restores_previous(h: Harness) -> None:
    key_id = await _xt(h)
    await h.press("Rotate")
    await h.send("11111111-2222-4333-8444-555555555555")
    await h.send("0123456789abcdef0123456789abcdef01234567")
    await h.press("Roll back")
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert not record.rotation_pending
    assert record.masked_id == "3976…0085"
    revealed = await h.services.keys.reveal(record)
    assert [v for _, v in revealed.fields] == credentials("xt")


async def test_rotation_cancelled_midway_keeps_current(h: Harness) -> None:
    key_id = await _xt(h)
    await h.press("Rotate")
    await h.send("11111111-2222-4333-8444-555555555555")
    await h.press("Cancel")
    assert "Nothing you pasted was kept" in h.last_text()
    assert await h.services.db.fetchall("SELECT 1 FROM key_secrets WHERE slot = 'staged'") == []
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert not record.rotation_pending


async def test_reveal_self_destructs_after_30_seconds(h: Harness) -> None:
    await _xt(h)
    await h.press("Reveal")
    await h.press("Yes, I am sure")
    reveal = h.last_bot_message()
    assert reveal.protect_content
    assert "<tg-spoiler>" in (reveal.text or "")
    assert credentials("xt")[1] in (reveal.text or "")
    h.clock.advance(seconds=29)
    await h.services.deletions.run_due(h.bot)
    assert not reveal.deleted
    h.clock.advance(seconds=1)
    h.tg.now = int(h.clock.now().timestamp())
    assert await h.services.deletions.run_due(h.bot) == 1
    assert reveal.deleted


async def test_reveal_deleted_after_a_restart(h: Harness) -> None:
    await _xt(h)
    await h.press("Reveal")
    await h.press("Yes, I am sure")
    reveal = h.last_bot_message()
    await h.restart()
    h.clock.advance(seconds=45)
    h.tg.now = int(h.clock.now().timestamp())
    assert await h.services.deletions.run_due(h.bot) == 1
    assert reveal.deleted


async def test_history_lists_actions_without_secrets(h: Harness) -> None:
    await _xt(h)
    await h.press("Deactivate")
    await h.press("History")
    text = h.last_text()
    assert "deactivated" in text
    assert "credentials stored" in text
    assert "set up" in text
    assert credentials("xt")[1] not in text


async def test_delete_destroys_secret(h: Harness) -> None:
    key_id = await _xt(h)
    await h.press("Delete")
    assert "destroyed for good" in h.last_text()
    await h.press("Yes, I am sure")
    assert "was deleted" in h.last_text()
    assert await h.services.keys.get(USER, key_id) is None
    assert await h.services.db.fetchall("SELECT 1 FROM key_secrets WHERE key_id = ?", (key_id,)) == []
    # The name is free again.
    await _xt(h)


async def test_forged_callback_for_someone_elses_key(h: Harness) -> None:
    key_id = await _xt(h, user=OTHER_USER)
    await h.send("/start")
    sent_before = len(h.calls("SendMessage")) + len(h.calls("EditMessageText"))
    for action in ("card", "rev!", "del!", "off", "ren", "rot", "rok", "rrb", "hist", "exps"):
        await h.press_data(KeyCb(id=key_id, action=action, arg="none").pack())
        assert h.calls("AnswerCallbackQuery")[-1]["text"] == "That key was not found."
    assert len(h.calls("SendMessage")) + len(h.calls("EditMessageText")) == sent_before
    record = await h.services.keys.get(OTHER_USER, key_id)
    assert record is not None
    assert record.status.value == "active"
    assert await current_state(h) is None


async def test_garbage_callback_data(h: Harness) -> None:
    await h.send("/start")
    await h.press_data("k:notanumber:card:")
    await h.press_data("zz:whatever")
    assert all("outdated" in c["text"] for c in h.calls("AnswerCallbackQuery")[-2:])


async def test_xt_limit_of_ten(h: Harness) -> None:
    for i in range(10):
        await _xt(h, f"k{i}")
    await h.send("/add")
    await h.press("XT.com")
    assert "at most 10 keys" in h.last_text()
    assert await current_state(h) is None


async def test_b2trader_limit_of_three_per_broker(h: Harness) -> None:
    for i in range(3):
        await add_key(h, "b2trader", "B2Trader", f"b{i}")
    await h.send("/add")
    await h.press("B2Trader")
    await h.send("exchange.mybroker.com")
    assert "at most 3 keys" in h.last_text()
    await h.send("exchange.otherbroker.io")
    assert await current_state(h) == "AddKey:name"


async def test_roxom_ten_active(h: Harness) -> None:
    for i in range(10):
        await add_key(h, "roxom", "Roxom", f"r{i}")
    await h.send("/add")
    await h.press("Roxom")
    assert "at most 10 active keys" in h.last_text()
    await h.send("/keys")
    await h.press("r0")
    await h.press("Deactivate")
    await h.send("/add")
    await h.press("Roxom")
    assert await current_state(h) == "AddKey:name"
    await h.send("r10")
    await h.press("Never")
    await h.press("Confirm")
    for value in credentials("roxom"):
        await h.send(value)
    await h.send("/keys")
    await h.press("r0")
    await h.press("Activate")
    assert "at most 10 active keys" in h.calls("AnswerCallbackQuery")[-1]["text"]


async def test_xrocket_one_token_per_environment(h: Harness) -> None:
    await add_key(h, "xrocket", "xRocket Exchange", "main")
    await h.send("/add")
    await h.press("xRocket Exchange")
    await h.press("Mainnet")
    assert "one token per environment" in h.calls("AnswerCallbackQuery")[-1]["text"]
    await h.press("Testnet")
    assert await current_state(h) == "AddKey:name"


async def test_list_is_grouped_and_paginated(h: Harness) -> None:
    for i in range(9):
        await _xt(h, f"x{i}")
    await add_key(h, "okx", "OKX", "okx one")
    await h.send("/keys")
    text = h.last_text()
    assert "<b>Your keys</b> (10)" in text
    assert "<b>OKX</b>" in text
    assert "<b>XT.com</b>" in text
    assert any(b["text"] == "1/2" for b in h.buttons())
    await h.press("▶️")
    assert any(b["text"] == "2/2" for b in h.buttons())
    await h.press("◀️")
    assert any(b["text"] == "1/2" for b in h.buttons())


async def test_start_ends_a_rename_in_progress(h: Harness) -> None:
    await _xt(h)
    await h.press("Rename")
    assert await current_state(h) == "KeyEdit:rename"
    await h.send("/start")
    assert await current_state(h) is None
    await h.send("Just chatting")
    assert "did not understand" in h.last_text()


async def test_reactivating_is_not_a_new_key(h: Harness) -> None:
    await add_key(h, "xrocket", "xRocket Exchange", "main")
    await add_key(h, "xrocket", "xRocket Exchange", "test", env_label="Testnet")
    await h.press("Deactivate")
    await h.press("Activate")
    records = await h.services.keys.list_keys(USER)
    assert [r.status.value for r in records] == ["active", "active"]


async def test_card_times_in_the_users_time_zone(h: Harness) -> None:
    await _xt(h)
    await h.services.users.update(USER, timezone="Europe/Moscow")
    await h.send("/keys")
    await h.press("Main key")
    assert "Created 2026-01-15 15:00 MSK" in h.last_text()
