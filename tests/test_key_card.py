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
    card = h.me.last_text()
    for part in ("XT.com · Mainnet", "Key: 3976…0085", "Status: 🟢 active", "Permissions: QUERY",
                 "IP list: 8.8.8.8", "Expiry: No expiry", "Created 2026-01-15 12:00 UTC", "Last used never",
                 "Last checked 2026-01-15 12:00 UTC", "Last check: ✅ works", "Check: ✅ works"):
        assert part in card


async def test_rename(h: Harness) -> None:
    await _xt(h)
    await _xt(h, "Other")
    await h.me.press("Rename")
    await h.me.send("Main key")
    assert "already have a XT.com key with this name" in h.me.last_text()
    await h.me.send("   ")
    assert "The name is empty" in h.me.last_text()
    await h.me.send("Renamed <b>bold</b>")
    assert "Renamed &lt;b&gt;bold&lt;/b&gt;" in (h.me.last().text or "")
    assert await current_state(h) is None


async def test_deactivate_and_activate(h: Harness) -> None:
    key_id = await _xt(h)
    await h.me.press("Deactivate")
    assert "do the same on XT.com" in h.me.last_text()
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.status.value == "disabled"
    await h.me.press("Activate")
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.status.value == "active"


async def test_edit_expiry_and_mark_used(h: Harness) -> None:
    key_id = await _xt(h)
    await h.me.press("Expiry")
    await h.me.press("Remind me on a date")
    await h.me.send("2027-01-01")
    assert "reminder on 2027-01-01" in h.me.last_text()
    h.clock.advance(hours=5)
    await h.me.press("Still in use")
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.last_used_at == int(h.clock.now().timestamp())
    assert "Last used 2026-01-15 17:00 UTC" in h.me.last_text()


async def test_rotate_confirm_destroys_previous(h: Harness) -> None:
    key_id = await _xt(h)
    await h.me.press("Rotate")
    assert "Rotation" in h.me.last_text()
    await h.me.send("11111111-2222-4333-8444-555555555555")
    await h.me.send("0123456789abcdef0123456789abcdef01234567")
    assert "Rotation pending" in h.me.last_text()
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.rotation_pending
    assert record.masked_id == "1111…5555"
    assert len(await h.services.db.fetchall("SELECT 1 FROM key_secrets WHERE slot = 'previous'")) == 2
    await h.me.press("New ones work")
    assert await h.services.db.fetchall("SELECT 1 FROM key_secrets WHERE slot = 'previous'") == []
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    revealed = await h.services.keys.reveal(record)
    assert revealed.fields[1][1] == "0123456789abcdef0123456789abcdef01234567"


async def test_rotate_roll_back_restores_previous(h: Harness) -> None:
    key_id = await _xt(h)
    await h.me.press("Rotate")
    await h.me.send("11111111-2222-4333-8444-555555555555")
    await h.me.send("0123456789abcdef0123456789abcdef01234567")
    await h.me.press("Roll back")
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert not record.rotation_pending
    assert record.masked_id == "3976…0085"
    revealed = await h.services.keys.reveal(record)
    assert [v for _, v in revealed.fields] == credentials("xt")


async def test_rotation_cancelled_midway_keeps_current(h: Harness) -> None:
    key_id = await _xt(h)
    await h.me.press("Rotate")
    await h.me.send("11111111-2222-4333-8444-555555555555")
    await h.me.press("Cancel")
    assert "Nothing you pasted was kept" in h.me.last_text()
    assert await h.services.db.fetchall("SELECT 1 FROM key_secrets WHERE slot = 'staged'") == []
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert not record.rotation_pending


async def test_reveal_self_destructs_after_30_seconds(h: Harness) -> None:
    await _xt(h)
    await h.me.press("Reveal")
    await h.me.press("Yes, I am sure")
    reveal = h.me.last()
    assert reveal.protect_content
    assert "<tg-spoiler>" in (reveal.text or "")
    assert credentials("xt")[1] in (reveal.text or "")
    h.clock.advance(seconds=29)
    await h.services.deletions.run_due(h.bot)
    assert not reveal.deleted
    h.clock.advance(seconds=1)
    assert await h.services.deletions.run_due(h.bot) == 1
    assert reveal.deleted


async def test_reveal_deleted_after_a_restart(h: Harness) -> None:
    await _xt(h)
    await h.me.press("Reveal")
    await h.me.press("Yes, I am sure")
    reveal = h.me.last()
    await h.restart()
    h.clock.advance(seconds=45)
    assert await h.services.deletions.run_due(h.bot) == 1
    assert reveal.deleted


async def test_history_lists_actions_without_secrets(h: Harness) -> None:
    await _xt(h)
    await h.me.press("Deactivate")
    await h.me.press("History")
    text = h.me.last_text()
    assert "deactivated" in text
    assert "credentials stored" in text
    assert "set up" in text
    assert credentials("xt")[1] not in text


