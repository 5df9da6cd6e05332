"""Generates tests/data/guard_corpus.jsonl: harmless trading-chat messages and secret-bearing ones,
written for this product. Every secret is random but well-formed (valid checksums, right lengths);
every harmless message carries a look-alike (hashes, addresses, ids, public keys) or is plain chat.

    python tests/data/make_guard_corpus.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import uuid
from collections.abc import Callable
from pathlib import Path

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from mnemonic import Mnemonic

R = random.Random(20261121)
ALNUM = string.ascii_letters + string.digits
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def rnd(chars: str, n: int) -> str:
    return "".join(R.choice(chars) for _ in range(n))


def hexs(n: int) -> str:
    return rnd("0123456789abcdef", n)


def uid() -> str:
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


# --- look-alikes ----------------------------------------------------------------------------------
def btc_legacy() -> str:
    return base58.b58encode_check(bytes([R.choice([0, 5])]) + R.randbytes(20)).decode()


def btc_bech32() -> str:
    return "bc1q" + rnd(BECH32, 38)


def eth() -> str:
    return "0x" + hexs(40)


def tron() -> str:
    return base58.b58encode_check(b"\x41" + R.randbytes(20)).decode()


def ton() -> str:
    return R.choice(["EQ", "UQ"]) + base64.urlsafe_b64encode(R.randbytes(35)).decode()[:46]


def sol() -> str:
    return base58.b58encode(R.randbytes(32)).decode()


def txhash() -> str:
    return R.choice(["0x", ""]) + hexs(64)


def xpub() -> str:
    raw = bytes.fromhex("0488b21e") + bytes([3]) + R.randbytes(8) + R.randbytes(32) + b"\x02" + R.randbytes(32)
    return base58.b58encode_check(raw).decode()


def ipv4() -> str:
    return f"{R.randint(11, 223)}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"


def pubkey_hex() -> str:
    return R.choice(["02", "03"]) + hexs(64)


HARMLESS_TEMPLATES: list[Callable[[], str]] = [
    lambda: f"sent 0.25 BTC to {btc_legacy()}, should confirm in ~20 min",
    lambda: f"my deposit address is {btc_bech32()} (native segwit)",
    lambda: f"USDT TRC20 address: {tron()}",
    lambda: f"ETH withdrawal went to {eth()}",
    lambda: f"can you check tx {txhash()}? still pending",
    lambda: f"txid {hexs(64)} has 3 confirmations",
    lambda: f"TON wallet {ton()} — send the airdrop there",
    lambda: f"SOL address {sol()} for the rewards",
    lambda: f"order {R.randint(10**8, 10**10)} filled at {R.randint(20000, 90000)}.{R.randint(0, 99)}",
    lambda: f"order id {uid()} got cancelled, weird",
    lambda: f"request id {uid()} in the support ticket",
    lambda: f"the client order id was {uid()}",
    lambda: f"my xpub for the watch-only wallet: {xpub()}",
    lambda: f"public key {pubkey_hex()}",
    lambda: f"commit {hexs(40)} fixed the grid bug",
    lambda: f"see https://www.binance.com/en/trade/BTC_USDT?type=spot&ref={R.randint(10**7, 10**8)}",
    lambda: f"docs: https://doc.xt.com/#documentationsignStatement section {R.randint(1, 9)}",
    lambda: f"funding is {R.uniform(-0.05, 0.05):.4f}% on ETH perp, OI {R.randint(1, 900)}M",
    lambda: f"bought {R.uniform(0.01, 3):.4f} ETH @ {R.randint(1500, 4200)}, SL {R.randint(1400, 1500)}",
    lambda: f"PnL today +{R.uniform(0, 12):.2f}% / -{R.uniform(0, 4):.2f}% drawdown",
    lambda: R.choice([
        "gm everyone, BTC looks heavy today", "anyone trading the ETH/BTC range?", "my bot stopped again, ugh",
        "which exchange has the lowest futures fees?", "XT asked for KYC before enabling API trading",
        "I whitelisted my VPS IP but still get AUTH_104", "don't forget to rotate your API keys monthly",
        "never share your seed phrase with anyone", "the API key should be read-only for the tracker",
        "Bybit says my key expires in 90 days without an IP", "how do I create a key on Roxom?",
        "set withdrawal off on the bot key, please", "my secret is safe in the bot, it shows only 3976…0085",
        "use the testnet first, then mainnet", "the grid bot needs trade permission only",
        "what is the difference between an API key and a secret key?", "password reset took me an hour lol",
        "new listing at 14:00 UTC", "stop hunting below 60k again", "who is long here?",
        "всем привет, кто торгует фьючерсы?", "биток опять падает", "ключ только на чтение, не бойтесь",
        "не забудьте включить 2FA", "у кого бот на XT работает?", "поставил IP в белый список",
    ]),
    lambda: f"my VPS is at {ipv4()}, whitelist it",
    lambda: f"api key id: {uid()} (the public one)",
    lambda: f"XT access key {uid()} is the one listed on the page",
    lambda: f"block {R.randint(800000, 900000)} hash {hexs(64)}",
    lambda: f"sha256 of the release: {hashlib.sha256(R.randbytes(16)).hexdigest()}",
    lambda: f"signature was {hexs(128)} in the explorer",
    lambda: f"invoice {rnd(ALNUM.upper(), 12)} paid, {R.randint(5, 500)} USDT",
    lambda: f"reference code {rnd(string.ascii_uppercase + string.digits, 8)} for the promo",
    lambda: f"ticket #{R.randint(1000, 99999)} — they asked for the key ID, not the secret",
    lambda: f"Solana tx {base58.b58encode(R.randbytes(64)).decode()} succeeded",
]


# --- secrets --------------------------------------------------------------------------------------
def seed(words: int = 12) -> str:
    return Mnemonic("english").to_mnemonic(R.randbytes(words * 4 // 3))


def wif() -> str:
    return base58.b58encode_check(b"\x80" + R.randbytes(32) + R.choice([b"", b"\x01"])).decode()


def xprv() -> str:
    raw = bytes.fromhex("0488ade4") + bytes([R.randint(0, 4)]) + R.randbytes(8) + R.randbytes(32) + b"\x00" \
        + R.randbytes(32)
    return base58.b58encode_check(raw).decode()


def pem() -> str:
    key: ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey = (
        ec.generate_private_key(ec.SECP256R1()) if R.random() < 0.5 else ed25519.Ed25519PrivateKey.generate())
    pem_bytes: bytes = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())
    return pem_bytes.decode().strip()


def jwt() -> str:
    def seg(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return f"{seg({'alg': 'HS256', 'typ': 'JWT'})}.{seg({'sub': R.randint(1, 10**9), 'exp': 1900000000})}." + \
        base64.urlsafe_b64encode(R.randbytes(32)).decode().rstrip("=")


SECRET_TEMPLATES: list[tuple[str, Callable[[], str]]] = [
    ("venue/xt", lambda: f"XT key {uid()} secret {hexs(40)}"),
    ("venue/xt", lambda: f"here you go: access key {uid()}\nsecret key: {hexs(40)}"),
    ("venue/binance", lambda: f"binance api key {rnd(ALNUM, 64)} and the secret {rnd(ALNUM, 64)}"),
    ("venue/binance", lambda: f"API Secret: {rnd(ALNUM, 64)}"),
    ("venue/bybit", lambda: f"bybit key {rnd(ALNUM, 18)} secret {rnd(ALNUM, 36)} pls set up my bot"),
    ("venue/okx", lambda: f"okx: apikey {uid()} secretkey {hexs(32).upper()} "
                          f"passphrase {rnd(ALNUM, 10)}!"),
    ("venue/b2trader", lambda: f"b2trader public {uid()} private key {uid()}"),
    ("venue/roxom", lambda: f"Roxom key xrxk_key_{hexs(32)}\n{pem()}"),
    ("venue/xrocket", lambda: f"xRocket token {jwt()}"),
    ("venue/xrocket", lambda: f"rocket pay token: {rnd(ALNUM, 40)}"),
    ("venue/walletbot", lambda: f"wallet bot api key — {rnd(ALNUM, 48)}"),
    ("venue/generic", lambda: f"секретный ключ: {rnd(ALNUM, 48)}"),
    ("venue/generic", lambda: f"мой api secret {hexs(40)}"),
    ("wallet/seed", lambda: f"my seed phrase: {seed(12)}"),
    ("wallet/seed", lambda: seed(24)),
    ("wallet/seed", lambda: f"recovery words {seed(R.choice([12, 15, 18, 21, 24]))} — is this right?"),
    ("wallet/wif", lambda: f"import this WIF: {wif()}"),
    ("wallet/wif", lambda: wif()),
    ("wallet/xprv", lambda: f"xprv for the hot wallet {xprv()}"),
    ("wallet/hexkey", lambda: f"ETH private key 0x{hexs(64)}"),
    ("wallet/hexkey", lambda: f"privkey: {hexs(64)}"),
    ("token/telegram", lambda: f"bot token {R.randint(10**8, 10**10)}:AA{rnd(ALNUM + '_-', 33)}"),
    ("token/github", lambda: f"use ghp_{rnd(ALNUM, 36)} for the repo"),
    ("token/aws", lambda: f"AWS_ACCESS_KEY_ID=AKIA{rnd(string.ascii_uppercase + string.digits, 16)}"),
    ("token/slack", lambda: f"slack: xoxb-{R.randint(10**10, 10**11)}-{R.randint(10**10, 10**11)}-{rnd(ALNUM, 24)}"),
    ("token/stripe", lambda: f"stripe sk_live_{rnd(ALNUM, 24)}"),
    ("token/google", lambda: f"maps key AIza{rnd(ALNUM + '_-', 35)}"),
    ("token/jwt", lambda: f"Authorization: Bearer {jwt()}"),
    ("token/pem", lambda: pem()),
    ("generic/password", lambda: f"password: {rnd(ALNUM, 6)}{R.choice('!@#$%')}{rnd(ALNUM, 4)}"),
    ("generic/password", lambda: f"the exchange login is trader42, pass = {rnd(ALNUM, 12)}"),
    ("generic/assignment", lambda: f"API_SECRET={rnd(ALNUM, 40)}"),
]


def main() -> None:
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    while len(rows) < 320:
        text: str = R.choice(HARMLESS_TEMPLATES)()
        if text not in seen:
            seen.add(text)
            rows.append({"text": text, "secret": False, "category": "harmless"})
    per_template = 7
    for category, make in SECRET_TEMPLATES:
        for _ in range(per_template):
            rows.append({"text": make(), "secret": True, "category": category})
    R.shuffle(rows)
    out = Path(__file__).with_name("guard_corpus.jsonl")
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    secret = sum(1 for r in rows if r["secret"])
    print(f"wrote {out}: {len(rows) - secret} harmless, {secret} secret")  # noqa: T201


if __name__ == "__main__":
    main()
