"""Every venue's full flow, and every way through it: back, edit, cancel, resume, restart."""

from __future__ import annotations

import pytest

from bot.venues.registry import default_registry
from tests.creds import credentials
from tests.flows import bybit_without_ip, walk_to_credentials
from tests.harness import USER, Harness, current_state, fsm_data

VENUES = [(p.id, p.title) for p in default_registry()]


@pytest.mark.parametrize(("venue_id", "title"), VENUES)
async def test_full_flow_each_venue(h: Harness, venue_id: str, title: str) -> None:
    await walk_to_credentials(h, title)
    # The venue's own click-by-click steps were shown before the first paste prompt.
    steps_text = h.last_text()
    assert "Main key" in steps_text or venue_id.startswith("xrocket")
    assert "(1/" in steps_text
    for value in credentials(venue_id):
        msg = await h.send(value)
        assert msg.deleted, "every pasted credential is deleted at once"
    card = h.last_text()
    assert "Credentials stored encrypted" in card
    assert "Main key" in card
    records = await h.services.keys.list_keys(USER)
    assert len(records) == 1
    record = records[0]
    assert record.venue == venue_id
    assert record.status.value == "active"
    assert record.masked_id
    assert "…" in record.masked_id
    profile = default_registry()[venue_id]
    public = credentials(venue_id)[[f.public_id for f in profile.fields].index(True)].strip()
    assert record.masked_id in (f"{public[:4]}…{public[-4:]}", f"{public[:4]}…{public[-4:]}".lower())
    revealed = await h.services.keys.reveal(record)
    assert [v for _, v in revealed.fields] == [
        f.normalize(v) for f, v in zip(profile.fields, credentials(venue_id), strict=True)
    ]


async def test_skipped_steps_are_named(h: Harness) -> None:
    await h.send("/add")
    await h.press("xRocket Exchange")
    await h.press("Testnet")
    await h.send("Exchange bot")
    text = h.last_text()
    assert "full access and cannot be restricted" in text
    assert "cannot be bound to IP addresses" in text
    assert await current_state(h) == "AddKey:exp"


async def test_walletbot_reference_flow(h: Harness) -> None:
    """name → permissions → read-only → IPs → activate now? exactly like the wallet bot's guide."""
    await h.send("/add")
    await h.press("Wallet bot")
    await h.send("Payouts")
    assert await current_state(h) == "AddKey:perms"
    await h.press("Withdrawal")
    assert "withdrawal" in (await fsm_data(h))["draft"]["permissions"]
    await h.press("Next")
    assert await current_state(h) == "AddKey:ro"
    await h.press("No")
    await h.press("Allow all IPs")
    # Withdrawal with any IP: warned, with the venue's consequence, and offered a way back.
    assert "without an IP list anyone who gets it can use it" in h.last_text()
    await h.press("Continue without a list")
    await h.press("No expiry")
    assert await current_state(h) == "AddKey:act"
    await h.press("Create inactive")
    summary = h.last_text()
    assert "Activate now: no" in summary
    assert "Can move funds out" in summary
    await h.press("Confirm")
    await h.send("WB-API-7f3a9c2e4b6d8f0a1c3e5b7d9f2a4c6e")
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "disabled"
    assert record.activated_at is None
    assert "no public API" in h.last_text()


async def test_read_only_yes_drops_write_permissions(h: Harness) -> None:
    await h.send("/add")
    await h.press("Bybit")
    await h.press("Mainnet")
    await h.send("Reader")
    await h.press("Spot - Trade")
    await h.press("Next")
    await h.press("Yes, view only")
    assert "removed Spot - Trade" in h.last_text()
    assert (await fsm_data(h))["draft"]["permissions"] == ["read"]


async def test_binance_withdrawal_requires_ip_list(h: Harness) -> None:
    await h.send("/add")
    await h.press("Binance")
    await h.press("Mainnet")
    await h.send("Withdrawer")
    await h.press("Enable Withdrawals")
    await h.press("Next")
    await h.press("Allow all IPs")
    assert await current_state(h) == "AddKey:ips"
    alerts = h.calls("AnswerCallbackQuery")
    assert "only for keys with an IP list" in alerts[-1]["text"]
    await h.send("8.8.8.8")
    assert await current_state(h) == "AddKey:exp"


async def test_bybit_without_ip_expires_after_90_days(h: Harness) -> None:
    await bybit_without_ip(h)
    assert "after 90 days" in h.last_text()
    await h.press("No expiry")
    await h.press("Confirm")
    for value in credentials("bybit"):
        await h.send(value)
    [record] = await h.services.keys.list_keys(USER)
    assert record.expiry_kind.value == "venue"
    assert record.expires_at == int(h.clock.now().timestamp()) + 90 * 86400


async def test_roxom_expiry_option_and_pem_document(h: Harness) -> None:
    from tests.creds import roxom_pem

    await h.send("/add")
    await h.press("Roxom")
    await h.send("Rox")
    assert "no permission settings" in h.last_text()
    await h.press("90 days")
    await h.press("Confirm")
    await h.send("xrxk_key_0123456789abcdef0123456789abcdef")
    doc = await h.send_other("document", data=roxom_pem().encode(), file_name="roxom.pem")
    assert doc.deleted
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "active"
    assert record.expires_at == int(h.clock.now().timestamp()) + 90 * 86400


