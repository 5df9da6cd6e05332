"""A third evaluation set for the secret guard, written last and run once: no rule was changed after it.

The first two sets (bench/guard_eval.py, bench/guard_holdout.py) were read while the rules improved, so
their final figures flatter the rules. This one takes yet other layouts and other harmless text:
- secrets in wrappers the other sets never use: Markdown tables, HTML `<code>`, shell `export`,
  PowerShell `$env:`, `docker run -e`, Kubernetes secret YAML, Python and JSON lists of seed words,
  YAML lists, URL-encoded phrases, emoji-numbered and bullet-separated phrases, e-mail bodies;
- harmless text from the bot's own locale files (English and Russian: full of "key", "secret", "seed
  phrase", "password"), explorer and exchange UI lines, and trading chat.

    python bench/guard_blind.py [--per-type 40] [--seed N]
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import string
import sys
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import base58
from cryptography.hazmat.primitives.asymmetric import ed25519
from mnemonic import Mnemonic

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.guard import detect_secrets_flagger
from bot.guard.detector import Detector

R = random.Random(3_2026)
ROOT = Path(__file__).resolve().parent.parent
HEX, ALNUM = "0123456789abcdef", string.ascii_letters + string.digits


def r(alphabet: str, n: int) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


def phrase() -> list[str]:
    language = R.choice(["english", "english", "spanish", "french", "portuguese", "czech", "italian"])
    return Mnemonic(language).to_mnemonic(R.randbytes(R.choice([16, 32]))).split()


def seed_wrapped() -> str:
    words = phrase()
    return R.choice([
        json.dumps(words),
        repr(words),
        "\n".join(f"- {w}" for w in words),
        urllib.parse.quote(" ".join(words)),
        " ".join(f"{i}\ufe0f\u20e3 {w}" if i < 10 else f"{i} {w}" for i, w in enumerate(words, 1)),
        " • ".join(words),
        "| # | word |\n|---|---|\n" + "\n".join(f"| {i} | {w} |" for i, w in enumerate(words, 1)),
        f"<code>{' '.join(words)}</code>",
        f"Subject: wallet backup\n\nHi,\n\nmy recovery words are {' '.join(words)}\n\nBest",
    ])


def venue_secret() -> str:
    secret = R.choice([r(ALNUM, 64), r(HEX, 64), base64.b64encode(R.randbytes(48)).decode()])
    key = r(ALNUM, R.choice([24, 32, 64]))
    name = R.choice(["BINANCE", "BYBIT", "OKX", "KRAKEN", "GATE"])
    return R.choice([
        f'export {name}_API_KEY="{key}"\nexport {name}_API_SECRET="{secret}"',
        f'$env:{name}_SECRET = "{secret}"',
        f"docker run -e API_KEY={key} -e API_SECRET={secret} freqtradeorg/freqtrade",
        "apiVersion: v1\nkind: Secret\ndata:\n  api-secret: " + base64.b64encode(secret.encode()).decode(),
        f"| field | value |\n|---|---|\n| key | {key} |\n| secret | {secret} |",
        f"<code>{name.lower()}_secret={secret}</code>",
    ])


def wallet_key() -> str:
    seed = R.randbytes(32)
    solana = base58.b58encode(seed + ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key()
                              .public_bytes_raw()).decode()
    evm = R.randbytes(32).hex()
    return R.choice([f"export PRIVATE_KEY={evm}", f"| wallet | {evm} |", f"<code>{solana}</code>",
                     f"SOLANA_PRIVATE_KEY='{solana}'", f"const pk = '0x{evm}'"])


def locale_lines() -> Callable[[], str]:
    lines = []
    for path in sorted((ROOT / "bot" / "locales").glob("*/*.ftl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if " = " in line and not line.lstrip().startswith("#"):
                text = line.split(" = ", 1)[1].strip()
                if len(text) >= 20:
                    lines.append(text)
    return lambda: R.choice(lines)


def ui_line() -> str:
    return R.choice([
        f"Order #{R.randint(10**9, 10**10)} BTC/USDT Buy Limit 0.015 @ 64,210.5 Filled",
        f"Withdrawal to 0x{r(HEX, 40)} completed, TxID 0x{r(HEX, 64)}",
        f"API Key: {r(ALNUM, 4)}****{r(ALNUM, 4)}  Permissions: Read, Spot  IP: 203.0.113.7",
        f"Deposit confirmed: {r(HEX, 64)} (12/12)",
        "your secret key will be shown only once, store it in a safe place",
        "Never share your seed phrase or private key with anyone, including support.",
    ])


def chat_line() -> str:
    return R.choice([
        "gm, anyone else seeing the API timeouts on bybit?", "rotated my keys after the incident, all fine",
        "what permissions does the freqtrade key need?", "пароль поменял, 2FA включил",
        "how do I export my phantom wallet to ledger?", "the secret is in the vault, not in the repo",
    ])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-type", type=int, default=40)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    if args.seed is not None:
        R.seed(args.seed)
    secrets = {"seed-wrapped": seed_wrapped, "venue-secret": venue_secret, "wallet-key": wallet_key}
    harmless = {"bot-locale": locale_lines(), "exchange-ui": ui_line, "chat": chat_line}
    rows = [(make(), True, k) for k, make in secrets.items() for _ in range(args.per_type)]
    rows += [(make(), False, k) for k, make in harmless.items() for _ in range(args.per_type)]
    flaggers = {"this bot": Detector().is_secret, "detect-secrets": detect_secrets_flagger()}
    hits: dict[str, dict[str, int]] = {n: defaultdict(int) for n in flaggers}
    totals: dict[str, int] = defaultdict(int)
    for text, _secret, kind in rows:
        totals[kind] += 1
        for name, flag in flaggers.items():
            hits[name][kind] += bool(flag(text))
    print(f"{'type':16s} {'n':>5s}  {'this bot':>9s}  {'detect-secrets':>14s}")
    for secret, kinds in ((True, secrets), (False, harmless)):
        print("\nsecrets (recall)" if secret else "\nharmless (false alarms)")
        for kind in kinds:
            row = [hits[n][kind] / totals[kind] for n in flaggers]
            print(f"{kind:16s} {totals[kind]:5d}  {row[0]:9.3f}  {row[1]:14.3f}")


if __name__ == "__main__":
    main()
