"""Realistic credentials per venue for tests (the XT, B2Trader and Binance ones are the docs' demo values)."""

from __future__ import annotations


def roxom_pem() -> str:
    return credentials("roxom")[1]


def credentials(venue: str) -> list[str]:
    """The venue module's sample credentials (docs' demo values where a venue publishes them)."""
    from bot.venues.catalog import BY_ID

    return list(BY_ID[venue].sample())


def secret_values(venue: str) -> list[str]:
    """The values that must never appear anywhere in plaintext (a PEM's body, not its armour)."""
    values = credentials(venue)
    out = []
    for v in values:
        if "PRIVATE KEY" in v:
            out += [line for line in v.splitlines() if "PRIVATE KEY" not in line and len(line) > 20]
        else:
            out.append(v)
    return out
