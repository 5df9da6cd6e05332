"""Storage mode 3, "locked with my passphrase", through the real dispatcher: the server's data and master
key alone open nothing; reading the key needs the passphrase (also after a restart within the unlocked
period); changing the passphrase keeps the keys; health checks wait for the next unlock."""

from __future__ import annotations

import pytest

from bot.keywrap import LocalKeyWrapper, decode_master_key
from bot.vault import Locked, Sealed, Vault
from storage.vault_store import VaultStore
from tests.creds import credentials
from tests.harness import MASTER_KEY, USER, Harness
from tests.test_stepup import PASSPHRASE, _open_card, _revealed, _with_passphrase


async def _lock_main(h: Harness) -> None:
    await _with_passphrase(h)  # adds "Main" (XT.com) and sets the passphrase; the unlocked period is over
    await _open_card(h)
    assert "Stored encrypted on the server" in h.me.last_text()
    await h.me.press("Lock with my passphrase", expect="Lock Main with your passphrase?")
    await h.me.press("Yes, I am sure", expect="needs your unlock passphrase")  # sealing needs the key open
    await h.me.send(PASSPHRASE, expect="Lock Main with your passphrase?")  # resumes at the confirmation
    await h.me.press("Yes, I am sure", expect="Locked with your passphrase.")
    assert "Locked with your passphrase: readable only while you are unlocked" in h.me.last_text()


async def _rows(h: Harness) -> list[Sealed]:
    rows = await h.services.db.fetchall(
        "SELECT s.data_key_id, s.nonce, s.ciphertext, s.field FROM key_secrets s "
        "JOIN data_keys d ON d.id = s.data_key_id WHERE d.kind = 'locked'")
    return [Sealed(int(r[0]), bytes(r[1]), bytes(r[2])) for r in rows]


async def test_the_master_key_alone_cannot_open_a_locked_key(h: Harness) -> None:
    await _lock_main(h)
    [record] = await h.services.keys.list_keys(USER)
    assert record.storage == "locked"
    sealed = await h.services.db.fetchall(
        "SELECT s.field, s.data_key_id, s.nonce, s.ciphertext, d.kind FROM key_secrets s "
        "JOIN data_keys d ON d.id = s.data_key_id WHERE s.key_id = ?", (record.id,))
    assert {r[4] for r in sealed} == {"locked"}  # every stored field moved to the locked data key
    # Whoever copies the database and the master key: a vault of their own on the same files.
    thief = await Vault.open(LocalKeyWrapper(decode_master_key(MASTER_KEY)), VaultStore(h.services.db), h.clock)
    for field, key_id, nonce, ciphertext, _kind in sealed:
        with pytest.raises(Locked):
            await thief.open_sealed(USER, record.id, field, Sealed(int(key_id), bytes(nonce), bytes(ciphertext)))
    data = await h.stored()
    assert PASSPHRASE.encode() not in data
    assert all(value.encode() not in data for value in credentials("xt"))


async def test_reading_a_locked_key_needs_the_passphrase_even_after_a_restart(h: Harness) -> None:
    await _lock_main(h)
    await h.me.press("Reveal", expect="Show the secret")  # unlocked just now
    await h.restart()  # within the unlocked period, but the locked data key was only in memory
    await _open_card(h)
    await h.me.press("Reveal", expect="needs your unlock passphrase")
    await h.me.send(PASSPHRASE, expect="Show the secret")
    await h.me.press("Yes, I am sure")
    assert _revealed(h)
    await h.me.send("/lock", expect="Locked")
    await _open_card(h)
    await h.me.press("Verify", expect="needs your unlock passphrase")


async def test_a_new_passphrase_keeps_locked_keys_readable(h: Harness) -> None:
    await _lock_main(h)
    await h.me.send("/settings")
    await h.me.press("Unlock passphrase")
    await h.me.press("Turn it off")
    await h.me.send(PASSPHRASE, expect="One key is locked with this passphrase")
    await h.me.send("/settings")
    await h.me.press("Unlock passphrase")
    await h.me.press("Change it")
    await h.me.send(PASSPHRASE, expect="Send the new passphrase")
    await h.me.send("a brand new one 99")
    await h.me.send("a brand new one 99", expect="Passphrase set")
    await h.me.send("/lock")
    await _open_card(h)
    await h.me.press("Reveal", expect="needs your unlock passphrase")
    await h.me.send(PASSPHRASE, expect="Wrong passphrase")
    await h.me.send("a brand new one 99", expect="Show the secret")
    await h.me.press("Yes, I am sure")
    assert _revealed(h)