async def test_delete_destroys_secret(h: Harness) -> None:
    key_id = await _xt(h)
    await h.me.press("Delete")
    assert "destroyed for good" in h.me.last_text()
    await h.me.press("Yes, I am sure")
    assert "was deleted" in h.me.last_text()
    assert await h.services.keys.get(USER, key_id) is None
    assert await h.services.db.fetchall("SELECT 1 FROM key_secrets WHERE key_id = ?", (key_id,)) == []
    # The name is free again.
    await _xt(h)


async def test_forged_callback_for_someone_elses_key(h: Harness) -> None:
    key_id = await _xt(h, user=OTHER_USER)
    await h.me.send("/start")
    sent_before = len(h.calls("sendMessage")) + len(h.calls("editMessageText"))
    for action in ("card", "rev!", "del!", "off", "ren", "rot", "rok", "rrb", "hist", "exps"):
        await h.me.press_data(KeyCb(id=key_id, action=action, arg="none").pack())
        assert h.calls("answerCallbackQuery")[-1]["text"] == "That key was not found."
    assert len(h.calls("sendMessage")) + len(h.calls("editMessageText")) == sent_before
    record = await h.services.keys.get(OTHER_USER, key_id)
    assert record is not None
    assert record.status.value == "active"
    assert await current_state(h) is None


async def test_garbage_callback_data(h: Harness) -> None:
    await h.me.send("/start")
    await h.me.press_data("k:notanumber:card:")
    await h.me.press_data("zz:whatever")
    assert all("outdated" in c["text"] for c in h.calls("answerCallbackQuery")[-2:])


async def test_xt_limit_of_ten(h: Harness) -> None:
    for i in range(10):
        await _xt(h, f"k{i}")
    await h.me.send("/add")
    await h.me.press("XT.com")
    assert "at most 10 keys" in h.me.last_text()
    assert await current_state(h) is None


async def test_b2trader_limit_of_three_per_broker(h: Harness) -> None:
    for i in range(3):
        await add_key(h, "b2trader", "B2Trader", f"b{i}")
    await h.me.send("/add")
    await h.me.press("B2Trader")
    await h.me.send("exchange.mybroker.com")
    assert "at most 3 keys" in h.me.last_text()
    await h.me.send("exchange.otherbroker.io")
    assert await current_state(h) == "AddKey:name"


async def test_roxom_ten_active(h: Harness) -> None:
    for i in range(10):
        await add_key(h, "roxom", "Roxom", f"r{i}")
    await h.me.send("/add")
    await h.me.press("Roxom")
    assert "at most 10 active keys" in h.me.last_text()
    await h.me.send("/keys")
    await h.me.press("r0")
    await h.me.press("Deactivate")
    await h.me.send("/add")
    await h.me.press("Roxom")
    assert await current_state(h) == "AddKey:name"
    await h.me.send("r10")
    await h.me.press("Never")
    await h.me.press("Confirm")
    for value in credentials("roxom"):
        await h.me.send(value)
    await h.me.send("/keys")
    await h.me.press("r0")
    await h.me.press("Activate")
    assert "at most 10 active keys" in h.calls("answerCallbackQuery")[-1]["text"]


async def test_xrocket_one_token_per_environment(h: Harness) -> None:
    await add_key(h, "xrocket", "xRocket Exchange", "main")
    await h.me.send("/add")
    await h.me.press("xRocket Exchange")
    await h.me.press("Mainnet")
    assert "one token per environment" in h.calls("answerCallbackQuery")[-1]["text"]
    await h.me.press("Testnet")
    assert await current_state(h) == "AddKey:name"


async def test_list_is_grouped_and_paginated(h: Harness) -> None:
    for i in range(9):
        await _xt(h, f"x{i}")
    await add_key(h, "okx", "OKX", "okx one")
    await h.me.send("/keys")
    text = h.me.last_text()
    assert "Your keys (10)" in text
    assert "<b>OKX</b>" in (h.me.last().text or "")  # venues head their groups in bold
    assert "<b>XT.com</b>" in (h.me.last().text or "")
    assert any(b["text"] == "1/2" for b in h.me.buttons())
    await h.me.press("▶️")
    assert any(b["text"] == "2/2" for b in h.me.buttons())
    await h.me.press("◀️")
    assert any(b["text"] == "1/2" for b in h.me.buttons())


async def test_start_ends_a_rename_in_progress(h: Harness) -> None:
    await _xt(h)
    await h.me.press("Rename")
    assert await current_state(h) == "KeyEdit:rename"
    await h.me.send("/start")
    assert await current_state(h) is None
    await h.me.send("Just chatting")
    assert "did not understand" in h.me.last_text()


async def test_reactivating_is_not_a_new_key(h: Harness) -> None:
    await add_key(h, "xrocket", "xRocket Exchange", "main")
    await add_key(h, "xrocket", "xRocket Exchange", "test", env_label="Testnet")
    await h.me.press("Deactivate")
    await h.me.press("Activate")
    records = await h.services.keys.list_keys(USER)
    assert [r.status.value for r in records] == ["active", "active"]


async def test_card_times_in_the_users_time_zone(h: Harness) -> None:
    await _xt(h)
    await h.services.users.update(USER, timezone="Europe/Moscow")
    await h.me.send("/keys")
    await h.me.press("Main key")
    assert "Created 2026-01-15 15:00 MSK" in h.me.last_text()
