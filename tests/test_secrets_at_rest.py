"""After full flows on every venue, no byte string of any pasted secret is in the database file,
the FSM rows, the captured logs or any message except the explicit reveal."""

from __future__ import annotations

import logging

import pytest

from bot.guard.detector import Detector
from bot.redact import RedactingFilter
from bot.venues.registry import default_registry
from tests.creds import secret_values
from tests.flows import add_key
from tests.harness import Harness


def _needles(values: list[str]) -> list[bytes]:
    out = []
    for v in values:
        out += [v.encode(), v.lower().encode(), v.encode("utf-16-le")]
    return out


async def test_no_plaintext_secret_anywhere(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secrets: list[str] = []
    for profile in default_registry():
        await add_key(h, profile.id, profile.title, name=f"{profile.id} key")
        secrets += secret_values(profile.id)
    # Rotation and a cancelled paste too: staged and previous slots hold ciphertext only.
    await h.me.send("/keys")
    await h.me.press("▶️")
    await h.me.press("xt key")
    await h.me.press("Rotate")
    await h.me.send("11111111-2222-4333-8444-555555555555")
    await h.me.send("0123456789abcdef0123456789abcdef01234567")
    secrets.append("0123456789abcdef0123456789abcdef01234567")

    fsm_rows = await h.services.db.fetchall("SELECT state, data FROM fsm")
    await h.stop()
    blobs = await h.stored()  # the SQLite files, or a pg_dump
    assert b"key_secrets" in blobs or b"xt key" in blobs, "the database holds the keys"
    fsm_text = repr([tuple(r) for r in fsm_rows]).encode()
    logs = caplog.text.encode()
    for needle in _needles(secrets):
        assert needle not in blobs, f"plaintext secret in the database: {needle[:12]!r}…"
        assert needle not in fsm_text
        assert needle not in logs
    # Nothing the bot sent contains a secret: there was no reveal in this test.
    sent = "\n".join(str(c.params) for c in h.emu.calls).encode()
    for needle in _needles(secrets):
        assert needle not in sent, f"the bot echoed a secret: {needle[:12]!r}…"


def test_log_filter_redacts_secrets_and_tracebacks() -> None:
    arg = "secret=bc6630d0231fda5cd98794f52c4998659beda290"
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed for %s", (arg,), None)
    try:
        jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9P"
        raise ValueError(f"token {jwt}")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter(Detector()).filter(record)
    text = record.getMessage()
    assert "bc6630d0231f" not in text
    assert "dozjgNryP4J3" not in text
    assert "[REDACTED:" in text
