"""Settings, read from the environment (prefix-free names) and an optional `.env` file."""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class StartupError(Exception):
    """The bot cannot start for a reason an operator can fix; the message says which."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = Field(default=None, description="Telegram bot token from @BotFather")
    telegram_api_base: str = Field(
        default="https://api.telegram.org", description="Bot API server; every Bot API call goes here"
    )
    database_path: Path = Field(default=Path("data/bot.sqlite3"), description="SQLite database file")
    master_key: SecretStr | None = Field(default=None, description="base64 of 32 random bytes")
    master_key_file: Path | None = Field(
        default=None, description="file holding the master key; generated (mode 0600) when nothing is set"
    )
    log_level: str = Field(default="INFO", description="Python logging level")
    reveal_seconds: int = Field(default=30, ge=5, le=300, description="how long a revealed secret stays")

    # One base URL per venue; defaults are the venues' documented production hosts.
    # xRocket: the current API reference's host wins over the seed guide's exchange.api.xrocket.tg, which
    # the reference itself lists as its older host: the reference is what xRocket maintains for the API,
    # the guide is about the bot's menus. XROCKET_EXCHANGE_URL switches back if the older host is needed.
    xrocket_exchange_url: str = "https://exchange.api.xrocket.exchange"
    xrocket_exchange_testnet_url: str = "https://exchange.api.testnet.xrocket.exchange"
    xrocket_pay_url: str = "https://pay.xrocket.tg"
    xrocket_pay_testnet_url: str = "https://dev-pay.xrocket.tg"
    xt_url: str = "https://sapi.xt.com"
    roxom_url: str = "https://api.roxom.com"
    binance_url: str = "https://api.binance.com"
    binance_testnet_url: str = "https://testnet.binance.vision"
    bybit_url: str = "https://api.bybit.com"
    bybit_testnet_url: str = "https://api-testnet.bybit.com"
    bybit_demo_url: str = "https://api-demo.bybit.com"
    bybit_regional_urls: dict[str, str] = Field(
        default={"eea": "https://api.bybit.eu", "nl": "https://api.bybit.nl", "tr": "https://api.bybit-tr.com",
                 "kz": "https://api.bybit.kz", "ge": "https://api.bybitgeorgia.ge", "ae": "https://api.bybit.ae",
                 "id": "https://api.bybit.id"},
        description="Bybit's regional API hosts by environment (a JSON object)")
    okx_url: str = "https://www.okx.com"
    okx_eea_url: str = "https://eea.okx.com"
    okx_us_url: str = "https://us.okx.com"
    b2trader_url_template: str = Field(
        default="https://{host}", description="how a broker's host becomes the B2Trader API base URL")
    b2trader_allow_private_hosts: bool = Field(
        default=False, description="let broker hosts resolve to private or loopback addresses (tests, a lab)")
    egress_ip: str | None = Field(
        default=None, description="the bot's public IP, shown when a venue refuses the bot's address")

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if not isinstance(logging.getLevelName(level), int):
            raise ValueError(f"unknown log level {value!r}")
        return level

    @field_validator("telegram_api_base")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def resolved_master_key_file(self) -> Path:
        """Where the master key lives when it does not come from MASTER_KEY."""
        return self.master_key_file or self.database_path.parent / "master.key"

    def venue_urls(self) -> dict[str, str]:
        """Base URL per `venue:environment`, for the connectors."""
        return {
            "xrocket:mainnet": self.xrocket_exchange_url,
            "xrocket:testnet": self.xrocket_exchange_testnet_url,
            "xrocket_pay:mainnet": self.xrocket_pay_url,
            "xrocket_pay:testnet": self.xrocket_pay_testnet_url,
            "xt:mainnet": self.xt_url,
            "roxom:mainnet": self.roxom_url,
            "binance:mainnet": self.binance_url,
            "binance:testnet": self.binance_testnet_url,
            "bybit:mainnet": self.bybit_url,
            "bybit:testnet": self.bybit_testnet_url,
            "bybit:demo": self.bybit_demo_url,
            **{f"bybit:{region}": url for region, url in self.bybit_regional_urls.items()},
            "okx:mainnet": self.okx_url,
            "okx:demo": self.okx_url,
            "okx:eea": self.okx_eea_url,
            "okx:us": self.okx_us_url,
        }
