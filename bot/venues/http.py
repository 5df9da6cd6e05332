"""The one HTTP client every venue call goes through: timeouts, retries where safe, clock skew, and a
bound on concurrent calls per venue so one slow venue never holds up the others.

Nothing here logs a URL's query, a header or a body: they carry signatures and keys.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
from collections import defaultdict
from dataclasses import dataclass, field

import httpx

from bot.venues.egress import NonPublicAddress
from domain.clock import Clock

log = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(10.0)
MAX_ATTEMPTS = 3
PER_VENUE = 8
SKEW_NOTICE_MS = 1000


class VenueUnreachable(Exception):
    """No usable answer: network error, timeout, or the venue kept failing. Carries no secret."""


class HostRefused(VenueUnreachable):
    """A user-given host resolved to a loopback, private or metadata address: never connected to."""


@dataclass
class _VenueState:
    semaphore: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(PER_VENUE))
    skew_ms: int = 0  # venue clock minus ours, from its Date header


class VenueHttp:
    def __init__(self, client: httpx.AsyncClient, clock: Clock, *, backoff: float = 0.5) -> None:
        # httpx logs every request URL at INFO; venue URLs carry signatures (Binance) and keys.
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self._client = client
        self._clock = clock
        self._backoff = backoff
        self._venues: dict[str, _VenueState] = defaultdict(_VenueState)

    def now_ms(self, venue: str) -> int:
        """Our clock corrected by what the venue's clock told us: signed timestamps use this."""
        return int(self._clock.now().timestamp() * 1000) + self._venues[venue].skew_ms

    def skew_ms(self, venue: str) -> int:
        return self._venues[venue].skew_ms

    async def request(self, venue: str, method: str, url: str, *, headers: dict[str, str] | None = None,
                      params: str | None = None, content: str | None = None,
                      json_body: object = None, idempotent: bool | None = None) -> httpx.Response:
        """One call with retries for GET (and anything on 429) honouring Retry-After; never retries a
        non-idempotent call that may have reached the venue."""
        state = self._venues[venue]
        safe = method.upper() == "GET" if idempotent is None else idempotent
        async with state.semaphore:
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    response = await self._client.request(method, url, headers=headers, params=params,
                                                          content=content, json=json_body, timeout=TIMEOUT)
                except httpx.TransportError as exc:
                    if isinstance(exc.__cause__, NonPublicAddress):
                        raise HostRefused(f"{venue}: the host is not a public address") from None
                    if safe and attempt < MAX_ATTEMPTS:
                        await asyncio.sleep(self._delay(attempt, None))
                        continue
                    raise VenueUnreachable(f"{venue}: {type(exc).__name__}") from None
                self._learn_skew(venue, response)
                retryable = response.status_code == 429 or (safe and response.status_code >= 500)
                if retryable and attempt < MAX_ATTEMPTS:
                    await asyncio.sleep(self._delay(attempt, response.headers.get("retry-after")))
                    continue
                if response.status_code >= 500:
                    raise VenueUnreachable(f"{venue}: HTTP {response.status_code}")
                return response
        raise VenueUnreachable(venue)  # pragma: no cover - the loop always returns or raises

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after is not None:
            try:
                return min(float(retry_after), 30.0)
            except ValueError:
                pass
        return float(self._backoff * (2 ** (attempt - 1)) * (0.5 + random.random() / 2))

    def _learn_skew(self, venue: str, response: httpx.Response) -> None:
        date = response.headers.get("date")
        if not date:
            return
        try:
            server = email.utils.parsedate_to_datetime(date)
        except (TypeError, ValueError):
            return
        skew = int(server.timestamp() * 1000 - self._clock.now().timestamp() * 1000)
        # Date has whole seconds: only a skew beyond that resolution is real.
        new = skew if abs(skew) > SKEW_NOTICE_MS else 0
        if new != self._venues[venue].skew_ms:
            log.info("clock skew against %s is now %d ms", venue, new)
        self._venues[venue].skew_ms = new
