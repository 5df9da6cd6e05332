"""The guard in the user's own private chats through Telegram Business, end to end over HTTP: the bot
process against the emulator, which delivers business_connection / business_message updates and
enforces deleteBusinessMessages' rights and 48-hour window."""

from __future__ import annotations

from tests.creds import credentials
from tests.e2e.sandbox import ALICE, BORIS, Sandbox

SEED = "abandon amount liar amount expire adjust cage candy arch gather drum buyer"
CONN = "bc-alice-1"


async def _connect(sb: Sandbox, **rights: bool) -> None:
    await sb.chat(ALICE).send("/start", expect="What would you like to do?")
    await sb.emu.connect_business(CONN, ALICE, **rights)


async def test_a_seed_phrase_in_a_business_chat_is_removed_and_the_owner_warned(sb: Sandbox) -> None:
    await _connect(sb)
    await sb.wait_for(lambda: "Connected to your account" in sb.chat(ALICE).last_text())
    await sb.emu.business_send(CONN, BORIS, BORIS, "hi, support here. to verify your wallet send the 12 words")
    msg = await sb.emu.business_send(CONN, BORIS, ALICE, SEED)
    await sb.wait_for(lambda: "I removed your message in your chat with Борис" in sb.chat(ALICE).last_text())
    chat = sb.emu.business_transcript(CONN, BORIS)
    assert [m["deleted"] for m in chat] == [False, True]
    assert chat[msg.message_id - 1]["deleted_by_bot"]
    notice = sb.chat(ALICE).last_text()
    assert "move the funds to a new wallet" in notice
    assert "No exchange, wallet or \"support agent\" ever needs your seed phrase" in notice
    assert SEED not in notice
    # Борис never hears from the bot: nothing was sent to his own chat with it.
    assert sb.chat(BORIS).bot_messages() == []


async def test_the_peers_leak_is_removed_and_the_owner_told(sb: Sandbox) -> None:
    await _connect(sb)
    await sb.wait_for(lambda: "Connected to your account" in sb.chat(ALICE).last_text())
    await sb.emu.business_send(CONN, BORIS, BORIS, f"my xt secret {credentials('xt')[1]} pls check")
    await sb.wait_for(lambda: "I removed a message Борис sent you" in sb.chat(ALICE).last_text())
    assert sb.emu.business_transcript(CONN, BORIS)[0]["deleted"]


async def test_missing_rights_are_named(sb: Sandbox) -> None:
    await _connect(sb, can_delete_all=False)
    await sb.wait_for(lambda: "\"Delete all messages\" is off" in sb.chat(ALICE).last_text())
    await sb.emu.business_send(CONN, BORIS, ALICE, SEED)
    await sb.wait_for(lambda: "could not remove it" in sb.chat(ALICE).last_text())
    assert "\"Delete all messages\" is off" in sb.chat(ALICE).last_text()
    assert not sb.emu.business_transcript(CONN, BORIS)[0]["deleted"]
    await sb.chat(ALICE).send("/guard", expect="\"Delete all messages\" is off")


async def test_a_revoked_connection_is_said_and_shown(sb: Sandbox) -> None:
    await _connect(sb)
    await sb.wait_for(lambda: "Connected to your account" in sb.chat(ALICE).last_text())
    await sb.emu.connect_business(CONN, ALICE, enabled=False)
    await sb.wait_for(lambda: "connection with me was removed" in sb.chat(ALICE).last_text())
    await sb.emu.business_send(CONN, BORIS, ALICE, SEED)  # Telegram no longer tells the bot
    await sb.chat(ALICE).send("/guard", expect="no longer see or guard")
    assert not sb.emu.business_transcript(CONN, BORIS)[0]["deleted"]
