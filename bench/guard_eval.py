"""An evaluation set for the secret guard built by a different method than its rules.

Secrets are *made*, not written: real BIP-39 phrases in all twelve wordlists (with checksums), real
secp256k1 keys serialised as raw hex, WIF and BIP32 xprv, Solana key pairs, RSA and OpenSSH keys from
`cryptography`, exchange key pairs in each venue's documented shape, TOTP seeds, session strings,
keystores, provider URLs. Each is then placed in layouts people use (numbered, two columns, split in
halves, inside code, .env, JSON, YAML, URLs, grouped in fours, bare pairs on two lines) and wrapped in
short chat in eight languages written for this file. Harmless look-alikes are made the same way from
public formats: transaction hashes and signatures, addresses, xpubs, key ids alone, order ids, git SHAs,
checksums, PGP fingerprints, WalletConnect URIs, placeholders, masked values, CLI flags, the documented
Hardhat dev keys, and wordlist sentences that fail the checksum.

Nothing here reads the detector's word lists or patterns. The seed is fixed, so runs are comparable.

    python bench/guard_eval.py [--per-type 40]
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import hmac
import json
import random
import string
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from mnemonic import Mnemonic

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.guard import detect_secrets_flagger
from bot.guard.detector import Detector

Sample = tuple[str, bool, str]  # text, holds a secret, type
R = random.Random(20261121)

CHAT = {  # short neutral chat around a paste, per language
    "en": ["here you go", "ok this one", "sending it now", "check this pls", "from my notes:", "as promised"],
    "ru": ["вот держи", "лови", "скинул ниже", "проверь плиз", "из заметок:", "как обещал"],
    "es": ["aquí tienes", "mira esto", "te lo paso", "lo que pediste:", "de mis notas:"],
    "de": ["hier bitte", "schau mal", "wie versprochen:", "aus meinen Notizen:"],
    "tr": ["işte burada", "bak buna", "notlarımdan:", "söz verdiğim gibi"],
    "pt": ["aqui está", "olha isso", "das minhas notas:", "como prometido"],
    "uk": ["ось тримай", "лови", "з нотаток:"],
    "zh": ["给你", "看一下", "这是我的", "从笔记里复制的:"],
}
# How people name what they paste; deliberately varied, several languages.
LABELS = {
    "password": ["password is", "pass:", "пароль:", "пароль від пошти", "密码是", "şifre:", "senha:", "contraseña:",
                 "Passwort ist", "pwd"],
    "key": ["private key", "приватник", "özel anahtar", "私钥", "chave privada", "clave privada", "privkey", "pk:"],
}


def chat(text: str) -> str:
    lang = R.choice(list(CHAT))
    before, after = R.choice(CHAT[lang]), R.choice(["", "", "thx", "👍", "?", "ок"])
    return R.choice([f"{before} {text} {after}", f"{before}\n{text}", f"{text}\n{after}", text]).strip()


def rand(alphabet: str, n: int) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


HEX, ALNUM, B58 = "0123456789abcdef", string.ascii_letters + string.digits, base58.BITCOIN_ALPHABET.decode()
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def b58check(payload: bytes) -> str:
    return base58.b58encode_check(payload).decode()


def secp_key() -> bytes:
    while True:
        k = R.randbytes(32)
        if 0 < int.from_bytes(k, "big") < 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141:
            return k


def compressed_pub(k: bytes) -> bytes:
    key = ec.derive_private_key(int.from_bytes(k, "big"), ec.SECP256K1())
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


def bip32_master(seed: bytes) -> tuple[bytes, bytes]:
    digest = hmac.new(b"Bitcoin seed", seed, hashlib.sha512).digest()
    return digest[:32], digest[32:]


def wif(compressed: bool) -> str:
    return b58check(b"\x80" + secp_key() + (b"\x01" if compressed else b""))


def xprv() -> str:
    k, c = bip32_master(R.randbytes(64))
    return b58check(bytes.fromhex("0488ade4") + bytes(9) + c + b"\x00" + k)


def xpub() -> str:
    k, c = bip32_master(R.randbytes(64))
    return b58check(bytes.fromhex("0488b21e") + bytes(9) + c + compressed_pub(k))


def mnemonic(language: str, words: int = 12) -> list[str]:
    strength = {12: 128, 15: 160, 18: 192, 21: 224, 24: 256}[words]
    while True:
        phrase = Mnemonic(language).to_mnemonic(R.randbytes(strength // 8))
        if "\ufffd" not in phrase:  # one word of the package's Russian list is broken (U+FFFD): no one types it
            return phrase.replace("\u3000", " ").split()


# --- secret layouts --------------------------------------------------------------------------------

def seed_layouts(words: list[str], language: str) -> list[str]:
    sep = "\u3000" if language == "japanese" else " "
    n = len(words)
    half = n // 2
    return [
        sep.join(words),
        "\n".join(f"{i}. {w}" for i, w in enumerate(words, 1)),
        " ".join(f"{i}.{w}" for i, w in enumerate(words, 1)),
        "\n".join(f"{i}. {words[i - 1]:<12} {i + half}. {words[i + half - 1]}" for i in range(1, half + 1)),
        ", ".join(words), " - ".join(words), "\n".join(words), sep.join(w.capitalize() for w in words),
        f"{sep.join(words[:half])}\nand the rest: {sep.join(words[half:])}",
        f'wallet = Wallet.from_mnemonic("{sep.join(words)}")', f'MNEMONIC="{sep.join(words)}"',
        json.dumps({"mnemonic": sep.join(words)}, ensure_ascii=False),
        sep.join(words[:n - 1]),  # one word missing: brute-forced in seconds, still a secret
    ]


def evm_layouts(hex_key: str) -> list[str]:
    label = R.choice(LABELS["key"])
    return [f'wallet = Account.from_key("0x{hex_key}")', f"const w = new ethers.Wallet('0x{hex_key}')",
            f"PRIVATE_KEY=0x{hex_key}", f"{label} {hex_key}", f"{label}: 0x{hex_key}"]


def solana_layouts() -> list[str]:
    seed = R.randbytes(32)  # solana-keygen's 64 bytes: the ed25519 seed, then its public key
    raw = seed + ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    return [base58.b58encode(raw).decode(), json.dumps(list(raw)), f"solana keypair: {base58.b58encode(raw).decode()}",
            f"id.json: {json.dumps(list(raw))}"]


def exchange_pair(venue: str) -> tuple[str, str]:
    return {
        "xt": (f"{rand(HEX, 8)}-{rand(HEX, 4)}-4{rand(HEX, 3)}-a{rand(HEX, 3)}-{rand(HEX, 12)}", rand(HEX, 40)),
        "binance": (rand(ALNUM, 64), rand(ALNUM, 64)),
        "bybit": (rand(ALNUM, 18), rand(ALNUM, 36)),
        "okx": (f"{rand(HEX, 8)}-{rand(HEX, 4)}-{rand(HEX, 4)}-{rand(HEX, 4)}-{rand(HEX, 12)}", rand(HEX, 32).upper()),
        "b2trader": (f"{rand(HEX, 8)}-{rand(HEX, 4)}-{rand(HEX, 4)}-{rand(HEX, 4)}-{rand(HEX, 12)}",
                     f"{rand(HEX, 8)}-{rand(HEX, 4)}-{rand(HEX, 4)}-{rand(HEX, 4)}-{rand(HEX, 12)}"),
    }[venue]


def pair_layouts(venue: str) -> list[str]:
    key, secret = exchange_pair(venue)
    plain = secret.replace("-", "")  # a UUID secret is already grouped; people group the others by fours
    grouped = secret if plain != secret else R.choice(["-", " "]).join(plain[i:i + 4] for i in range(0, len(plain), 4))
    return [
        f"{key}\n{secret}", f"{venue}\n{key}\n{secret}", f"{key}\n{grouped}",
        f"https://api.{venue}.com/v1/account?apiKey={key}&secret={secret}",
        f"exchange = ccxt.{venue}({{'apiKey': '{key}', 'secret': '{secret}'}})",
        json.dumps({"exchange": {"name": venue, "key": key, "secret": secret}}, indent=2),
        f"{venue}_api_key: {key}\n{venue}_api_secret: {secret}",
        f"const ex = new ccxt.{venue}({{ apiKey: '{key}', secret: '{secret}' }})",
    ]


def password_layouts() -> list[str]:
    pw = rand(string.ascii_letters + string.digits + "!@#$%&*", R.randint(10, 16))
    return [f"{label} {pw}" for label in R.sample(LABELS["password"], 4)]


def twofa_layouts() -> list[str]:
    seed = rand(B32, 32)
    codes = "\n".join(f"{R.randint(1000, 9999)}-{R.randint(1000, 9999)}" for _ in range(10))
    return [f"otpauth://totp/Binance:alice?secret={seed}&issuer=Binance", f"2fa secret {seed}",
            f"backup codes:\n{codes}", f"коды восстановления\n{codes}"]


def session_layouts() -> list[str]:
    telethon = "1" + base64.urlsafe_b64encode(R.randbytes(263)).decode()
    pyrogram = base64.urlsafe_b64encode(R.randbytes(271)).decode().rstrip("=")
    return [telethon, f"session string: {pyrogram}"]


def keystore_layouts() -> list[str]:
    store = {"version": 3, "id": f"{rand(HEX, 8)}-{rand(HEX, 4)}-4{rand(HEX, 3)}-8{rand(HEX, 3)}-{rand(HEX, 12)}",
             "crypto": {"cipher": "aes-128-ctr", "ciphertext": rand(HEX, 64),
                        "cipherparams": {"iv": rand(HEX, 32)}, "kdf": "scrypt",
                        "kdfparams": {"dklen": 32, "n": 262144, "r": 8, "p": 1, "salt": rand(HEX, 64)},
                        "mac": rand(HEX, 64)}}
    pw = rand(ALNUM, 12)
    return [f"{json.dumps(store)}\npassword: {pw}", f"keystore {json.dumps(store)} pass {pw}"]


def rpc_layouts() -> list[str]:
    return [f"https://mainnet.infura.io/v3/{rand(HEX, 32)}", f"https://eth-mainnet.g.alchemy.com/v2/{rand(ALNUM, 32)}",
            f"RPC_URL=https://solana-mainnet.quiknode.pro/{rand(HEX, 40)}/",
            "https://api.etherscan.io/api?module=account&action=balance&apikey="
            + rand(string.ascii_uppercase + string.digits, 34)]


def pem_layouts() -> list[str]:
    rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    ssh = ed25519.Ed25519PrivateKey.from_private_bytes(R.randbytes(32)).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()).decode()
    return [rsa_pem, ssh, f"id_ed25519:\n{ssh}"]


def seed_sample(language: str) -> list[str]:
    return seed_layouts(mnemonic(language, R.choice([12, 24])), language)


def secret_samples(per_type: int) -> list[Sample]:
    makers: dict[str, Callable[[], list[str]]] = {
        **{f"seed-{lang}": functools.partial(seed_sample, lang) for lang in Mnemonic.list_languages()},
        "evm-key": lambda: evm_layouts(secp_key().hex()),
        "wif": lambda: [wif(compressed=True), "WIF " + wif(compressed=False)],
        "xprv": lambda: [xprv(), f"master key: {xprv()}"],
        "solana-key": solana_layouts,
        "pem": pem_layouts,
        **{f"pair-{v}": functools.partial(pair_layouts, v) for v in ("xt", "binance", "bybit", "okx", "b2trader")},
        "password": password_layouts,
        "2fa": twofa_layouts,
        "session": session_layouts,
        "keystore": keystore_layouts,
        "rpc-url": rpc_layouts,
        "bot-token": lambda: [f"{R.randint(10**9, 10**10)}:AA{rand(ALNUM + '_-', 33)}"],
    }
    out: list[Sample] = []
    for kind, make in makers.items():
        layouts: list[str] = []
        while len(layouts) < per_type:
            layouts += make()
        out += [(chat(text), True, kind) for text in layouts[:per_type]]
    return out


# --- harmless look-alikes ----------------------------------------------------------------------------

HARDHAT = ("Account #0: 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 (10000 ETH)\nPrivate Key: "
           "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")


def bad_checksum_phrase() -> str:
    words = Mnemonic("english").wordlist
    while True:
        phrase = [R.choice(words) for _ in range(12)]
        if not Mnemonic("english").check(" ".join(phrase)):
            return " ".join(phrase)


def harmless_samples(per_type: int) -> list[Sample]:
    makers: dict[str, Callable[[], str]] = {
        "tx-hash": lambda: R.choice([f"tx 0x{rand(HEX, 64)}", f"https://etherscan.io/tx/0x{rand(HEX, 64)}",
                                     f"txid {rand(HEX, 64)} confirmed"]),
        "signature": lambda: f"https://solscan.io/tx/{base58.b58encode(R.randbytes(64)).decode()}",
        "address": lambda: R.choice([f"send to 0x{rand(HEX, 40)}", "BTC: " + b58check(bytes(1) + R.randbytes(20)),
                                     "TRC20 " + b58check(b"A" + R.randbytes(20)),
                                     f"SOL {base58.b58encode(R.randbytes(32)).decode()}"]),
        "xpub": lambda: f"watch-only xpub: {xpub()}",
        "key-id-alone": lambda: R.choice([f"my api key id is {exchange_pair('xt')[0]}",
                                          f"API key (public part): {exchange_pair('okx')[0]}"]),
        "order-id": lambda: R.choice([f"order id {R.randint(10**12, 10**13)}", f"clientOrderId: x-{rand(ALNUM, 16)}",
                                      f"trace id {rand(HEX, 32)}"]),
        "git-sha": lambda: f"fixed in commit {rand(HEX, 40)}",
        "checksum": lambda: f"sha256: {rand(HEX, 64)}  keybot-1.2.0.tar.gz",
        "pgp": lambda: "fingerprint " + " ".join(rand(HEX, 4).upper() for _ in range(10)),
        "walletconnect": lambda: f"wc:{rand(HEX, 64)}@2?relay-protocol=irn&symKey={rand(HEX, 64)}",
        "placeholder": lambda: R.choice(['api_key = "your_api_key_here"', "secret: <secret>", "PASSWORD=****",
                                         '"secret": "xxxxxxxxxxxx"', "API_SECRET=${API_SECRET}"]),
        "masked": lambda: R.choice([f"sk-…{rand(ALNUM, 4)}", f"key {rand(ALNUM, 4)}…{rand(ALNUM, 4)}",
                                    f"secret ****{rand(HEX, 4)}"]),
        "cli-flag": lambda: R.choice(["ssh -p 2222 root@host", "docker run -p 8080:80 nginx", "psql -p 5432 -h db",
                                      "top -p 1234", "mysql -u root -p", "kubectl port-forward -p 9090"]),
        "dev-key": lambda: HARDHAT,
        "wordlist-sentence": bad_checksum_phrase,
    }
    return [(chat(make()), False, kind) for kind, make in makers.items() for _ in range(per_type)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-type", type=int, default=40)
    parser.add_argument("--seed", type=int, default=None, help="another draw from the same generators")
    args = parser.parse_args()
    if args.seed is not None:
        R.seed(args.seed)
    samples = secret_samples(args.per_type) + harmless_samples(args.per_type)
    flaggers = {"this bot": Detector().is_secret, "detect-secrets": detect_secrets_flagger()}
    hits: dict[str, dict[str, int]] = {name: defaultdict(int) for name in flaggers}
    totals: dict[str, int] = defaultdict(int)
    for text, _secret, kind in samples:
        totals[kind] += 1
        for name, flag in flaggers.items():
            hits[name][kind] += bool(flag(text))
    print(f"{'type':24s} {'n':>4s}  {'this bot':>9s}  {'detect-secrets':>14s}")
    groups = {True: sorted({k for _, s, k in samples if s}), False: sorted({k for _, s, k in samples if not s})}
    for secret, kinds in groups.items():
        print("\nsecrets (recall)" if secret else "\nharmless look-alikes (false alarms)")
        for kind in kinds:
            row = [hits[name][kind] / totals[kind] for name in flaggers]
            print(f"{kind:24s} {totals[kind]:4d}  {row[0]:9.3f}  {row[1]:14.3f}")
        n = sum(totals[k] for k in kinds)
        overall = [sum(hits[name][k] for k in kinds) / n for name in flaggers]
        print(f"{'all':24s} {n:4d}  {overall[0]:9.3f}  {overall[1]:14.3f}")


if __name__ == "__main__":
    main()
