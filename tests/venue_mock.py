"""Settings whose venue base URLs point at the mock venues, for in-process and HTTP tests."""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.venues import venue_urls


def venue_settings(base: str) -> dict[str, Any]:
    return {**venue_urls(base), "egress_ip": "203.0.113.10"}


def venue_env(base: str) -> dict[str, str]:
    """The same as environment variables, for a bot process."""
    return {k.upper(): json.dumps(v) if isinstance(v, dict) else str(v) for k, v in venue_settings(base).items()}
