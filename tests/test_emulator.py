"""The Bot API emulator: Telegram's envelope, error texts, rules and limits, over real HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app

TOKEN = "777:TEST"
USER, GROUP, MEMBER = 10, -100500, 11


class Api:
    def __init__(self, emu: Emulator, server: TestServer, session: aiohttp.ClientSession) -> None:
        self.emu, self.server, self.session = emu, server, session

    async def __call__(self, method: str, token: str = TOKEN, **params: Any) -> tuple[int, dict[str, Any]]:
        form = {k: json.dumps(v) if isinstance(v, dict | list | bool) else str(v) for k, v in params.items()}
        async with self.session.post(self.server.make_url(f"/bot{token}/{method}"), data=form) as resp:
            return resp.status, await resp.json()


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    emu = Emulator(TOKEN)
    emu.add_user(USER, "Alice")
    emu.add_user(MEMBER, "Bob")
    emu.add_group(GROUP, "Desk")
    emu.set_member(GROUP, USER, "administrator")
    emu.set_member(GROUP, MEMBER, "member")
    server = TestServer(create_app(emu))
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield Api(emu, server, session)
    await server.close()


async def test_envelope_and_get_me(api: Api) -> None:
    status, body = await api("getMe")
    assert status == 200
    assert body["ok"] is True
    assert body["result"]["is_bot"] is True
    assert body["result"]["id"] == 777
    status, body = await api("getMe", token="777:WRONG")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    status, body = await api("sendMesage", chat_id=USER, text="x")
    assert (status, body["description"]) == (404, "Not Found")
    assert api.emu.violations[-1].method == "sendMesage"


@pytest.mark.parametrize(("params", "fragment"), [
    ({"chat_id": USER}, 'parameter "text" is required'),
    ({"chat_id": USER, "text": "x" * 4097}, "text must be 1-4096 characters"),
    ({"chat_id": USER, "text": "   "}, "message text is empty"),
    ({"chat_id": USER, "text": "<b>bold", "parse_mode": "HTML"}, "can't parse entities"),
    ({"chat_id": USER, "text": "a & b", "parse_mode": "HTML"}, "can't parse entities"),
    ({"chat_id": USER, "text": "<x>y</x>", "parse_mode": "HTML"}, 'Unsupported start tag "x"'),
    ({"chat_id": "abc", "text": "hi"}, "chat not found"),
    ({"chat_id": USER, "text": "hi", "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": "x" * 65}]]}},
     "1-64 bytes"),
    ({"chat_id": USER, "text": "hi", "reply_markup": {"inline_keyboard": [[{"text": "b"}]]}}, "exactly one action"),
    ({"chat_id": USER, "text": "hi", "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": "x",
                                                                            "url": "https://a.b"}]]}},
     "exactly one action"),
])
async def test_rule_violations_are_400_and_recorded(api: Api, params: dict[str, Any], fragment: str) -> None:
    status, body = await api("sendMessage", **params)
    assert status == 400
    assert body["ok"] is False
    assert body["error_code"] == 400
    assert fragment in body["description"]
    if "chat not found" not in fragment:
        assert api.emu.violations
        assert fragment in (api.emu.violations[-1].description or "")


async def test_html_text_length_counts_after_parsing(api: Api) -> None:
    status, _ = await api("sendMessage", chat_id=USER, text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    assert status == 200


async def test_callback_answer_limit(api: Api) -> None:
    status, body = await api("answerCallbackQuery", callback_query_id="1", text="x" * 201)
    assert status == 400
    assert "0-200 characters" in body["description"]


async def test_outcomes_are_errors_but_not_violations(api: Api) -> None:
    status, body = await api("deleteMessage", chat_id=USER, message_id=999)
    assert (status, body["description"]) == (400, "Bad Request: message to delete not found")
    _, sent = await api("sendMessage", chat_id=USER, text="same")
    mid = sent["result"]["message_id"]
    status, body = await api("editMessageText", chat_id=USER, message_id=mid, text="same")
    assert status == 400
    assert body["description"].startswith("Bad Request: message is not modified")
    assert api.emu.violations == []


async def test_48_hour_window(api: Api) -> None:
    old = await api.emu.user_send(USER, USER, "old message")
    api.emu.advance(48 * 3600)
    status, body = await api("deleteMessage", chat_id=USER, message_id=old.message_id)
    assert (status, body["description"]) == (400, "Bad Request: message can't be deleted")
    fresh = await api.emu.user_send(USER, USER, "fresh")
    status, _ = await api("deleteMessage", chat_id=USER, message_id=fresh.message_id)
    assert status == 200
    assert api.emu.find(USER, fresh.message_id).deleted_at is not None  # type: ignore[union-attr]


async def test_group_deletion_needs_rights(api: Api) -> None:
    msg = await api.emu.user_send(MEMBER, GROUP, "hello group")
    status, body = await api("deleteMessage", chat_id=GROUP, message_id=msg.message_id)
    assert (status, body["description"]) == (400, "Bad Request: message can't be deleted")
    api.emu.set_member(GROUP, 777, "administrator", can_delete_messages=False)
    status, _ = await api("deleteMessage", chat_id=GROUP, message_id=msg.message_id)
    assert status == 400
    api.emu.set_member(GROUP, 777, "administrator", can_delete_messages=True)
    status, _ = await api("deleteMessage", chat_id=GROUP, message_id=msg.message_id)
    assert status == 200
    _, member = await api("getChatMember", chat_id=GROUP, user_id=777)
    assert member["result"]["status"] == "administrator"
    assert member["result"]["can_delete_messages"] is True
    _, member = await api("getChatMember", chat_id=GROUP, user_id=MEMBER)
    assert member["result"]["status"] == "member"


async def test_delete_messages_batch(api: Api) -> None:
    ids = [(await api.emu.user_send(USER, USER, f"m{i}")).message_id for i in range(3)]
    status, _ = await api("deleteMessages", chat_id=USER, message_ids=[*ids, 999])
    assert status == 200
    assert all(api.emu.find(USER, i).deleted_at for i in ids)  # type: ignore[union-attr]
    status, body = await api("deleteMessages", chat_id=USER, message_ids=list(range(1, 102)))
    assert status == 400
    assert "1-100 identifiers" in body["description"]


async def test_strict_rate_limits(api: Api) -> None:
    api.emu.strict = True
    status, _ = await api("sendMessage", chat_id=USER, text="one")
    assert status == 200
    status, body = await api("sendMessage", chat_id=USER, text="two")
    assert status == 429
    assert body["parameters"]["retry_after"] >= 1
    assert body["description"].startswith("Too Many Requests: retry after")


async def test_long_polling_wakes_on_update_and_offset_confirms(api: Api) -> None:
    poll = asyncio.create_task(api("getUpdates", timeout=10))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await api.emu.user_send(USER, USER, "/start")
    status, body = await asyncio.wait_for(poll, 2)
    assert status == 200
    assert body["result"][0]["message"]["text"] == "/start"
    update_id = body["result"][0]["update_id"]
    _, again = await api("getUpdates", offset=update_id + 1, timeout=0)
    assert again["result"] == []


async def test_allowed_updates_filter(api: Api) -> None:
    await api.emu.user_send(USER, USER, "text")
    _, body = await api("getUpdates", allowed_updates=["callback_query"], timeout=0)
    assert body["result"] == []


async def test_press_only_buttons_on_the_current_keyboard(api: Api) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    _, sent = await api("sendMessage", chat_id=USER, text="pick", reply_markup=markup)
    mid = sent["result"]["message_id"]
    await api.emu.user_press(USER, USER, mid, "a")
    await api("editMessageReplyMarkup", chat_id=USER, message_id=mid,
              reply_markup={"inline_keyboard": [[{"text": "B", "callback_data": "b"}]]})
    with pytest.raises(ValueError, match="not on the message"):
        await api.emu.user_press(USER, USER, mid, "a")


async def test_documents_round_trip(api: Api) -> None:
    msg = await api.emu.user_send(USER, USER, document=("key.pem", b"PEM DATA"))
    assert msg.document is not None
    _, file = await api("getFile", file_id=msg.document["file_id"])
    url = api.server.make_url(f"/file/bot{TOKEN}/{file['result']['file_path']}")
    async with api.session.get(url) as resp:
        assert await resp.read() == b"PEM DATA"
    form = aiohttp.FormData()
    form.add_field("chat_id", str(USER))
    form.add_field("document", b"report", filename="report.txt")
    async with api.session.post(api.server.make_url(f"/bot{TOKEN}/sendDocument"), data=form) as resp:
        body = await resp.json()
    assert body["result"]["document"]["file_name"] == "report.txt"


async def test_edited_and_forwarded_messages(api: Api) -> None:
    msg = await api.emu.user_send(USER, USER, "harmless")
    await api.emu.user_edit(USER, USER, msg.message_id, "now different")
    await api.emu.user_send(USER, USER, "fwd", forwarded_from=MEMBER)
    _, body = await api("getUpdates", timeout=0)
    kinds = [next(k for k in u if k != "update_id") for u in body["result"]]
    assert kinds == ["message", "edited_message", "message"]
    assert body["result"][1]["edited_message"]["text"] == "now different"
    assert body["result"][2]["message"]["forward_origin"]["sender_user"]["id"] == MEMBER


async def test_anonymous_admin_posts_with_placeholder_sender(api: Api) -> None:
    api.emu.set_member(GROUP, USER, "administrator", is_anonymous=True)
    await api.emu.user_send(USER, GROUP, "posted anonymously", as_chat=GROUP)
    with pytest.raises(ValueError, match="anonymous admin"):
        await api.emu.user_send(MEMBER, GROUP, "not allowed", as_chat=GROUP)
    _, body = await api("getUpdates", timeout=0)
    message = body["result"][-1]["message"]
    assert message["from"]["username"] == "GroupAnonymousBot"
    assert message["sender_chat"]["id"] == GROUP
    _, member = await api("getChatMember", chat_id=GROUP, user_id=USER)
    assert member["result"]["is_anonymous"] is True
