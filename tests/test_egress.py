"""Hosts users type (B2Trader brokers) are connected to only at public addresses, checked at connection
time: loopback, private, link-local (cloud metadata), CGNAT and multicast are refused, also after a DNS
change, and the connection goes to the address that was checked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
import pytest
from aiohttp import web

from bot.venues.b2trader import B2TraderManager
from bot.venues.egress import NonPublicAddress, PublicOnlyBackend, is_public, public_only_transport
from bot.venues.http import HostRefused, VenueHttp
from domain.clock import FrozenClock


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("2a00:1450:4001:80b::200e", True), ("127.0.0.1", False), ("10.1.2.3", False),
    ("172.16.0.1", False), ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
    ("0.0.0.0", False),  # noqa: S104 ("224.0.0.1", False), ("::1", False), ("fe80::1", False), ("fd00::1", False),
    ("::ffff:127.0.0.1", False), ("::ffff:8.8.8.8", True), ("255.255.255.255", False),
])
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(address) is public


class _Recorder(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self.connected: list[str] = []

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options: Iterable[Any] | None = None) -> Any:
        self.connected.append(host)
        return object()


async def test_a_dns_change_to_a_private_address_is_refused_at_connection_time() -> None:
    answers = [["93.184.216.34"], ["127.0.0.1"], ["93.184.216.34", "169.254.169.254"]]

    async def resolve(host: str, port: int) -> list[str]:
        return answers.pop(0)

    inner = _Recorder()
    backend = PublicOnlyBackend(inner, resolve)
    await backend.connect_tcp("broker.example.com", 443)
    assert inner.connected == ["93.184.216.34"]  # the checked address, not the name again
    with pytest.raises(NonPublicAddress):
        await backend.connect_tcp("broker.example.com", 443)  # rebinding to loopback
    with pytest.raises(NonPublicAddress):
        await backend.connect_tcp("broker.example.com", 443)  # one bad address among good ones
    assert inner.connected == ["93.184.216.34"]


async def test_a_name_for_a_listening_local_server_is_never_reached() -> None:
    hits: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.json_response([])

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with httpx.AsyncClient() as plain:  # the server is there...
            assert (await plain.get(f"http://localhost:{port}/")).status_code == 200
        async with httpx.AsyncClient(transport=public_only_transport()) as guarded:
            manager = B2TraderManager(VenueHttp(guarded, FrozenClock()), f"http://{{host}}:{port}")
            for host in ("localhost", "127.0.0.1"):
                with pytest.raises(HostRefused):
                    await manager.list_keys(host, "token")
    finally:
        await runner.cleanup()
    assert hits == ["/"]  # ...but only the unguarded client reached it
