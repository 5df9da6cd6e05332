"""Every stale, repeated or forged button, every failure inside an update, and every odd input ends in a
consistent state and a clear message (issue: trust). Each test reproduces a path that went wrong before."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import pytest

from handlers import reveal
from handlers.callbacks import KeyCb
from tests.creds import credentials
from tests.flows import add_key, register_with_venue, walk_to_credentials
from tests.harness import GROUP, USER, Harness, current_state, fsm_data

NEW_XT = ["11111111-2222-4333-8444-555555555555", "0123456789abcdef0123456789abcdef01234567"]


def _alerts(h: Harness) -> list[str]:
    return [c.get("text", "") for c in h.calls("answerCallbackQuery")]


def _button_data(h: Harness, label: str, message_id: int | None = None) -> str:
    msg = h.emu.find(USER, message_id) if message_id else h.me.last(with_buttons=True)
    assert msg is not None
    [data] = [b["callback_data"] for b in msg.buttons() if label in b["text"]]
    return str(data)


async def _xt(h: Harness, name: str = "Main key") -> int:
    await add_key(h, "xt", "XT.com", name)
    return next(r.id for r in await h.services.keys.list_keys(USER) if r.name == name)


async def _secrets(h: Harness, slot: str) -> int:
    rows = await h.services.db.fetchall("SELECT 1 FROM key_secrets WHERE slot = ?", (slot,))
    return len(rows)


# --- flow integrity --------------------------------------------------------------------------------


async def test_button_of_a_cancelled_setup_does_not_touch_the_new_one(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send("Old key")
    old_prompt = h.me.last(with_buttons=True).message_id
    withdraw = _button_data(h, "WITHDRAW")
    await h.me.send("some text at the permissions step")  # the prompt is sent again...
    stale = h.emu.find(USER, old_prompt)
    assert stale is not None
    assert not stale.buttons()
    await h.me.send("/cancel")
    await h.me.send("/add")
    await h.me.press("Binance")
    await h.me.press("Mainnet")
    await h.me.send("New key")
    assert await current_state(h) == "AddKey:perms"
    before = (await fsm_data(h))["draft"]
    await h.me.press_data(withdraw, message_id=old_prompt)
    assert "outdated" in _alerts(h)[-1]
    assert (await fsm_data(h))["draft"] == before
    assert "withdraw" not in before["permissions"]


async def test_key_with_no_permission_is_refused(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("B2Trader")
    await h.me.send("exchange.mybroker.com")
    await h.me.send("Empty")
    await h.me.press("isInfo")  # the only default permission, switched off
    await h.me.press("Next")
    assert "at least one" in _alerts(h)[-1]
    assert await current_state(h) == "AddKey:perms"


# --- rotation ------------------------------------------------------------------------------------


async def _rotated(h: Harness) -> tuple[int, int]:
    key_id = await _xt(h)
    await h.me.press("Rotate")
    for value in NEW_XT:
        await h.me.send(value)
    card = h.me.last(with_buttons=True).message_id
    assert "Rotation pending" in h.me.last_text()
    return key_id, card


async def test_roll_back_on_a_stale_card_after_confirm_keeps_the_credentials(h: Harness) -> None:
    key_id, card = await _rotated(h)
    roll_back = _button_data(h, "Roll back", card)
    await h.me.press("New ones work")
    assert "remove the old key on the venue" in h.me.last_text()
    assert "Delete" in h.me.last_text()  # XT's own word for it
    await h.me.press_data(roll_back, message_id=card)
    assert "older version of this card" in _alerts(h)[-1]
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert record.status.value == "active"
    assert not record.rotation_pending
    assert await _secrets(h, "current") == 2
    assert [v for _, v in (await h.services.keys.reveal(record)).fields] == NEW_XT


async def test_confirm_and_roll_back_back_to_back(h: Harness) -> None:
    key_id, card = await _rotated(h)
    confirm, roll_back = _button_data(h, "New ones work", card), _button_data(h, "Roll back", card)
    await h.me.press_data(roll_back, message_id=card)
    await h.me.press_data(confirm, message_id=card)  # the same card's other button, pressed right after
    await h.me.press_data(roll_back, message_id=card)  # and the first one again
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert not record.rotation_pending
    assert [v for _, v in (await h.services.keys.reveal(record)).fields] == credentials("xt")
    assert await _secrets(h, "current") == 2
    assert await _secrets(h, "previous") == 0


async def test_settled_rotation_cannot_be_settled_again_by_the_service(h: Harness) -> None:
    from bot.keys import RotationNotPending

    key_id, _ = await _rotated(h)
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    await h.services.keys.confirm_rotation(record)
    with pytest.raises(RotationNotPending):
        await h.services.keys.rollback_rotation(record)  # the caller's copy still says "pending"
    assert await _secrets(h, "current") == 2


async def test_identical_credentials_are_not_a_rotation(h: Harness) -> None:
    key_id = await _xt(h)
    await h.me.press("Rotate")
    for value in credentials("xt"):
        await h.me.send(value)
    assert "already has" in h.me.last_text()
    assert await current_state(h) == "Credentials:paste"
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    assert not record.rotation_pending
    assert await _secrets(h, "previous") == 0
    assert await _secrets(h, "staged") == 0


async def test_deleting_tells_the_venue_action(h: Harness) -> None:
    await add_key(h, "roxom", "Roxom")
    await h.me.press("Delete")
    await h.me.press("Yes, I am sure")
    assert '"Disable"' in h.me.last_text()  # Roxom has no delete on its site


# --- reveal ----------------------------------------------------------------------------------------


async def test_reveal_confirmation_is_single_use_and_recorded_before_sending(h: Harness) -> None:
    await _xt(h)
    await h.me.press("Reveal")
    yes = _button_data(h, "Yes, I am sure")
    confirm_message = h.me.last(with_buttons=True).message_id
    await h.me.press("Yes, I am sure")
    revealed = [m for m in h.me.bot_messages() if m.text and credentials("xt")[1] in m.text]
    assert len(revealed) == 1
    assert revealed[0].protect_content
    # The placeholder was scheduled for deletion before the secret was edited into it.
    calls = [c.method for c in h.emu.calls]
    send = max(i for i, m in enumerate(calls) if m == "sendMessage")
    assert calls[send + 1] == "editMessageText"
    rows = await h.services.db.fetchall("SELECT message_id FROM pending_deletions")
    assert [r[0] for r in rows] == [revealed[0].message_id]
    await h.me.press_data(yes, message_id=confirm_message)
    assert "older version" in _alerts(h)[-1]
    assert len([m for m in h.me.bot_messages() if m.text and credentials("xt")[1] in m.text]) == 1


async def test_a_secret_too_long_for_a_message_is_revealed_as_a_document(h: Harness,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reveal, "TEXT_MAX", 100)
    await add_key(h, "roxom", "Roxom")
    await h.me.press("Reveal")
    await h.me.press("Yes, I am sure")
    [doc] = [m for m in h.me.bot_messages() if m.document is not None]
    assert doc.protect_content
    assert doc.document is not None
    assert credentials("roxom")[1].strip().encode() in h.emu.files[doc.document["file_id"]].data
    assert "deletes itself" in (doc.caption or "")
    rows = await h.services.db.fetchall("SELECT message_id FROM pending_deletions")
    assert [r[0] for r in rows] == [doc.message_id]


# --- groups and forged data ------------------------------------------------------------------------


async def _group_press(h: Harness, data: str) -> None:
    await h.feed({"callback_query": {
        "id": "g1", "from": h.user_json(USER), "chat_instance": "ci", "data": data,
        "message": {"message_id": 5, "date": 0, "chat": {"id": GROUP, "type": "supergroup", "title": "Desk"},
                    "from": {"id": 4242, "is_bot": True, "first_name": "KeyBot"}, "text": "…"}}})


async def test_key_buttons_do_nothing_in_a_group(h: Harness) -> None:
    key_id = await _xt(h)
    record = await h.services.keys.get(USER, key_id)
    assert record is not None
    await _group_press(h, KeyCb(id=key_id, action="del!", v=record.version).pack())
    assert "private chat" in _alerts(h)[-1]
    assert await h.services.keys.get(USER, key_id) is not None


async def test_commands_in_a_group_point_to_the_private_chat(h: Harness) -> None:
    await h.feed({"message": {
        "message_id": 9, "date": 0, "chat": {"id": GROUP, "type": "supergroup", "title": "Desk"},
        "from": h.user_json(USER), "text": "/keys", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}})
    [sent] = [c for c in h.calls("sendMessage") if c["chat_id"] == GROUP]
    assert "https://t.me/keyhygiene_bot" in sent["text"]
    assert await h.services.keys.list_keys(USER) == []


@pytest.mark.parametrize("data", [
    "k:99999999999999999999:del!::0", "k:-1:card::-1", "k:1:del!::99999999999999999999", "r:18446744073709551616:d",
    "g:1:99999999999999999999:done", "p:99999999999", "f:perms:withdraw:zzzzzz",
])
async def test_absurd_callback_data_is_answered_and_changes_nothing(h: Harness, data: str) -> None:
    key_id = await _xt(h)
    await h.me.press_data(data)
    assert _alerts(h)[-1]  # answered, with a reason
    assert await h.services.keys.get(USER, key_id) is not None


# --- inputs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("secret", [credentials("xt")[1], credentials("xt")[0], credentials("binance")[1]])
async def test_a_secret_typed_as_the_name_is_deleted_and_not_kept(h: Harness, secret: str) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    msg = await h.me.send(secret)
    assert msg.deleted  # by the guard (a known secret shape) or by the step (any credential shape)
    assert "looked like a key or a secret" in h.me.last_text() or "contained" in h.me.last_text()
    assert (await fsm_data(h))["draft"]["name"] is None
    assert secret not in h.me.texts_since(0)


async def test_a_secret_at_the_ip_step_is_not_echoed(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send("Bot")
    await h.me.press("Next")
    msg = await h.me.send(f"8.8.8.8, {credentials('xt')[1]}")
    assert msg.deleted
    assert credentials("xt")[1] not in h.me.texts_since(0)
    assert await current_state(h) == "AddKey:ips"


@pytest.mark.parametrize("name", ["\u200b", "\u2060\u2060", "\u3164", "\ufeff", "\u200b \u3164 \u2800"])
async def test_invisible_names_are_refused(h: Harness, name: str) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send(name)
    assert "The name is empty" in h.me.last_text()
    assert await current_state(h) == "AddKey:name"


async def test_plain_text_labels_are_not_html_escaped(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send("Tom & Jerry <3")
    await h.me.send("/start")
    labels = [b["text"] for b in h.me.buttons()]
    assert any("Tom & Jerry <3" in label for label in labels), labels
    assert "Tom &amp; Jerry" not in " ".join(labels)


async def test_rsa_keys_over_4096_bits_are_refused_with_the_reason(h: Harness) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    big = rsa.generate_private_key(public_exponent=65537, key_size=4104).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    register_with_venue(h, "roxom")
    await walk_to_credentials(h, "Roxom")
    await h.me.send(credentials("roxom")[0])
    msg = await h.me.send(big)
    assert msg.deleted
    assert "4104 bits" in h.me.last_text()
    assert await current_state(h) == "Credentials:paste"


# --- findability ---------------------------------------------------------------------------------


async def test_menu_and_key_list_lead_to_report_and_settings(h: Harness) -> None:
    await _xt(h)
    h.clock.advance(days=100)  # unused and due for rotation
    await h.me.send("/start")
    labels = [b["text"] for b in h.me.buttons()]
    assert any("Report" in x for x in labels)
    assert any("Settings" in x for x in labels)
    await h.me.send("/help")
    assert "/report" in h.me.last_text()
    assert "/settings" in h.me.last_text()
    await h.me.send("/keys")
    assert "open issue" in h.me.last_text()
    assert any("🟡" in b["text"] for b in h.me.buttons())
    await h.me.send("/settings")
    await h.me.press("Time zone")
    await h.me.send("+3")
    assert "UTC+3" in h.me.last_text()


# --- one error boundary ------------------------------------------------------------------------------


async def test_an_unexpected_error_says_nothing_was_saved_and_keeps_the_flow(
        h: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    before = await fsm_data(h)

    async def broken(*args: Any, **kwargs: Any) -> bool:
        raise RuntimeError("boom")

    monkeypatch.setattr(h.services.keys, "name_taken", broken)
    with caplog.at_level(logging.ERROR):
        await h.me.send("Main key")
    assert "nothing was saved" in h.me.last_text()
    assert await current_state(h) == "AddKey:name"
    assert await fsm_data(h) == before
    [line] = [r.getMessage() for r in caplog.records if "failed at" in r.getMessage()]
    assert "(message)" in line
    assert "RuntimeError" in line


async def test_an_fsm_write_that_fails_is_undone_and_said(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    original = h.services.db.execute

    async def full_disk(sql: str, params: Any = ()) -> None:
        if "INSERT INTO fsm" in sql:
            raise sqlite3.OperationalError("database or disk is full")
        await original(sql, params)

    monkeypatch.setattr(h.services.db, "execute", full_disk)
    await h.me.send("Main key")
    assert "Nothing was saved" in h.me.last_text()
    assert await current_state(h) == "AddKey:name"  # memory agrees with the database
    assert (await fsm_data(h))["draft"]["name"] is None
    monkeypatch.setattr(h.services.db, "execute", original)
    await h.me.send("Main key")
    assert await current_state(h) == "AddKey:perms"


async def test_a_damaged_ciphertext_is_one_clear_message(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    await _xt(h)
    await h.services.db.execute("UPDATE key_secrets SET ciphertext = ?", (bytes(48),))
    await h.me.press("Reveal")
    with caplog.at_level(logging.ERROR):
        await h.me.press("Yes, I am sure")
    assert "cannot be decrypted" in h.me.last_text()
    assert any("does not decrypt" in r.getMessage() for r in caplog.records)


async def test_broker_400_on_create_is_explained_and_the_key_kept_pending(h: Harness) -> None:
    from bot.sandbox.venues import new_session
    from tests.test_brokers import HOST, _setup_b2trader

    token = new_session(h.venues, HOST)
    for n in range(3):  # the broker already has its 3 keys
        h.venues.register("b2trader", f"0000000{n}-2222-4333-8444-555555555555", fields={"host": HOST})
    await _setup_b2trader(h)
    await h.me.press("Create it for me")
    msg = await h.me.send(token)
    assert msg.deleted
    assert "limit of 3 keys" in h.me.last_text()
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "pending"


async def test_broker_delete_404_is_not_gone_while_the_broker_lists_it(h: Harness) -> None:
    from bot.sandbox.venues import new_session
    from tests.test_brokers import HOST, _setup_b2trader

    token = new_session(h.venues, HOST)
    await _setup_b2trader(h)
    await h.me.press("Create it for me")
    await h.me.send(token)
    h.venues.b2trader_delete_status = 404
    await h.me.send("/keys")
    await h.me.press("Grid")
    await h.me.press("Delete")
    await h.me.press("Delete here and on the broker")
    await h.me.send(token)
    assert "did not delete" in h.me.last_text()
    [record] = await h.services.keys.list_keys(USER)
    assert await _secrets(h, "current") == 2
    assert record.status.value == "active"


async def test_broker_key_without_info_is_created_without_it(h: Harness) -> None:
    from bot.sandbox.venues import new_session
    from tests.test_brokers import HOST

    token = new_session(h.venues, HOST)
    await h.me.send("/add")
    await h.me.press("B2Trader")
    await h.me.send(HOST)
    await h.me.send("Trade only")
    await h.me.press("isInfo")
    await h.me.press("isTrade")
    await h.me.press("Next")
    await h.me.send("8.8.8.8")
    await h.me.press("No expiry")
    await h.me.press("Confirm")
    await h.me.press("Create it for me")
    await h.me.send(token)
    [mock_key] = [k for (venue, _), k in h.venues.keys.items() if venue == "b2trader"]
    assert mock_key.permissions == {"trade": True, "info": False}
