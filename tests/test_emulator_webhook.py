"""The emulator's webhook, as Telegram's: pushes with the secret token, retries a failed delivery,
keeps each chat's updates in order, and refuses getUpdates while a webhook is set."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.sandbox.emulator import ApiError, Emulator
from bot.sandbox.server import serve

TOKEN = "77:HOOK"


class Receiver:
    """A stand-in bot server: records what arrives; answers `status` (500 to fail a delivery)."""

    def __init__(self) -> None:
        self.got: list[tuple[str | None, dict[str, Any]]] = []
        self.status = 200
        self.arrived = asyncio.Event()

    def app(self) -> web.Application:
        async def handle(request: web.Request) -> web.Response:
            self.got.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
            self.arrived.set()
            return web.json_response({}, status=self.status)

        app = web.Application()
        app.router.add_post("/hook", handle)
        return app

    async def wait(self, count: int) -> None:
        while len(self.got) < count:
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), 10)


@pytest.fixture
async def setup() -> AsyncIterator[tuple[Emulator, Receiver, str]]:
    emu = Emulator(TOKEN)
    for user in (1, 2):
        emu.add_user(user, f"U{user}")
    receiver = Receiver()
    runner, port = await serve(receiver.app())
    yield emu, receiver, f"http://127.0.0.1:{port}/hook"
    await emu.close()
    await runner.cleanup()


async def test_pushes_with_the_secret_and_refuses_polling(setup: tuple[Emulator, Receiver, str]) -> None:
    emu, receiver, url = setup
    assert await emu.call("setWebhook", {"url": url, "secret_token": "s3cr3t_-"}) is True
    await emu.user_send(1, 1, "/start")
    await receiver.wait(1)
    secret, update = receiver.got[0]
    assert secret == "s3cr3t_-"
    assert update["message"]["text"] == "/start"
    with pytest.raises(ApiError) as refused:
        await emu.call("getUpdates", {})
    assert refused.value.code == 409
    assert await emu.call("deleteWebhook", {}) is True
    assert await emu.call("getUpdates", {"timeout": 0}) == []  # polling works again


async def test_a_failed_delivery_is_retried_and_recorded(setup: tuple[Emulator, Receiver, str]) -> None:
    emu, receiver, url = setup
    receiver.status = 500
    await emu.call("setWebhook", {"url": url})
    await emu.user_send(1, 1, "first")
    await receiver.wait(1)
    info = await emu.call("getWebhookInfo", {})
    assert info["pending_update_count"] == 1
    assert "500" in info["last_error_message"]
    receiver.status = 200
    await receiver.wait(2)  # the same update again
    assert receiver.got[0][1] == receiver.got[1][1]
    while emu.queued():
        await emu.wait_change(emu.version, 1)
    assert (await emu.call("getWebhookInfo", {}))["pending_update_count"] == 0


async def test_one_chat_in_order_while_others_go_on(setup: tuple[Emulator, Receiver, str]) -> None:
    emu, receiver, url = setup
    await emu.call("setWebhook", {"url": url, "max_connections": 5})
    for n in range(5):
        await emu.user_send(1, 1, f"one {n}")
        await emu.user_send(2, 2, f"two {n}")
    await receiver.wait(10)
    for user in (1, 2):
        texts = [u["message"]["text"] for _, u in receiver.got if u["message"]["chat"]["id"] == user]
        assert texts == [f"{'one' if user == 1 else 'two'} {n}" for n in range(5)]


@pytest.mark.parametrize(("params", "refusal"), [
    ({"url": "http://bot.example.com/hook"}, "HTTPS URL must be provided"),
    ({"url": "https://bot.example.com:8080/hook"}, "ports 80, 88, 443 or 8443"),
    ({"url": "https://bot.example.com/hook", "secret_token": "no spaces"}, "unallowed characters"),
    ({"url": "https://bot.example.com/hook", "max_connections": 101}, "between 1 and 100"),
])
async def test_setwebhook_refuses_what_telegram_refuses(params: dict[str, Any], refusal: str) -> None:
    emu = Emulator(TOKEN)
    with pytest.raises(ApiError) as refused:
        await emu.call("setWebhook", params)
    assert refusal in refused.value.description
    assert emu.webhook is None
