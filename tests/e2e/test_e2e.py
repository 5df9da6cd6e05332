"""The unchanged bot process against the Bot API emulator over HTTP."""

from __future__ import annotations

import signal
from pathlib import Path

import asyncpg

from tests.chat import text_of
from tests.creds import credentials, roxom_pem
from tests.e2e.sandbox import ALICE, BORIS, Sandbox
from tests.pg_server import PostgresServer, dump


async def test_start_and_commands(sb: Sandbox) -> None:
    await sb.chat(ALICE).send("/start", expect="What would you like to do?")
    await sb.chat(BORIS).send("/start", expect="Что вы хотите сделать?")
    assert [c["command"] for c in sb.emu.commands[""]] == ["start", "add", "keys", "report", "settings", "lock",
                                                           "panic", "history", "cancel", "language", "help"]
    assert sb.emu.commands["ru"][0]["description"] == "Главное меню"


async def test_add_xt_key_with_credentials_deleted(sb: Sandbox) -> None:
    await sb.chat(ALICE).send("/add", expect="Which venue")
    await sb.chat(ALICE).press("XT.com", expect="send a name")
    await sb.chat(ALICE).send("Grid bot", expect="what may this key do")
    await sb.chat(ALICE).press("TRADE", expect="✅ TRADE")
    await sb.chat(ALICE).press("Next", expect="which IP addresses")
    await sb.chat(ALICE).send("1.1.1.1 8.8.8.8", expect="2 addresses saved")
    await sb.chat(ALICE).press("No expiry", expect="Check your new key")
    await sb.chat(ALICE).press("Confirm", expect="Paste the Access key")
    key_msg = await sb.chat(ALICE).send(credentials("xt")[0], expect="Access key stored")
    secret_msg = await sb.chat(ALICE).send(credentials("xt")[1], expect="Credentials stored encrypted")
    assert key_msg.deleted
    assert key_msg.deleted_by == sb.emu.bot.id
    assert secret_msg.deleted
    assert "Key: 3976…0085" in sb.chat(ALICE).last_text()


async def test_roxom_pem_as_document_and_reveal(sb: Sandbox) -> None:
    await sb.chat(ALICE).send("/add", expect="Which venue")
    await sb.chat(ALICE).press("Roxom", expect="send a name")
    await sb.chat(ALICE).send("Rox", expect="when should the key expire")
    await sb.chat(ALICE).press("1 year", expect="Check your new key")
    await sb.chat(ALICE).press("Confirm", expect="Paste the Key ID")
    await sb.chat(ALICE).send(credentials("roxom")[0], expect="Key ID stored")
    doc = await sb.chat(ALICE).send(document=("roxom.pem", roxom_pem().encode()), expect="Credentials stored encrypted")
    assert doc.deleted
    await sb.chat(ALICE).press("Reveal", expect="Show the secret")
    await sb.chat(ALICE).press("Yes, I am sure", expect="deletes itself in 5 seconds")
    reveal = next(m for m in sb.chat(ALICE).bot_messages() if "deletes itself" in text_of(m))
    assert reveal.protect_content
    await sb.wait_for(lambda: reveal.deleted, timeout=15)


async def test_restart_in_the_middle_of_a_flow(sb: Sandbox) -> None:
    await sb.chat(ALICE).send("/add", expect="Which venue")
    await sb.chat(ALICE).press("OKX", expect="which environment")
    await sb.chat(ALICE).press("Demo trading", expect="send a name")
    await sb.chat(ALICE).send("Demo", expect="what may this key do")
    assert await sb.stop_bot(signal.SIGTERM) == 0
    await sb.start_bot()
    await sb.chat(ALICE).press("Next", expect="which IP addresses")
    await sb.chat(ALICE).press("Allow all IPs", expect="do not expire")
    await sb.chat(ALICE).press("No expiry", expect="Check your new key")
    await sb.chat(ALICE).press("Confirm", expect="Paste the API key")
    for value in credentials("okx"):
        await sb.chat(ALICE).send(value)
    await sb.wait_for(lambda: "Credentials stored encrypted" in sb.chat(ALICE).last_text())
    await sb.chat(ALICE).press("All keys", expect="Your keys")
    assert "Demo" in sb.chat(ALICE).last_text()


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
    await sb.chat(user).send("/add", expect="Which venue")
    await sb.chat(user).press(title)
    for _ in range(15):
        text = sb.chat(user).last_text()
        if "(1/" in text and "Paste the" in text:
            return
        action = next((a for marker, a in PROMPTS if marker in text), None)
        assert action is not None, f"unexpected screen: {text[:300]}"
        if action[0] == "press":
            await sb.chat(user).press(action[1])
        else:
            await sb.chat(user).send(action[1])
    raise AssertionError("did not reach the credentials step")


