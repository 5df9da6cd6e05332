"""Connections to hosts a user typed (a B2Trader broker): only to public addresses, checked when the
connection is made, so a name that resolves to 127.0.0.1 or 169.254.169.254 — now or after a DNS change
— never reaches the bot's own network."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable

import httpcore
import httpx

SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


def is_public(address: str) -> bool:
    """A globally routable unicast address: not loopback, private, link-local (cloud metadata), CGNAT,
    multicast, reserved or unspecified; an IPv4-mapped IPv6 address is judged by its IPv4 part."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def _resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class NonPublicAddress(httpcore.ConnectError):
    """The host resolved to an address the bot must not connect to for a user."""


class PublicOnlyBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself, refuses it when any address is not public, and connects to the
    address it checked (TLS still verifies the certificate against the host name)."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None,
                 resolve: Callable[[str, int], Awaitable[list[str]]] | None = None) -> None:
        self._inner = inner or httpcore.AnyIOBackend()
        self._resolve = resolve or _resolve

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,  # noqa: ASYNC109
                          local_address: str | None = None,
                          socket_options: Iterable[SocketOption] | None = None) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self._resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from None
        if not addresses or not all(is_public(a) for a in addresses):
            raise NonPublicAddress(f"{host} resolves to a non-public address")
        return await self._inner.connect_tcp(addresses[0], port, timeout=timeout, local_address=local_address,
                                             socket_options=socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,  # noqa: ASYNC109
                                  socket_options: Iterable[SocketOption] | None = None
                                  ) -> httpcore.AsyncNetworkStream:
        raise NonPublicAddress("unix sockets are not allowed for user-given hosts")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def public_only_transport() -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection goes through PublicOnlyBackend. No proxy from the
    environment: a proxy would make the connection, and the check, somewhere else."""
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    # httpx has no public switch for the network backend; its pool is rebuilt with the same TLS settings.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False), network_backend=PublicOnlyBackend())
    return transport
