"""Realistic credentials per venue for tests (the XT, B2Trader and Binance ones are the docs' demo values)."""

from __future__ import annotations

from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@cache
def roxom_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def credentials(venue: str) -> list[str]:
    return {
        "xrocket": ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwicm9sZSI6InRyYWRlciJ9."
                    "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
        "xrocket_pay": ["a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1"],
        "xt": ["3976eb88-76d0-4f6e-a6b2-a57980770085", "bc6630d0231fda5cd98794f52c4998659beda290"],
        "walletbot": ["WB-API-7f3a9c2e4b6d8f0a1c3e5b7d9f2a4c6e"],
        "roxom": ["xrxk_key_0123456789abcdef0123456789abcdef", roxom_pem()],
        "b2trader": ["0b0e3b8e-6f1a-4a8f-9a3c-2c7d1e5f4a6b", "8596a4a9-b3a5-3d4c-9399-a2958de404ba"],
        "binance": ["vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
                    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"],
        "bybit": ["A1b2C3d4E5f6G7h8I9", "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"],
        "okx": ["5f6c2a7e-1d3b-4c9a-8e7f-0a1b2c3d4e5f", "0A1B2C3D4E5F60718293A4B5C6D7E8F9", "My$ecretPass1"],
    }[venue]


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
