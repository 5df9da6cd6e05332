"""Every kind of message at every step gets a clear answer and leaves the flow where it was."""

from __future__ import annotations

import pytest

from tests.chat import PHOTO, STICKER
from tests.creds import credentials
from tests.flows import walk_to_credentials
from tests.harness import USER, Harness, current_state, fsm_data

NASTY_TEXTS = ["", "   ", "x" * 10_000, "🔑🚀💎", "a\x00b\x07c", "<b>bold</b> & <script>", "\u202eevil\u202c",
               "line\nbreak"]


async def _to_step(h: Harness, step: str) -> None:
    """Open a Binance flow (it has every text and button step but activation) at `step`."""
    await h.me.send("/add")
    await h.me.press("Binance")
    route = {"env": [], "name": [("press", "Mainnet")],
             "perms": [("press", "Mainnet"), ("send", "Bot")],
             "ips": [("press", "Mainnet"), ("send", "Bot"), ("press", "Next")],
             "exp": [("press", "Mainnet"), ("send", "Bot"), ("press", "Next"), ("send", "8.8.8.8")],
             "summary": [("press", "Mainnet"), ("send", "Bot"), ("press", "Next"), ("send", "8.8.8.8"),
                         ("press", "No expiry")]}[step]
    for kind, value in route:
        await (h.me.press(value) if kind == "press" else h.me.send(value))
    assert await current_state(h) == f"AddKey:{step}"


@pytest.mark.parametrize("step", ["env", "name", "perms", "ips", "exp", "summary"])
@pytest.mark.parametrize("kind", ["sticker", "photo", "document"])
async def test_non_text_at_every_step(h: Harness, step: str, kind: str) -> None:
    await _to_step(h, step)
    before = (await fsm_data(h))["draft"]  # the answers; the prompt moves to the newest copy
    if kind == "document":
        await h.me.send(document=("notes.txt", b"hello"))
    else:
        await h.me.send(content={"sticker": STICKER, "photo": PHOTO}[kind])
    assert await current_state(h) == f"AddKey:{step}"
    assert (await fsm_data(h))["draft"] == before
    replies = h.me.texts_since(-2)
    assert "Please send text here" in replies or "Please use the buttons" in replies


@pytest.mark.parametrize("step", ["env", "perms", "exp", "summary"])
@pytest.mark.parametrize("text", ["hello", "x" * 10_000, "<b>", "/unknown"])
async def test_text_at_button_steps(h: Harness, step: str, text: str) -> None:
    await _to_step(h, step)
    before = (await fsm_data(h))["draft"]  # the answers; the prompt moves to the newest copy
    await h.me.send(text)
    assert await current_state(h) == f"AddKey:{step}"
    assert (await fsm_data(h))["draft"] == before
    assert "Please use the buttons" in h.me.last_text()
    assert h.me.buttons(), "the step's keyboard is shown again"


@pytest.mark.parametrize("text", NASTY_TEXTS)
async def test_nasty_names(h: Harness, text: str) -> None:
    await _to_step(h, "name")
    await h.me.send(text)
    state = await current_state(h)
    name = (await fsm_data(h))["draft"]["name"]
    if state == "AddKey:name":
        assert name is None
        assert any(s in h.me.last_text() for s in ("empty", "longer than 64", "control or invisible"))
    else:
        assert state == "AddKey:perms"
        assert name == text.strip()
        assert text.strip() in ("🔑🚀💎", "<b>bold</b> & <script>")


async def test_nasty_names_render_escaped(h: Harness) -> None:
    await _to_step(h, "name")
    await h.me.send("<b>bold</b> & <script>")
    await h.me.press("Next")
    await h.me.send("8.8.8.8")
    await h.me.press("No expiry")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in (h.me.last().text or "")  # the HTML sent


@pytest.mark.parametrize("text", ["", "10.0.0.1", "not an ip", "1.2.3.4/24", "x" * 10_000,
                                  ", , ,", "🔑", "256.256.256.256"])
async def test_bad_ip_lists_keep_the_step(h: Harness, text: str) -> None:
    await _to_step(h, "ips")
    await h.me.send(text)
    assert await current_state(h) == "AddKey:ips"
    assert (await fsm_data(h))["draft"]["ips"] is None
    reply = h.me.last_text()
    assert len(reply) < 4096
    assert "❌" in reply or "found no addresses" in reply or "Please send text" in reply


