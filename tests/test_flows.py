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
    steps_text = h.me.last_text()
    assert "Main key" in steps_text or venue_id.startswith("xrocket")
    assert "(1/" in steps_text
    for value in credentials(venue_id):
        msg = await h.me.send(value)
        assert msg.deleted, "every pasted credential is deleted at once"
    card = h.me.last_text()
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
    await h.me.send("/add")
    await h.me.press("xRocket Exchange")
    await h.me.press("Testnet")
    await h.me.send("Exchange bot")
    text = h.me.last_text()
    assert "full access and cannot be restricted" in text
    assert "cannot be bound to IP addresses" in text
    assert await current_state(h) == "AddKey:exp"


async def test_walletbot_reference_flow(h: Harness) -> None:
    """name → permissions → read-only → IPs → activate now? exactly like the wallet bot's guide."""
    await h.me.send("/add")
    await h.me.press("Wallet bot")
    await h.me.send("Payouts")
    assert await current_state(h) == "AddKey:perms"
    await h.me.press("Withdrawal")
    assert "withdrawal" in (await fsm_data(h))["draft"]["permissions"]
    await h.me.press("Next")
    assert await current_state(h) == "AddKey:ro"
    await h.me.press("No")
    await h.me.press("Allow all IPs")
    # Withdrawal with any IP: warned, with the venue's consequence, and offered a way back.
    assert "without an IP list anyone who gets it can use it" in h.me.last_text()
    await h.me.press("Continue without a list")
    await h.me.press("No expiry")
    assert await current_state(h) == "AddKey:act"
    await h.me.press("Create inactive")
    summary = h.me.last_text()
    assert "Activate now: no" in summary
    assert "Can move funds out" in summary
    await h.me.press("Confirm")
    await h.me.send("WB-API-7f3a9c2e4b6d8f0a1c3e5b7d9f2a4c6e")
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "disabled"
    assert record.activated_at is None
    assert "no public API" in h.me.last_text()


