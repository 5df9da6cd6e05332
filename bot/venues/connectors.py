"""Every venue's connector, built once from the catalog and the settings around the shared HTTP client."""

from __future__ import annotations

from bot.config import Settings
from bot.venues import b2trader
from bot.venues.catalog import VENUES
from bot.venues.connector import Connector
from bot.venues.http import VenueHttp
from bot.venues.module import ConnectorContext


def base_urls(settings: Settings) -> dict[str, str]:
    """"venue:environment" → base URL: each venue module's defaults, overridden by VENUE_URLS."""
    defaults = {f"{v.id}:{env}": url for v in VENUES for env, url in v.urls.items()}
    return {**defaults, **settings.venue_urls}


class Connectors:
    def __init__(self, http: VenueHttp, settings: Settings, user_hosts: VenueHttp | None = None) -> None:
        """`user_hosts` reaches hosts users typed (B2Trader brokers): public addresses only."""
        user_hosts = user_hosts or http
        context = ConnectorContext(http, user_hosts, base_urls(settings), settings.b2trader_url_template)
        self._by_venue: dict[str, Connector] = {
            v.id: v.connector(context) for v in VENUES if v.connector is not None}
        self.b2trader = b2trader.B2TraderManager(user_hosts, settings.b2trader_url_template)

    def get(self, venue: str) -> Connector | None:
        """None for venues without a public API (the wallet bot)."""
        return self._by_venue.get(venue)
