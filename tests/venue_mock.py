"""Settings whose venue base URLs point at the mock venues, for in-process and HTTP tests."""

from __future__ import annotations

from typing import Any

VENUES = ("xrocket", "xrocket_pay", "xt", "roxom", "binance", "bybit", "okx")


def venue_settings(base: str) -> dict[str, Any]:
    """Settings fields sending every venue call to `base`/<venue>."""
    base = base.rstrip("/")
    return {
        "xrocket_exchange_url": f"{base}/xrocket", "xrocket_exchange_testnet_url": f"{base}/xrocket",
        "xrocket_pay_url": f"{base}/xrocket_pay", "xrocket_pay_testnet_url": f"{base}/xrocket_pay",
        "xt_url": f"{base}/xt", "roxom_url": f"{base}/roxom", "binance_url": f"{base}/binance",
        "binance_testnet_url": f"{base}/binance", "bybit_url": f"{base}/bybit", "bybit_testnet_url": f"{base}/bybit",
        "okx_url": f"{base}/okx", "b2trader_url_template": f"{base}/b2trader/{{host}}", "egress_ip": "203.0.113.10",
    }