async def test_read_only_yes_drops_write_permissions(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("Bybit")
    await h.me.press("Mainnet")
    await h.me.send("Reader")
    await h.me.press("Spot - Trade")
    await h.me.press("Next")
    await h.me.press("Yes, view only")
    assert "removed Spot - Trade" in h.me.last_text()
    assert (await fsm_data(h))["draft"]["permissions"] == ["read"]


async def test_binance_withdrawal_requires_ip_list(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("Binance")
    await h.me.press("Mainnet")
    await h.me.send("Withdrawer")
    await h.me.press("Enable Withdrawals")
    await h.me.press("Next")
    await h.me.press("Allow all IPs")
    assert await current_state(h) == "AddKey:ips"
    alerts = h.calls("answerCallbackQuery")
    assert "only for keys with an IP list" in alerts[-1]["text"]
    await h.me.send("8.8.8.8")
    assert await current_state(h) == "AddKey:exp"


async def test_bybit_without_ip_expires_after_90_days(h: Harness) -> None:
    await bybit_without_ip(h)
    assert "after 90 days" in h.me.last_text()
    await h.me.press("No expiry")
    await h.me.press("Confirm")
    for value in credentials("bybit"):
        await h.me.send(value)
    [record] = await h.services.keys.list_keys(USER)
    assert record.expiry_kind.value == "venue"
    assert record.expires_at == int(h.clock.now().timestamp()) + 90 * 86400


async def test_roxom_expiry_option_and_pem_document(h: Harness) -> None:
    from tests.creds import roxom_pem

    await h.me.send("/add")
    await h.me.press("Roxom")
    await h.me.send("Rox")
    assert "no permission settings" in h.me.last_text()
    await h.me.press("90 days")
    await h.me.press("Confirm")
    await h.me.send("xrxk_key_0123456789abcdef0123456789abcdef")
    doc = await h.me.send(document=("roxom.pem", roxom_pem().encode()))
    assert doc.deleted
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "active"
    assert record.expires_at == int(h.clock.now().timestamp()) + 90 * 86400


async def test_remind_me_on_a_date(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send("Dated")
    await h.me.press("Next")
    await h.me.send("8.8.8.8")
    await h.me.press("Remind me on a date")
    await h.me.send("2020-01-01")
    assert "not a date in the future" in h.me.last_text()
    await h.me.send("15.03.2026")
    assert "reminder on 2026-03-15" in h.me.last_text()


async def test_back_goes_to_previous_applicable_step(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send("Key")
    await h.me.press("Next")
    assert await current_state(h) == "AddKey:ips"
    await h.me.press("Back")  # read-only is skipped for XT
    assert await current_state(h) == "AddKey:perms"
    await h.me.press("Back")
    assert await current_state(h) == "AddKey:name"
    await h.me.press("Back")
    assert await current_state(h) == "AddKey:venue"
    assert "Which venue" in h.me.last_text()


async def test_edit_from_summary_returns_to_summary(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("OKX")
    await h.me.press("Mainnet")
    await h.me.send("First")
    await h.me.press("Next")
    await h.me.send("8.8.8.8")
    await h.me.press("No expiry")
    assert await current_state(h) == "AddKey:summary"
    await h.me.press("Edit")
    await h.me.press("Name")
    await h.me.send("Second")
    assert await current_state(h) == "AddKey:summary"
    assert "Name: <b>Second</b>" in (h.me.last().text or "")
    await h.me.press("Edit")
    await h.me.press("IP list")
    await h.me.send("1.1.1.1 2001:4860:4860::8888")
    assert "IP list: 1.1.1.1, 2001:4860:4860::8888" in h.me.last_text()


async def test_cancel_and_slash_cancel(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.press("Cancel")
    assert await current_state(h) is None
    assert "Nothing was saved" in h.me.last_text()
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send("Name")
    await h.me.send("/cancel")
    assert await current_state(h) is None
    assert await h.services.keys.list_keys(USER) == []


async def test_restart_mid_flow_and_resume(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("Binance")
    await h.me.press("Mainnet")
    await h.me.send("Survivor")
    await h.restart()
    assert await current_state(h) == "AddKey:perms"
    await h.me.send("/start")
    assert "unfinished key setup" in h.me.last_text()
    await h.me.press("Resume")
    assert await current_state(h) == "AddKey:perms"
    await h.me.press("Next")
    await h.me.send("8.8.8.8")
    await h.me.press("No expiry")
    await h.me.press("Confirm")
    for value in credentials("binance"):
        await h.me.send(value)
    [record] = await h.services.keys.list_keys(USER)
    assert record.name == "Survivor"


async def test_restart_while_pasting_keeps_progress(h: Harness) -> None:
    await walk_to_credentials(h, "XT.com")
    await h.me.send(credentials("xt")[0])
    await h.restart()
    await h.me.send(credentials("xt")[1])
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "active"


async def test_discard_draft_from_menu(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send("Draft")
    await h.me.send("/start")
    await h.me.press("Discard")
    assert await current_state(h) is None
    assert "discarded" in h.me.last_text()


async def test_add_while_draft_exists_offers_resume(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send("Draft")
    await h.me.send("/add")
    assert "Resume it or discard it" in h.me.last_text()
    assert await current_state(h) == "AddKey:perms"


async def test_outdated_button_is_refused(h: Harness) -> None:
    await h.me.send("/add")
    picker = h.me.last(with_buttons=True)
    xt = next(b for b in picker.buttons() if b["text"] == "XT.com")
    await h.me.press("XT.com")
    await h.me.send("Name")
    await h.me.press_data(xt["callback_data"], message_id=picker.message_id)
    assert "outdated" in h.calls("answerCallbackQuery")[-1]["text"]
    assert await current_state(h) == "AddKey:perms"


async def test_pending_key_can_be_finished_later(h: Harness) -> None:
    await walk_to_credentials(h, "XT.com")
    await h.me.press("Cancel")
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "pending"
    await h.me.send("/keys")
    assert "⏳" in h.me.last_text()
    await h.me.press("Main key")
    await h.me.press("Paste credentials")
    for value in credentials("xt"):
        await h.me.send(value)
    [record] = await h.services.keys.list_keys(USER)
    assert record.status.value == "active"


async def test_russian_user_gets_russian_texts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    harness = await Harness(tmp_path, language="ru").start()
    try:
        await harness.me.send("/start")
        assert "Что вы хотите сделать?" in harness.me.last_text()
        await harness.me.send("/language")
        await harness.me.press("English")
        assert "Language set to English" in harness.me.last_text()
        await harness.me.send("/help")
        assert "How I keep your keys safe" in harness.me.last_text()
    finally:
        await harness.stop()
