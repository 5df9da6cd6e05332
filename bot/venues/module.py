"""What one venue module declares: its profile, how to build its connector, its default base URLs and
sample credentials. Registry, settings, connectors, the sandbox and the tests all derive from the list
in `bot.venues.catalog`; adding a venue is one module there plus its two locale files."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.venues.base import VenueProfile
from bot.venues.connector import Connector
from bot.venues.http import VenueHttp


@dataclass(frozen=True, slots=True)
class ConnectorContext:
    http: VenueHttp  # the shared client for the venues' own hosts
    user_hosts: VenueHttp  # hosts users typed (a broker's): public addresses only
    urls: Mapping[str, str]  # "venue:environment" → base URL, defaults merged with VENUE_URLS
    b2trader_url_template: str


@dataclass(frozen=True, slots=True)
class Venue:
    profile: VenueProfile
    urls: Mapping[str, str]  # environment → default base URL (empty: no public API, or user-given hosts)
    sample: Callable[[], tuple[str, ...]]  # well-formed credentials, one per field, for tests and docs
    connector: Callable[[ConnectorContext], Connector] | None = None  # None: nothing to check against

    @property
    def id(self) -> str:
        return self.profile.id