async def test_moving_back_to_the_server_needs_the_passphrase(h: Harness) -> None:
    await _lock_main(h)
    await h.me.send("/lock")
    await _open_card(h)
    await h.me.press("Keep on the server instead", expect="needs your unlock passphrase")
    await h.me.send(PASSPHRASE, expect="Keep Main encrypted on the server instead?")
    await h.me.press("Yes, I am sure", expect="Stored encrypted on the server again")
    assert await _rows(h) == []
    [record] = await h.services.keys.list_keys(USER)
    assert record.storage == "server"
    kinds = await h.services.db.fetchall("SELECT action FROM audit WHERE action LIKE 'storage_%'")
    assert [r[0] for r in kinds] == ["storage_locked", "storage_server"]
    await h.me.send("/lock")
    assert (await h.services.keys.credentials(record))  # the master key alone opens it again


async def test_health_checks_of_locked_keys_wait_for_an_unlock(h: Harness) -> None:
    await _lock_main(h)
    [record] = await h.services.keys.list_keys(USER)
    await h.services.keys.set_health_check(record, True)
    await h.me.send("/lock")
    planned = await h.services.db.fetchall(
        "SELECT kind FROM reminders WHERE owner_id = ? AND state = 'due'", (USER,))
    assert "health" not in {r[0] for r in planned}  # nothing could open it unattended
    h.clock.advance(days=2)
    await _open_card(h)
    await h.me.press("Reveal")
    await h.me.send(PASSPHRASE, expect="Health checks that waited for you to unlock (1)")
    assert "Main: " in h.me.last_text()


async def test_locking_needs_a_passphrase_first(h: Harness) -> None:
    from tests.flows import add_key

    await add_key(h, "xt", "XT.com", "Main")
    await _open_card(h)
    await h.me.press("Lock with my passphrase")
    answers = [c.get("text", "") for c in h.calls("answerCallbackQuery")]
    assert "Set an unlock passphrase first" in answers[-1]


async def test_new_credentials_for_a_locked_key_are_locked_too(h: Harness) -> None:
    await _lock_main(h)
    await h.me.send("/lock")
    await _open_card(h)
    await h.me.press("Rotate", expect="needs your unlock passphrase")
    await h.me.send(PASSPHRASE, expect="Unlocked")
    await h.me.press("Rotate", expect="Rotation")
    await h.me.send("11111111-2222-4333-8444-555555555555")
    await h.me.send("0123456789abcdef0123456789abcdef01234567", expect="Rotation pending")
    kinds = await h.services.db.fetchall(
        "SELECT DISTINCT d.kind FROM key_secrets s JOIN data_keys d ON d.id = s.data_key_id")
    assert [r[0] for r in kinds] == ["locked"]  # the new set and the kept previous one
    [record] = await h.services.keys.list_keys(USER)
    assert record.storage == "locked"


async def test_the_report_counts_keys_per_storage_mode(h: Harness) -> None:
    await _lock_main(h)
    await h.me.send("/report", expect="Storage: 0 on the server · 1 locked with your passphrase · 0 fingerprint")


async def test_the_report_flags_withdrawal_keys_kept_on_the_server(h: Harness) -> None:
    from bot.setup_flow import Draft
    from domain.models import KeyStatus

    await h.me.send("/start")
    draft = Draft(venue="binance", environment="mainnet", name="Mover", permissions=["withdraw"],
                  ips=["8.8.8.8"], expiry="none")
    record = await h.services.keys.create(USER, draft)
    await h.services.keys._keys.update(USER, record.id, status=KeyStatus.ACTIVE, activated_at=0)
    await h.me.send("/report", expect="Mover (Binance) can move funds and is kept server-encrypted")
    assert any("Lock Mover" in b["text"] for b in h.me.buttons())
