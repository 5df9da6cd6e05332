"""Verifying keys from the chat: right after pasting and from the card, every outcome explained, drift
listed, the venue's expiry taken, and no signature or secret in the logs."""

from __future__ import annotations

import logging

import pytest

from tests.creds import credentials
from tests.flows import add_key, register_with_venue, walk_to_credentials
from tests.harness import USER, Harness


async def test_wrong_secret_is_reported_right_after_pasting(h: Harness) -> None:
    register_with_venue(h, "xt")
    await walk_to_credentials(h, "XT.com")
    await h.me.send(credentials("xt")[0])
    await h.me.send("0" * 39 + "1")  # a well-formed secret that is not this key's
    text = h.me.last_text()
    assert "Check: ❌ wrong secret (venue code AUTH_103)" in text
    assert "Paste the right one with Rotate" in text
    [record] = await h.services.keys.list_keys(USER)
    assert (record.verify_outcome, record.verify_code) == ("bad_secret", "AUTH_103")


@pytest.mark.parametrize(("behaviour", "expected"), [
    ("not_activated", "⏸ not activated"), ("ip_blocked", "🛡 not from this IP"),
    ("permission", "🚫 permission denied"), ("rate_limited", "⏳ rate limited"),
])
async def test_each_outcome_from_the_card(h: Harness, behaviour: str, expected: str) -> None:
    await add_key(h, "xt", "XT.com")
    h.venues.keys[("xt", credentials("xt")[0])].behaviour = behaviour
    await h.me.press("Verify with the venue")
    assert expected in h.me.last_text()
    if behaviour == "ip_blocked":
        assert "refuses requests from the bot's address" in h.me.last_text()
        assert "<code>203.0.113.10</code>" in (h.me.last().text or "")


async def test_drift_is_listed_and_expiry_taken(h: Harness) -> None:
    await _bybit_with_drift(h, expires_at=1_900_000_000)
    text = h.me.last_text()
    assert "You set this key as read-only, but on the venue it can: Spot - Trade, Assets - Withdrawal." in text
    assert "can move funds out: Assets - Withdrawal" in text
    assert "on the venue the key works from any IP" in text
    assert "I updated the key's expiry" in text
    [record] = await h.services.keys.list_keys(USER)
    assert record.expires_at == 1_900_000_000
    assert record.expiry_kind.value == "venue"


async def test_venue_unreachable(h: Harness) -> None:
    await add_key(h, "okx", "OKX")
    h.venues.accept_all = False
    h.venues.keys.clear()

    def down(method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, object]:
        return 503, {"msg": "maintenance"}

    h.venues.handle = down  # type: ignore[method-assign]
    await h.me.press("Verify with the venue")
    assert "📡 venue unreachable" in h.me.last_text()


async def test_wallet_bot_cannot_be_verified(h: Harness) -> None:
    await add_key(h, "walletbot", "Wallet bot")
    assert not any("Verify" in b["text"] for b in h.me.buttons())
    assert "no public API" in h.me.last_text()


async def test_no_signature_or_secret_in_logs(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await add_key(h, "binance", "Binance")
    await h.me.press("Verify with the venue")
    assert "✅ works" in h.me.last_text()
    assert "signature=" not in caplog.text
    for value in credentials("binance"):
        assert value not in caplog.text


async def _bybit_with_drift(h: Harness, **venue: object) -> None:
    """A read-only Bybit key bound to 8.8.8.8, which the venue holds as trading and withdrawing from any IP."""
    register_with_venue(h, "bybit", read_only=False, ips=[],
                        permissions={"Spot": ["SpotTrade"], "Wallet": ["Withdraw"]}, **venue)
    await h.me.send("/add")
    await h.me.press("Bybit")
    await h.me.press("Mainnet")
    await h.me.send("Reader")
    await h.me.press("Next")
    await h.me.press("Yes, view only")
    await h.me.send("8.8.8.8")
    await h.me.press("No expiry")
    await h.me.press("Confirm")
    for value in credentials("bybit"):
        await h.me.send(value)


async def test_drift_stays_on_the_card_and_in_the_report_until_a_check_clears_it(h: Harness) -> None:
    await _bybit_with_drift(h)
    await h.me.send("/keys")
    await h.me.press("Reader")
    card = h.me.last_text()
    assert "At the last check" in card
    assert "can move funds out: Assets - Withdrawal" in card
    await h.me.send("/report")
    assert "is set up differently on the venue than you recorded" in h.me.last_text()
    # The user fixes it on the venue; the next check finds it matching and clears the warning.
    await h.me.send("/keys")
    await h.me.press("Reader")
    await h.me.press("Fix it on the venue")
    assert "API management" in h.me.last_text()
    key = h.venues.keys[("bybit", credentials("bybit")[0])]
    key.read_only, key.ips, key.permissions = True, ["8.8.8.8"], {}
    await h.me.press("Verify with the venue")
    [record] = await h.services.keys.list_keys(USER)
    assert record.drift == []
    assert "At the last check" not in h.me.last_text()  # the refreshed card


async def test_match_my_record_to_the_venue(h: Harness) -> None:
    await _bybit_with_drift(h)
    await h.me.send("/keys")
    await h.me.press("Reader")
    await h.me.press("Match my record to the venue")
    assert "now matches what Bybit reported" in h.me.last_text()
    [record] = await h.services.keys.list_keys(USER)
    assert record.drift == []
    assert record.read_only is False
    assert record.ip_allowlist == []
    assert {"spot", "withdraw"} <= set(record.permissions)
    # A later check finds nothing to report.
    await h.me.press("Verify with the venue")
    assert "At the last check" not in h.me.last_text()
    assert "can move funds out" not in h.me.last_text()
    [record] = await h.services.keys.list_keys(USER)
    assert record.drift == []


async def test_sandbox_stand_ins_agree_with_the_record_until_asked_to_drift(h: Harness) -> None:
    """Offline demo: a key is what its owner recorded on the stand-in venue, so its check shows no drift;
    the sandbox page can ask for drift, and then the check shows it."""
    from keybot.sandbox import mirror_records

    h.venues.accept_all = True
    mirror_records(h.venues)(h.services)
    await walk_to_credentials(h, "Bybit", name="Demo", ips="8.8.8.8")
    for value in credentials("bybit"):
        await h.me.send(value)
    text = h.me.last_text()
    assert "✅ works" in text
    assert "⚠️" not in text.split("Check:", 1)[1].split("\n\n", 1)[0]
    [record] = await h.services.keys.list_keys(USER)
    assert not record.drift
    assert h.venues.drift("bybit", credentials("bybit")[0])
    await h.me.send("/keys")
    await h.me.press("Demo")
    await h.me.press("Verify with the venue")
    assert "can move funds out: Assets - Withdrawal" in h.me.last_text()