async def test_each_bad_ip_is_named(h: Harness) -> None:
    await _to_step(h, "ips")
    await h.me.send("8.8.8.8 300.1.1.1 192.168.0.1\n1.1.1.0/24 8.8.8.8")
    reply = h.me.last_text()
    assert "300.1.1.1 is not an IP address" in reply
    assert "192.168.0.1 is a private" in reply
    assert "1.1.1.0/24: this venue takes single addresses" in reply
    assert await current_state(h) == "AddKey:ips"


async def test_too_many_ips_for_the_venue(h: Harness) -> None:
    await _to_step(h, "ips")
    await h.me.send(" ".join(f"8.8.{i}.1" for i in range(31)))
    assert "at most 30 addresses; you sent 31" in h.me.last_text()
    assert await current_state(h) == "AddKey:ips"


@pytest.mark.parametrize("step", ["name", "ips"])
async def test_secret_pasted_at_wrong_step_is_deleted(h: Harness, step: str) -> None:
    await _to_step(h, step)
    before = (await fsm_data(h))["draft"]  # the answers; the prompt moves to the newest copy
    msg = await h.me.send(credentials("binance")[1])
    assert msg.deleted
    assert "contained an exchange API secret, so I deleted it" in h.me.texts_since(-2)
    assert await current_state(h) == f"AddKey:{step}"
    assert (await fsm_data(h))["draft"] == before


async def test_secret_outside_any_flow_is_deleted(h: Harness) -> None:
    msg = await h.me.send("my binance secret is NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j")
    assert msg.deleted
    assert "I deleted your message: it contained an exchange API secret" in h.me.last_text()


async def test_undeletable_secret_tells_user(h: Harness) -> None:
    await _to_step(h, "name")
    h.emu.refuse_deletion = lambda msg: msg.from_id == USER
    msg = await h.me.send(credentials("binance")[1])
    assert not msg.deleted
    assert "could not delete" in h.me.texts_since(-2)


async def test_bad_credential_format_is_refused_and_deleted(h: Harness) -> None:
    await walk_to_credentials(h, "XT.com")
    msg = await h.me.send("not-a-uuid")
    assert msg.deleted
    assert "does not look like a XT.com Access key" in h.me.last_text()
    assert "expected a UUID like" in h.me.last_text()
    assert (await fsm_data(h))["index"] == 0
    sticker = await h.me.send(content=STICKER)
    assert sticker.deleted
    assert "Please paste the value as text" in h.me.last_text()
    await h.me.send(credentials("xt")[0])
    await h.me.send("zz" * 20)
    assert "expected 40 hexadecimal characters" in h.me.last_text()
    assert (await fsm_data(h))["index"] == 1


async def test_bad_pem_document(h: Harness) -> None:
    await walk_to_credentials(h, "Roxom")
    await h.me.send(credentials("roxom")[0])
    await h.me.send(document=("key.pem", b"\xff\xfe not utf8"))
    assert "text or send it as a small .pem file" in h.me.last_text()
    await h.me.send("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")
    assert "unencrypted RSA private key" in h.me.last_text()
    assert await current_state(h) == "Credentials:paste"


async def test_bad_broker_hosts(h: Harness) -> None:
    await h.me.send("/add")
    await h.me.press("B2Trader")
    for bad in ("not a host", "-bad-.com", "x" * 300):
        await h.me.send(bad)
        assert "not a valid public host name" in h.me.last_text()
        assert await current_state(h) == "AddKey:host"
    # Internal names, private addresses, other ports and plain HTTP: refused with the reason.
    for internal in ("localhost", "10.0.0.1", "http://", "metadata.google.internal", "db.internal:5432",
                     "169.254.169.254", "broker.example.com:8443", "http://broker.example.com", "[::1]", "100.64.0.1"):
        await h.me.send(internal)
        assert "not a public internet address" in h.me.last_text(), internal
        assert await current_state(h) == "AddKey:host"
    await h.me.send("https://Exchange.MyBroker.com/login")
    assert await current_state(h) == "AddKey:name"
    assert (await fsm_data(h))["draft"]["host"] == "exchange.mybroker.com"


async def test_two_users_do_not_mix(h: Harness) -> None:
    from tests.harness import OTHER_USER

    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.chat(OTHER_USER).send("/add")
    await h.chat(OTHER_USER).press("OKX")
    await h.me.send("Mine")
    assert (await fsm_data(h))["draft"]["venue"] == "xt"
    assert (await fsm_data(h, OTHER_USER))["draft"]["venue"] == "okx"