async def test_remind_me_on_a_date(h: Harness) -> None:
    await h.send("/add")
    await h.press("XT.com")
    await h.send("Dated")
    await h.press("Next")
    await h.send("8.8.8.8")
    await h.press("Remind me on a date")
    await h.send("2020-01-01")
    assert "not a date in the future" in h.last_text()
    await h.send("15.03.2026")
    assert "reminder on 2026-03-15" in h.last_text()


async def test_back_goes_to_previous_applicable_step(h: Harness) -> None:
    await h.send("/add")
    await h.press("XT.com")
    await h.send("Key")
    await h.press("Next")
    assert await current_state(h) == "AddKey:ips"
    await h.press("Back")  # read-only is skipped for XT
    assert await current_state(h) == "AddKey:perms"
    await h.press("Back")
    assert await current_state(h) == "AddKey:name"
    await h.press("Back")
    assert await current_state(h) == "AddKey:venue"
    assert "Which venue" in h.last_text()


async def test_edit_from_summary_returns_to_summary(h: Harness) -> None:
    await h.send("/add")
    await h.press("OKX")
    await h.press("Mainnet")
    await h.send("First")
    await h.press("Next")
    await h.send("8.8.8.8")
    await h.press("No expiry")
    assert await current_state(h) == "AddKey:summary"
    await h.press("Edit")
    await h.press("Name")
    await h.send("Second")
    assert await current_state(h) == "AddKey:summary"
    assert "Name: <b>Second</b>" in h.last_text()
    await h.press("Edit")
    await h.press("IP list")
    await h.send("1.1.1.1 2001:4860:4860::8888")
    assert "IP list: 1.1.1.1, 2001:4860:4860::8888" in h.last_text()


async def test_cancel_and_slash_cancel(h: Harness) -> None:
    await h.send("/add")
    await h.press("XT.com")
    await h.press("Cancel")
    assert await current_state(h) is None
    assert "Nothing was saved" in h.last_text()
    await h.send("/add")
    await h.press("XT.com")
    await h.send("Name")
    await h.send("/cancel")
    assert await current_state(h) is None
    assert await h.services.keys.list_keys(USER) == []


async def test_restart_mid_flow_and_resume(h: Harness) -> None:
    await h.send("/add")
    await h.press("Binance")
    await h.press("Mainnet")
    await h.send("Survivor")
    await h.restart()
    assert await current_state(h) == "AddKey:perms"
    await h.send("/start")
    assert "unfinished key setup" in h.last_text()
    await h.press("Resume")
    assert await current_state(h) == "AddKey:perms"
    await h.press("Next")
    await h.send("8.8.8.8")
    await h.press("No expiry")
    await h.press("Confirm")
    for value in credentials("binance"):
        await h.send(value)
    [record] = await h.services.keys.list_keys(USER)
    assert record.name == "Survivor"


async def test_restart_while_pasting_keeps_progress(h: Harness) -> None:
    await walk_to_credentials(h, "XT.com")
    await h.send(credentials("xt")[0])
    await h.restart()
    await h.send(credentials("xt")[1])
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "active"


async def test_discard_draft_from_menu(h: Harness) -> None:
    await h.send("/add")
    await h.press("XT.com")
    await h.send("Draft")
    await h.send("/start")
    await h.press("Discard")
    assert await current_state(h) is None
    assert "discarded" in h.last_text()


async def test_add_while_draft_exists_offers_resume(h: Harness) -> None:
    await h.send("/add")
    await h.press("XT.com")
    await h.send("Draft")
    await h.send("/add")
    assert "Resume it or discard it" in h.last_text()
    assert await current_state(h) == "AddKey:perms"


async def test_outdated_button_is_refused(h: Harness) -> None:
    await h.send("/add")
    picker = h.last_bot_message(with_markup=True)
    xt = next(b for row in picker.markup or [] for b in row if b["text"] == "XT.com")
    await h.press("XT.com")
    await h.send("Name")
    await h.press_data(xt["callback_data"], message_id=picker.message_id)
    assert "outdated" in h.calls("AnswerCallbackQuery")[-1]["text"]
    assert await current_state(h) == "AddKey:perms"


async def test_pending_key_can_be_finished_later(h: Harness) -> None:
    await walk_to_credentials(h, "XT.com")
    await h.press("Cancel")
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "pending"
    await h.send("/keys")
    assert "⏳" in h.last_text()
    await h.press("Main key")
    await h.press("Paste credentials")
    for value in credentials("xt"):
        await h.send(value)
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "active"


async def test_russian_user_gets_russian_texts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    harness = await Harness(tmp_path, language="ru").start()
    try:
        await harness.send("/start")
        assert "Что вы хотите сделать?" in harness.last_text()
        await harness.send("/language")
        await harness.press("English")
        assert "Language set to English" in harness.last_text()
        await harness.send("/help")
        assert "How I keep your keys safe" in harness.last_text()
    finally:
        await harness.stop()
