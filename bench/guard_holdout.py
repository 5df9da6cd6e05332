"""A second, held-out evaluation set for the secret guard, written after the rules and never used to tune them.

`bench/guard_eval.py` was read while the rules were improved, so its figures flatter them. This set is
built differently, around *other* material:
- venues and tools the first set does not use (Kraken, KuCoin, Gate, MEXC, Bitget, HTX, Coinbase's CDP
  keys; freqtrade and hummingbot config files, curl and requests calls, CSV exports, docker-compose);
- wallets' own export screens (MetaMask "Show private key", Phantom "Export private key", Trust
  Wallet's numbered "Secret Phrase", Ledger's 24 words);
- chat in other languages (Polish, Vietnamese, Indonesian, Arabic, Hindi, French, Italian, Japanese)
  and other wrappers: Markdown code fences, quotes (`> `), a message forwarded from a "support agent";
- harmless text people really send: every description of the Telegram Bot API reference (vendored in
  tests/data/harmless-prose, MIT), questions about keys and seeds with no secret in them, explorer
  lines, package hashes, public SSH and PGP keys, config templates with empty values, masked CI logs.

A run prints recall and false alarms per type for this bot and detect-secrets 1.5.0.

    python bench/guard_holdout.py [--per-type 40] [--show 0]
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import string
import sys
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from mnemonic import Mnemonic

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.guard import detect_secrets_flagger
from bot.guard.detector import Detector

R = random.Random(77_2026)
PROSE = Path(__file__).resolve().parent.parent / "tests" / "data" / "harmless-prose" / "botapi-descriptions.jsonl"
HEX, ALNUM, B64 = "0123456789abcdef", string.ascii_letters + string.digits, string.ascii_letters + string.digits + "+/"

# How people open and close a message, in languages the first set does not use.
OPENERS = ["Cześć, proszę:", "Gửi bạn nè", "Ini dia ya", "تفضل", "यह लो", "Voilà ce que tu m'as demandé",
           "Ecco qua", "どうぞ", "support asked me for this, is it ok?", "pls fix my bot, config below",
           "Forwarded from Binance Support:", "> "]
CLOSERS = ["", "", "dzięki", "cảm ơn", "makasih", "شكرا", "धन्यवाद", "merci", "grazie", "よろしく", "🙏"]


def r(alphabet: str, n: int) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


def wrap(payload: str) -> str:
    style = R.randrange(5)
    if style == 0:
        payload = f"```\n{payload}\n```"
    elif style == 1 and "\n" not in payload:
        payload = f"> {payload}"
    opener, closer = R.choice(OPENERS), R.choice(CLOSERS)
    joiner = R.choice([" ", "\n"])
    return f"{opener}{joiner}{payload}{(' ' + closer) if closer else ''}".strip()


# --- secrets: venue keys -----------------------------------------------------------------------------

def venue_pair() -> tuple[str, str, str, str]:
    """(venue, key, secret, passphrase or "") in the shapes the venues hand out."""
    venue = R.choice(["kraken", "kucoin", "gate", "mexc", "bitget", "htx"])
    if venue == "kraken":
        return venue, r(B64, 56), base64.b64encode(R.randbytes(64)).decode(), ""
    if venue == "kucoin":
        return venue, r(HEX, 24), str(uuid.UUID(int=R.getrandbits(128), version=4)), r(ALNUM, 10)
    if venue == "gate":
        return venue, r(HEX, 32), r(HEX, 64), ""
    if venue == "mexc":
        return venue, "mx0v" + r(ALNUM, 16), r(HEX, 32), ""
    if venue == "bitget":
        return venue, "bg_" + r(HEX, 32), r(HEX, 64), r(ALNUM, 12)
    return venue, "-".join(r(HEX, n) for n in (8, 8, 8, 5)), "-".join(r(HEX, n) for n in (8, 8, 8, 5)), ""


def venue_layout() -> str:
    venue, key, secret, phrase = venue_pair()
    extra = f"\npassphrase: {phrase}" if phrase else ""
    layouts = [
        json.dumps({"exchange": {"name": venue, "key": key, "secret": secret, "password": phrase}}, indent=4),
        f"{venue}_api_key: {key}\n{venue}_secret_key: {secret}" + (f"\n{venue}_passphrase: {phrase}" if phrase else ""),
        f"curl -H 'KEY: {key}' -H 'SIGN-SECRET: {secret}' https://api.{venue}.com/api/v4/spot/accounts",
        f"headers = {{'X-API-KEY': '{key}', 'X-API-SECRET': '{secret}'}}",
        f"exchange,api_key,api_secret\n{venue},{key},{secret}",
        f"environment:\n  - EXCHANGE={venue}\n  - API_KEY={key}\n  - API_SECRET={secret}",
        f"{venue.upper()} API\nKey: {key}\nSecret: {secret}{extra}",
        f"{key}\n{secret}",
    ]
    return R.choice(layouts)


def coinbase_cdp() -> str:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode()
    name = f"organizations/{uuid.UUID(int=R.getrandbits(128))}/apiKeys/{uuid.UUID(int=R.getrandbits(128))}"
    return R.choice([json.dumps({"name": name, "privateKey": pem}), f"API key name: {name}\n{pem}"])


# --- secrets: wallets ---------------------------------------------------------------------------------

def metamask_key() -> str:
    key = R.randbytes(32).hex()
    return R.choice([key, f"Show private key\n{key}", f"metamask pk {key}", f"0x{key}\nthat's the account 2 key",
                     f"klucz prywatny: {key}", f"khóa riêng tư {key}", f"kunci pribadi: 0x{key}"])


def phantom_key() -> str:
    seed = R.randbytes(32)
    raw = seed + ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    b58 = base58.b58encode(raw).decode()
    return R.choice([b58, f"Export Private Key\n{b58}", f"my phantom key {b58}", json.dumps(list(raw))])


def phrase_layout() -> str:
    language = R.choice(["english", "english", "english", "french", "italian", "japanese", "spanish", "korean"])
    size = R.choice([12, 12, 18, 24])
    words = Mnemonic(language).to_mnemonic(R.randbytes(size * 4 // 3)).replace("\u3000", " ").split()
    layouts = [
        "Secret Phrase\n" + "\n".join(f"{i:02d} {w}" for i, w in enumerate(words, 1)),
        " ".join(f"{i}) {w}" for i, w in enumerate(words, 1)),
        "\t".join(words),
        "|".join(words),
        "\n".join(" ".join(words[i:i + 4]) for i in range(0, size, 4)),  # a grid of four per row
        " ".join(words).upper(),
        f"seed = '{' '.join(words)}'",
        f"Recovery phrase: {' '.join(words)}",
    ]
    return R.choice(layouts)


# --- secrets: passwords, 2FA, tokens --------------------------------------------------------------------

PASSWORD_LABELS = ["hasło:", "mật khẩu:", "kata sandi:", "كلمة المرور:", "पासवर्ड:", "mot de passe :", "la password è",
                   "パスワード:", "password=", "login: trader42 / pass:"]


def password_layout() -> str:
    pw = r(string.ascii_letters + string.digits, R.randint(7, 10)) + R.choice("!@#%&*?") + str(R.randint(0, 99))
    return f"{R.choice(PASSWORD_LABELS)} {pw}"


def totp_layout() -> str:
    secret = base64.b32encode(R.randbytes(20)).decode().rstrip("=")
    return R.choice([f"otpauth://totp/Kraken:{r(string.ascii_lowercase, 6)}?secret={secret}&issuer=Kraken",
                     f"Google Authenticator key: {' '.join(secret[i:i + 4] for i in range(0, len(secret), 4))}",
                     f"TOTP_SECRET={secret}"])


def bot_token_layout() -> str:
    token = f"{R.randint(5 * 10**9, 8 * 10**9)}:AA{r(ALNUM + '_-', 33)}"
    return R.choice([f"BOT_TOKEN={token}", f"bot = Bot(token='{token}')", token])


SECRET_MAKERS: dict[str, Callable[[], str]] = {
    "venue-pair": venue_layout,
    "coinbase-cdp": coinbase_cdp,
    "metamask-key": metamask_key,
    "phantom-key": phantom_key,
    "seed-phrase": phrase_layout,
    "password": password_layout,
    "totp": totp_layout,
    "bot-token": bot_token_layout,
}


# --- harmless -------------------------------------------------------------------------------------------

QUESTIONS = [
    "where do I find my api key on kraken?", "никогда не отправляйте seed фразу никому",
    "Jak zresetować hasło do konta?", "tôi quên mật khẩu rồi, làm sao lấy lại?", "apa itu private key?",
    "should the secret key have withdrawal permission?", "my 2FA codes stopped working after changing phone",
    "how many words does a seed phrase have, 12 or 24?", "the API secret is shown only once, save it",
    "support will never ask for your password or private key", "I rotated the keys yesterday, all good now",
    "ما هي العبارة السرية؟", "मेरा पासवर्ड काम नहीं कर रहा", "秘密鍵はどこで確認できますか？",
]


def explorer_line() -> str:
    return R.choice([
        f"Block #{R.randint(18_000_000, 21_000_000)} hash 0x{r(HEX, 64)}",
        f"Txn Hash: 0x{r(HEX, 64)}  From 0x{r(HEX, 40)}  To 0x{r(HEX, 40)}",
        f"https://tronscan.org/#/transaction/{r(HEX, 64)}",
        f"https://mempool.space/tx/{r(HEX, 64)}",
        f"bc1q{r('qpzry9x8gf2tvdw0s3jn54khce6mua7l', 38)} received 0.0042 BTC",
    ])


def package_hash() -> str:
    return R.choice([
        f"aiogram==3.31.0 --hash=sha256:{r(HEX, 64)}",
        f'"integrity": "sha512-{base64.b64encode(R.randbytes(64)).decode()}"',
        f"{r(HEX, 64)}  keybot-2.0.1-py3-none-any.whl",
    ])


def public_key() -> str:
    ssh = ed25519.Ed25519PrivateKey.from_private_bytes(R.randbytes(32)).public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    pem = ec.generate_private_key(ec.SECP256K1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return R.choice([f"{ssh} trader@laptop", pem, f"public key 04{r(HEX, 128)}"])


def empty_template() -> str:
    return R.choice([
        json.dumps({"exchange": {"name": "kraken", "key": "", "secret": "", "ccxt_config": {}}}, indent=4),
        "gate_api_key: \ngate_secret_key: \n",
        "API_KEY=\nAPI_SECRET=\nPASSPHRASE=",
        "KEY: ***\nSECRET: ***",
        "Run echo $API_SECRET\n***",
        "exchange,api_key,api_secret\nkucoin,<your key>,<your secret>",
    ])


def request_ids() -> str:
    return R.choice([
        f"Error 50011: request id {uuid.UUID(int=R.getrandbits(128))}, try again later",
        f"order {R.randint(10**17, 10**18)} filled, clientOid {uuid.UUID(int=R.getrandbits(128))}",
        f"trace-id: {r(HEX, 32)} span-id: {r(HEX, 16)}",
        f"deployment {r(HEX, 7)} by ci, image sha256:{r(HEX, 64)}",
    ])


def prose() -> Callable[[], str]:
    texts = [json.loads(line)["text"] for line in PROSE.read_text(encoding="utf-8").splitlines()]
    return lambda: R.choice(texts)


def harmless_makers() -> dict[str, Callable[[], str]]:
    return {
        "bot-api-prose": prose(),
        "question": lambda: R.choice(QUESTIONS),
        "explorer": explorer_line,
        "package-hash": package_hash,
        "public-key": public_key,
        "empty-template": empty_template,
        "request-id": request_ids,
    }


def samples(per_type: int) -> list[tuple[str, bool, str]]:
    out = [(wrap(make()), True, kind) for kind, make in SECRET_MAKERS.items() for _ in range(per_type)]
    for kind, make in harmless_makers().items():
        count = per_type * 10 if kind == "bot-api-prose" else per_type
        out += [(make() if kind == "bot-api-prose" else wrap(make()), False, kind) for _ in range(count)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-type", type=int, default=40)
    parser.add_argument("--seed", type=int, default=None, help="another draw from the same generators")
    parser.add_argument("--show", type=int, default=0, help="print this many misses and false alarms per type")
    args = parser.parse_args()
    if args.seed is not None:
        R.seed(args.seed)
    rows = samples(args.per_type)
    flaggers = {"this bot": Detector().is_secret, "detect-secrets": detect_secrets_flagger()}
    hits: dict[str, dict[str, int]] = {name: defaultdict(int) for name in flaggers}
    totals: dict[str, int] = defaultdict(int)
    wrong: dict[str, list[str]] = defaultdict(list)
    for text, secret, kind in rows:
        totals[kind] += 1
        for name, flag in flaggers.items():
            flagged = bool(flag(text))
            hits[name][kind] += flagged
            if name == "this bot" and flagged != secret:
                wrong[kind].append(text)
    print(f"{'type':20s} {'n':>5s}  {'this bot':>9s}  {'detect-secrets':>14s}")
    for secret in (True, False):
        kinds = list(dict.fromkeys(k for _, s, k in rows if s == secret))
        print("\nsecrets (recall)" if secret else "\nharmless (false alarms)")
        for kind in kinds:
            row = [hits[name][kind] / totals[kind] for name in flaggers]
            print(f"{kind:20s} {totals[kind]:5d}  {row[0]:9.3f}  {row[1]:14.3f}")
            for text in wrong[kind][:args.show]:
                print(f"      {text[:160]!r}")
        n = sum(totals[k] for k in kinds)
        overall = [sum(hits[name][k] for k in kinds) / n for name in flaggers]
        print(f"{'all':20s} {n:5d}  {overall[0]:9.3f}  {overall[1]:14.3f}")


if __name__ == "__main__":
    main()
