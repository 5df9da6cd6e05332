"""Every venue's connector, built once from the settings around the shared HTTP client."""

from __future__ import annotations

from bot.config import Settings
from bot.venues import b2trader, binance, bybit, okx, roxom, xrocket, xt
from bot.venues.connector import Connector
from bot.venues.http import VenueHttp


class Connectors:
    def __init__(self, http: VenueHttp, settings: Settings, user_hosts: VenueHttp | None = None) -> None:
        """`user_hosts` reaches hosts users typed (B2Trader brokers): public addresses only."""
        user_hosts = user_hosts or http
        urls = settings.venue_urls()
        self._by_venue: dict[str, Connector] = {
            "xrocket": xrocket.ExchangeConnector(http, urls),
            "xrocket_pay": xrocket.PayConnector(http, urls),
            "xt": xt.XtConnector(http, urls),
            "roxom": roxom.RoxomConnector(http, urls),
            "b2trader": b2trader.B2TraderConnector(user_hosts, urls, settings.b2trader_url_template),
            "binance": binance.BinanceConnector(http, urls),
            "bybit": bybit.BybitConnector(http, urls),
            "okx": okx.OkxConnector(http, urls),
        }
        self.b2trader = b2trader.B2TraderManager(user_hosts, settings.b2trader_url_template)

    def get(self, venue: str) -> Connector | None:
        """None for venues without a public API (the wallet bot)."""
        return self._by_venue.get(venue)
