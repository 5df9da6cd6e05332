"""What the bot says about each venue is what the venue says: actions, expiry dates, forms, IP rules.
Each expectation quotes docs/venues.md ("Facts checked after the first version")."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.i18n import Translator
from bot.venues.registry import default_registry
from tests.flows import bybit_without_ip
from tests.harness import Harness, current_state


@pytest.fixture
def en() -> Translator:
    from bot.i18n import Locales

    return Locales().get("en")


async def test_bybit_without_ip_gets_a_real_date_not_a_contradiction(h: Harness) -> None:
    await bybit_without_ip(h)
    text = h.me.last_text()
    date = (h.clock.now() + timedelta(days=90)).date().isoformat()
    assert f"on {date}" in text
    assert "do not expire" not in text
    await h.me.press("No expiry")
    await h.me.press("Activate") if await current_state(h) == "AddKey:act" else None
    summary = h.me.last_text()
    assert f"auto-disabled on {date}: no IP bound" in summary


def test_each_venue_names_its_own_revoke_and_edit_actions(en: Translator) -> None:
    revoke = {p.id: en.plain(p.locale_id("revoke")) for p in default_registry()}
    assert "Renew token" in revoke["xrocket"]
    assert "delete" not in revoke["xrocket"].lower().replace("has no delete", "")
    assert '"Disable"' in revoke["roxom"]
    assert '"Delete"' in revoke["xt"]
    assert "deactivate or delete" in revoke["walletbot"]
    fix = {p.id: en.plain(p.locale_id("fix"), perms="QUERY", ips="any IP") for p in default_registry()}
    assert '"Modify"' in fix["xt"]
    assert "review" in fix["xt"]
    assert "cannot edit" in fix["walletbot"]
    assert "Rename and Disable" in fix["roxom"]


def test_xt_texts_say_only_what_xt_says(en: Translator) -> None:
    steps = en.plain("venue-xt-steps", name="Bot", perms="QUERY, TRADE", ips="1.2.3.4")
    for quote in ('"Alias Name"', '"Whitelist IP"', '"Public Key"', '"Private Key"', '"Modify"', "review"):
        assert quote in steps
    rules = en.plain("venue-xt-ip-rules")
    assert "a single IP address or IP segment" in rules
    assert "IPv6" not in steps


def test_wallet_bot_texts_invent_nothing(en: Translator) -> None:
    assert "address" not in en.plain("venue-walletbot-perm-deposit")
    assert "inside the bot" in en.plain("venue-walletbot-perm-transfers")
    steps = en.plain("venue-walletbot-steps", name="n", perms="p", ro="no", ips="any", act="yes")
    assert "technical support" in steps
    assert '"API keys" section' in steps


def test_revoke_and_fix_texts_use_each_venues_declared_actions(en: Translator) -> None:
    """Each profile declares its actions in the venue's own words; the texts name exactly those, and never
    an action the venue does not have (no "Delete" for xRocket or Roxom)."""
    for profile in default_registry():
        assert profile.actions, profile.id
        revoke = en.plain(profile.locale_id("revoke"))
        fix = en.plain(profile.locale_id("fix"), perms="p", ips="i")
        for action in profile.actions:
            if action.revokes:
                assert action.label.lower() in revoke.lower(), (profile.id, action.label)
        labels = {a.label.lower() for a in profile.actions}
        if "delete" not in labels:
            mentions = revoke.lower().replace("no delete", "").replace("has no delete", "")
            assert '"delete"' not in mentions, profile.id
        assert fix  # every venue says how (or that it cannot) be edited
