"""Settings, read from the environment (prefix-free names) and an optional `.env` file."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Literal

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
    redis_url: SecretStr | None = Field(default=None, description=(
        "redis://host:6379/0 or unix:///path: FSM, per-user locks and cache announcements shared by several "
        "workers (needs the redis extra)"))
    database_url: SecretStr | None = Field(default=None, description=(
        "postgresql://user:password@host/db — PostgreSQL instead of the SQLite file (needs the postgres extra)"))
    master_key: SecretStr | None = Field(default=None, description="base64 of 32 random bytes")
    master_key_file: Path | None = Field(
        default=None, description="file holding the master key; generated (mode 0600) when nothing is set"
    )
    master_key_backend: Literal["auto", "file", "env", "pkcs11"] = Field(
        default="auto", description="where the master key lives; auto: MASTER_KEY when set, else the key file")
    pkcs11_module: Path | None = Field(default=None, description="the PKCS#11 module (.so) of the HSM")
    pkcs11_token_label: str = Field(default="keybot", description="the HSM token holding the master key")
    pkcs11_pin: SecretStr | None = Field(default=None, description="the token's user PIN")
    pkcs11_key_label: str = Field(default="keybot-master", description="the master key's label in the token")
    cache_size: int = Field(default=100_000, ge=100, description=(
        "entries each in-memory cache keeps (users, FSM states, fingerprints); the least recently used go"))
    max_concurrent_updates: int = Field(default=200, ge=1, description=(
        "updates handled at once; polling waits for a free slot, so a burst queues at Telegram, not here"))
    log_level: str = Field(default="INFO", description="Python logging level")
    reveal_seconds: int = Field(default=30, ge=5, le=300, description="how long a revealed secret stays")
    unlock_seconds: int = Field(default=300, ge=30, le=3600,
                                description="how long the unlock passphrase, once given, is not asked again")

    # Webhook mode (`python -m keybot webhook`): Telegram pushes updates to WEBHOOK_HOST:WEBHOOK_PORT.
    webhook_url: str | None = Field(default=None, description=(
        "the public HTTPS URL Telegram posts updates to; set: this process registers it with setWebhook"))
    webhook_host: str = Field(default="0.0.0.0", description="address the webhook server listens on")  # noqa: S104
    webhook_port: int = Field(default=8080, ge=1, le=65535, description="port the webhook server listens on")
    webhook_path: str = Field(default="/telegram", description="path Telegram posts updates to")
    webhook_secret: SecretStr | None = Field(default=None, description=(
        "the secret token Telegram sends with every update (1-256 of A-Z a-z 0-9 _ -); default: derived "
        "from BOT_TOKEN, the same in every worker"))
    webhook_max_connections: int = Field(default=40, ge=1, le=100, description=(
        "simultaneous connections Telegram opens to deliver updates"))
    webhook_drop_pending: bool = Field(default=False, description="drop the updates waiting at Telegram on start")
    shutdown_seconds: float = Field(default=30, ge=0, description=(
        "on SIGTERM, how long the updates in flight may take to finish"))

    # Venue base URLs: each venue module declares its documented hosts; override any with VENUE_URLS, a
    # JSON object of "venue:environment" → URL (e.g. {"bybit:eea": "https://api.bybit.eu"}). xRocket:
    # the API reference's exchange.api.xrocket.exchange is the default over the seed guide's older
    # exchange.api.xrocket.tg (the reference lists it as older).
    venue_urls: dict[str, str] = Field(
        default_factory=dict, description='"venue:environment" → base URL, overriding the documented hosts')
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

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("postgresql://", "postgres://")):
            raise ValueError("DATABASE_URL must start with postgresql:// (leave it unset for SQLite)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule for secret_token)")
        return value

    @field_validator("telegram_api_base")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def resolved_master_key_backend(self) -> Literal["file", "env", "pkcs11"]:
        if self.master_key_backend == "auto":
            return "env" if self.master_key is not None else "file"
        return self.master_key_backend

    def resolved_master_key_file(self) -> Path:
        """Where the master key lives when it does not come from MASTER_KEY."""
        return self.master_key_file or self.database_path.parent / "master.key"

