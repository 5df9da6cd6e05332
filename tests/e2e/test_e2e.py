"""The unchanged bot process against the Bot API emulator over HTTP."""

from __future__ import annotations

import signal

from tests.creds import credentials, roxom_pem
from tests.e2e.sandbox import ALICE, BORIS, Sandbox


async def test_start_and_commands(sb: Sandbox) -> None:
    await sb.say(ALICE, "/start", expect="What would you like to do?")
    await sb.say(BORIS, "/start", expect="Что вы хотите сделать?")
    assert [c["command"] for c in sb.emu.commands[""]] == ["start", "add", "keys", "report", "settings", "cancel",
                                                           "language", "help"]
    assert sb.emu.commands["ru"][0]["description"] == "Главное меню"


async def test_add_xt_key_with_credentials_deleted(sb: Sandbox) -> None:
    await sb.say(ALICE, "/add", expect="Which venue")
    await sb.press(ALICE, "XT.com", expect="send a name")
    await sb.say(ALICE, "Grid bot", expect="what may this key do")
    await sb.press(ALICE, "TRADE", expect="✅ TRADE")
    await sb.press(ALICE, "Next", expect="which IP addresses")
    await sb.say(ALICE, "1.1.1.1 8.8.8.8", expect="2 addresses saved")
    await sb.press(ALICE, "No expiry", expect="Check your new key")
    await sb.press(ALICE, "Confirm", expect="Paste the <b>Access key</b>".replace("<b>", "").replace("</b>", ""))
    key_msg = await sb.say(ALICE, credentials("xt")[0], expect="Access key stored")
    secret_msg = await sb.say(ALICE, credentials("xt")[1], expect="Credentials stored encrypted")
    transcript = {m["message_id"]: m for m in sb.emu.transcript(ALICE)}
    assert transcript[key_msg]["deleted"]
    assert transcript[key_msg]["deleted_by_bot"]
    assert transcript[secret_msg]["deleted"]
    assert "Key: 3976…0085" in sb.last_text(ALICE)


async def test_roxom_pem_as_document_and_reveal(sb: Sandbox) -> None:
    await sb.say(ALICE, "/add", expect="Which venue")
    await sb.press(ALICE, "Roxom", expect="send a name")
    await sb.say(ALICE, "Rox", expect="when should the key expire")
    await sb.press(ALICE, "1 year", expect="Check your new key")
    await sb.press(ALICE, "Confirm", expect="Paste the Key ID")
    await sb.say(ALICE, credentials("roxom")[0], expect="Key ID stored")
    doc = await sb.send_document(ALICE, "roxom.pem", roxom_pem().encode(), expect="Credentials stored encrypted")
    assert next(m for m in sb.emu.transcript(ALICE) if m["message_id"] == doc)["deleted"]
    await sb.press(ALICE, "Reveal", expect="Show the secret")
    await sb.press(ALICE, "Yes, I am sure", expect="deletes itself in 5 seconds")
    reveal = next(m for m in sb.bot_messages(ALICE) if "deletes itself" in (m["text"] or ""))
    assert reveal["protect_content"]
    await sb.wait_for(lambda: next(m for m in sb.emu.transcript(ALICE)
                                   if m["message_id"] == reveal["message_id"])["deleted"], timeout=15)


async def test_restart_in_the_middle_of_a_flow(sb: Sandbox) -> None:
    await sb.say(ALICE, "/add", expect="Which venue")
    await sb.press(ALICE, "OKX", expect="which environment")
    await sb.press(ALICE, "Demo trading", expect="send a name")
    await sb.say(ALICE, "Demo", expect="what may this key do")
    assert await sb.stop_bot(signal.SIGTERM) == 0
    await sb.start_bot()
    await sb.press(ALICE, "Next", expect="which IP addresses")
    await sb.press(ALICE, "Allow all IPs", expect="do not expire")
    await sb.press(ALICE, "No expiry", expect="Check your new key")
    await sb.press(ALICE, "Confirm", expect="Paste the API key")
    for value in credentials("okx"):
        await sb.say(ALICE, value)
    await sb.wait_for(lambda: "Credentials stored encrypted" in sb.last_text(ALICE))
    await sb.press(ALICE, "All keys", expect="Your keys")
    assert "Demo" in sb.last_text(ALICE)