async def test_every_venue_over_http_then_card_actions(sb: Sandbox) -> None:
    from bot.venues.registry import default_registry

    for i, profile in enumerate(default_registry()):
        user = 2000 + i
        sb.emu.add_user(user, f"User{i}")
        await _walk(sb, user, profile.title)
        pasted = [await sb.chat(user).send(value) for value in credentials(profile.id)]
        await sb.wait_for(lambda: "Credentials stored encrypted" in sb.chat(user).last_text())  # noqa: B023
        assert all(m.deleted for m in pasted), profile.id
    # Key-card actions on the last key, over HTTP.
    user = 2000 + len(list(default_registry())) - 1
    await sb.chat(user).press("Rename", expect="Send a new name")
    await sb.chat(user).send("Renamed over HTTP", expect="Renamed.")
    await sb.chat(user).press("Deactivate", expect="Status: ⏸ inactive")
    await sb.chat(user).press("Activate", expect="Status: 🟢 active")
    await sb.chat(user).press("Still in use", expect="still in use")
    await sb.chat(user).press("History", expect="History of")
    await sb.chat(user).press("Back", expect="Renamed over HTTP")
    await sb.chat(user).press("Delete", expect="destroyed for good")
    await sb.chat(user).press("Yes, I am sure", expect="was deleted")


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
    await sb.chat(ALICE).send("/add", expect="Which venue")
    await sb.chat(ALICE).press("XT.com", expect="send a name")
    await sb.chat(ALICE).send("Verified", expect="what may this key do")
    await sb.chat(ALICE).press("Next", expect="which IP addresses")
    await sb.chat(ALICE).send("8.8.8.8", expect="1 address saved")
    await sb.chat(ALICE).press("No expiry", expect="Check your new key")
    await sb.chat(ALICE).press("Confirm", expect="Paste the Access key")
    await sb.chat(ALICE).send(values["access_key"], expect="Access key stored")
    await sb.chat(ALICE).send(values["secret"], expect="not from this IP")
    assert "203.0.113.10" in sb.chat(ALICE).last_text()
    sb.venues.keys[("xt", values["access_key"])].behaviour = "ok"
    await sb.chat(ALICE).press("Verify with the venue", expect="✅ works")
    assert ("xt", "/v4/balances", 200) in sb.venues.requests


async def test_a_key_setup_over_http_on_postgresql(tmp_path: Path, postgres_server: PostgresServer) -> None:
    """The unchanged bot process with DATABASE_URL set: the walk, a restart in the middle of it, the
    records in PostgreSQL, and no secret in a pg_dump of the database."""
    url = postgres_server.new_database()
    sb = await Sandbox(tmp_path).start(DATABASE_URL=url)
    try:
        await sb.chat(ALICE).send("/add", expect="Which venue")
        await sb.chat(ALICE).press("XT.com", expect="send a name")
        await sb.chat(ALICE).send("PG key", expect="what may this key do")
        assert await sb.stop_bot(signal.SIGTERM) == 0  # the flow's state is in PostgreSQL, not the process
        await sb.start_bot(DATABASE_URL=url)
        await sb.chat(ALICE).press("TRADE", expect="✅ TRADE")
        await sb.chat(ALICE).press("Next", expect="which IP addresses")
        await sb.chat(ALICE).send("1.1.1.1", expect="saved")
        await sb.chat(ALICE).press("No expiry", expect="Check your new key")
        await sb.chat(ALICE).press("Confirm", expect="Paste the Access key")
        for value in credentials("xt"):
            await sb.chat(ALICE).send(value)
        await sb.wait_for(lambda: "Credentials stored encrypted" in sb.chat(ALICE).last_text())
    finally:
        await sb.stop()
    assert not (tmp_path / "bot.sqlite3").exists()  # nothing went to the SQLite default
    conn = await asyncpg.connect(url)
    try:
        key = await conn.fetchrow("SELECT id, name, status FROM keys WHERE owner_id = $1", ALICE)
        sealed = await conn.fetchval("SELECT count(*) FROM key_secrets WHERE key_id = $1", key["id"])
    finally:
        await conn.close()
    assert (key["name"], sealed) == ("PG key", 2)
    stored = dump(url)
    assert b"PG key" in stored  # the dump does hold the records...
    for value in credentials("xt"):
        assert value.encode() not in stored  # ...but no secret, in text or in any bytea value