PROMPTS = [  # (text on the bot's last message, what a person does)
    ("which environment?", ("press", "Mainnet")),
    ("every broker runs its own", ("say", "exchange.mybroker.com")),
    ("send a name for this key", ("say", "E2E key")),
    ("what may this key do?", ("press", "Next")),
    ("key? A read-only key", ("press", "Yes, view only")),
    ("which IP addresses may use this key?", ("say", "8.8.8.8")),
    ("when should the key expire?", ("press", "Never")),
    ("keys do not expire", ("press", "No expiry")),
    ("activate the key right away?", ("press", "Activate now")),
    ("Check your new key", ("press", "Confirm")),
]


async def _walk(sb: Sandbox, user: int, title: str) -> None:
    await sb.say(user, "/add", expect="Which venue")
    await sb.press(user, title)
    for _ in range(15):
        text = sb.last_text(user)
        if "(1/" in text and "Paste the" in text:
            return
        action = next((a for marker, a in PROMPTS if marker in text), None)
        assert action is not None, f"unexpected screen: {text[:300]}"
        if action[0] == "press":
            await sb.press(user, action[1])
        else:
            await sb.say(user, action[1])
    raise AssertionError("did not reach the credentials step")


async def test_every_venue_over_http_then_card_actions(sb: Sandbox) -> None:
    from bot.venues.registry import default_registry

    for i, profile in enumerate(default_registry()):
        user = 2000 + i
        sb.emu.add_user(user, f"User{i}")
        await _walk(sb, user, profile.title)
        pasted = [await sb.say(user, value) for value in credentials(profile.id)]
        await sb.wait_for(lambda: "Credentials stored encrypted" in sb.last_text(user))  # noqa: B023
        transcript = {m["message_id"]: m for m in sb.emu.transcript(user)}
        assert all(transcript[mid]["deleted"] for mid in pasted), profile.id
    # Key-card actions on the last key, over HTTP.
    user = 2000 + len(list(default_registry())) - 1
    await sb.press(user, "Rename", expect="Send a new name")
    await sb.say(user, "Renamed over HTTP", expect="Renamed.")
    await sb.press(user, "Deactivate", expect="Status: ⏸ inactive")
    await sb.press(user, "Activate", expect="Status: 🟢 active")
    await sb.press(user, "Still in use", expect="still in use")
    await sb.press(user, "History", expect="History of")
    await sb.press(user, "Back", expect="Renamed over HTTP")
    await sb.press(user, "Delete", expect="destroyed for good")
    await sb.press(user, "Yes, I am sure", expect="was deleted")


async def test_group_guard_in_the_bot_process(sb: Sandbox) -> None:
    group = -100123
    sb.emu.add_group(group, "Desk")
    sb.emu.set_member(group, ALICE, "creator")
    sb.emu.set_member(group, BORIS, "member")
    sb.emu.set_member(group, sb.emu.bot.id, "administrator", can_delete_messages=True)
    leak = await sb.emu.user_send(BORIS, group, "binance secret " + credentials("binance")[1])
    await sb.wait_for(lambda: sb.emu.find(group, leak.message_id).deleted_at is not None)  # type: ignore[union-attr]
    await sb.wait_for(lambda: any(m["ephemeral_for"] == BORIS for m in sb.emu.transcript(group)))
    edited = await sb.emu.user_send(ALICE, group, "gm")
    await sb.emu.user_edit(ALICE, group, edited.message_id, "seed: start true merge velvet album satoshi federal "
                                                            "lyrics educate ignore usual whale")
    await sb.wait_for(lambda: sb.emu.find(group, edited.message_id).deleted_at is not None)  # type: ignore[union-attr]


async def test_verification_over_http(sb: Sandbox) -> None:
    values = dict(zip(("access_key", "secret"), credentials("xt"), strict=True))
    sb.venues.register("xt", values["access_key"], fields=values, behaviour="ip_blocked")
    await sb.say(ALICE, "/add", expect="Which venue")
    await sb.press(ALICE, "XT.com", expect="send a name")
    await sb.say(ALICE, "Verified", expect="what may this key do")
    await sb.press(ALICE, "Next", expect="which IP addresses")
    await sb.say(ALICE, "8.8.8.8", expect="1 address saved")
    await sb.press(ALICE, "No expiry", expect="Check your new key")
    await sb.press(ALICE, "Confirm", expect="Paste the Access key")
    await sb.say(ALICE, values["access_key"], expect="Access key stored")
    await sb.say(ALICE, values["secret"], expect="not from this IP")
    assert "203.0.113.10" in sb.last_text(ALICE)
    sb.venues.keys[("xt", values["access_key"])].behaviour = "ok"
    await sb.press(ALICE, "Verify with the venue", expect="✅ works")
    assert ("xt", "/v4/balances", 200) in sb.venues.requests
