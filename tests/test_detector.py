"""The secret detector: what must be caught, what must pass, validators, offsets, the CLI, and quality
floors on the vendored corpora (these fail if a change makes the detector worse)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import base58
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mnemonic import Mnemonic

from bench.guard import load_project, load_shared, score
from bot.guard.detector import Detector
from bot.guard.validators import is_bip39, is_extended_private_key, is_wif

D = Detector()
SEED = "start true merge velvet album satoshi federal lyrics educate ignore usual whale"
WIF = base58.b58encode_check(b"\x80" + bytes(range(1, 33)) + b"\x01").decode()
XPRV = base58.b58encode_check(bytes.fromhex("0488ade4") + bytes(9) + bytes(range(32)) + b"\x00"
                              + bytes(range(32, 64))).decode()
XPUB = base58.b58encode_check(bytes.fromhex("0488b21e") + bytes(9) + bytes(range(32)) + b"\x02"
                              + bytes(range(32, 64))).decode()


@pytest.mark.parametrize(("text", "kind"), [
    ("XT key 3976eb88-76d0-4f6e-a6b2-a57980770085 secret bc6630d0231fda5cd98794f52c4998659beda290", "venue_secret"),
    ("binance secret NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", "venue_secret"),
    ("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", "api_secret"),
    ("b2trader private key 8596a4a9-b3a5-3d4c-9399-a2958de404ba", "venue_secret"),
    ("okx passphrase: Tr4d1ng!Bot", "password"),
    (f"my seed phrase: {SEED}", "seed_phrase"),
    ("1. start 2. true 3. merge 4. velvet 5. album 6. satoshi 7. federal 8. lyrics 9. educate 10. ignore "
     "11. usual 12. whale", "seed_phrase"),
    (WIF, "wif_private_key"),
    (f"hot wallet {XPRV}", "extended_private_key"),
    ("eth private key 0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "private_key_hex"),
    ("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----",
     "private_key_pem"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
     "-----END OPENSSH PRIVATE KEY-----", "private_key_pem"),
    ("token 110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1", "telegram_bot_token"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "jwt"),
    ("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", "github_token"),
    ("AKIAIOSFODNN7EXAMPLE is my key", "aws_access_key_id"),
    ("xoxb-153445930147-Tjy11gGxUW6Cf99YOYwtzG0K", "slack_token"),
    ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "stripe_key"),
    ("AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe", "google_api_key"),
    ("API_SECRET=Zk3vP9qL2mX7wR4tY8uN6bJ1cF5hD0sA", "secret_assignment"),
    ("password: Hunter2!", "password"),
    ("curl https://trader:s3cr3tPass@api.example.com/v1", "password_in_url"),
    ("mysql -u root -p S3cretPass99 db", "cli_password"),  # a real password after -p still counts
    ("PRIVATE_KEY=0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "private_key_hex"),
])
def test_secrets_are_found(text: str, kind: str) -> None:
    findings = D.find(text)
    assert [f.kind for f in findings] == [kind] or kind in [f.kind for f in findings], findings


@pytest.mark.parametrize("text", [
    "3976eb88-76d0-4f6e-a6b2-a57980770085",  # an XT access key alone is an id
    "xt access key 3976eb88-76d0-4f6e-a6b2-a57980770085",
    "order id 5c1f9a34-2b7e-4d1a-9c3e-0f6b2a8d4e71 was cancelled",
    "tx 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
    "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",  # EVM hashes are shown with 0x
    "txid 5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
    "5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060  keybot-2.0.1.tar.gz",
    "send to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
    "legacy 1BoatSLRHtKNngkdXEeobR76b53LETtpyT please",
    "ETH 0x742d35Cc6634C0532925a3b844Bc454e4438f44e",
    "TRON TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE",
    "TON EQDtFpEwcFAEcRe5mLVh2N6C0x-_hJEM7W61_JLnSF74p4q2",
    "SOL 7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV",
    f"watch-only {XPUB}",
    "public key 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
    "https://www.binance.com/en/trade/BTC_USDT?type=spot",
    "bought 0.25 BTC at 64,250.50, order 8123345",
    "the API key should be read-only and the secret stays on the server",
    "my password reset took an hour",
    "gm, the market looks heavy today; who is long?",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it",
    "я поставил IP в белый список, ключ только на чтение",
    # CLI flags: ports, pids and mappings are not passwords.
    "ssh -p 2222 root@host", "docker run -p 8080:80 nginx", "psql -p 5432 -h db", "top -p 1234",
    "docker run -p 127.0.0.1:5432:5432 postgres",
    # The documented Hardhat/Anvil dev keys are public.
    "Account #0: 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 (10000 ETH)\nPrivate Key: "
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "PRIVATE_KEY=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    # A WalletConnect pairing URI is meant to be shared (as a QR code).
    "wc:7f6e504bfad60b485450578e05678ed3e8e8c4751d3c6160be17160d63ec90f9@2?relay-protocol=irn&"
    "symKey=587d5484ce2a2a6ee3ba1962fdd7e8588e06200c46823bd18fbd67def96ad303",
])
def test_look_alikes_pass(text: str) -> None:
    assert D.find(text) == [], D.find(text)


def test_offsets_cover_the_secret() -> None:
    text = "hey, binance secret NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j thanks"
    [finding] = D.find(text)
    assert text[finding.start:finding.end] == "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
    assert "Nhq" not in D.redact(text)


def test_validators() -> None:
    assert is_bip39(SEED.split(), "english")
    broken = SEED.split()
    broken[-1] = "zoo"
    assert not is_bip39(broken, "english")
    assert D.find(" ".join(broken)) == []
    spanish = Mnemonic("spanish").to_mnemonic(bytes(range(16)))
    assert [f.kind for f in D.find(spanish)] == ["seed_phrase"]
    assert is_wif(WIF)
    assert not is_wif(WIF[:-1] + ("1" if WIF[-1] != "1" else "2"))
    assert is_extended_private_key(XPRV)
    assert not is_extended_private_key(XPUB)


@given(st.text(max_size=400))
def test_never_crashes_and_offsets_are_in_range(text: str) -> None:
    for f in D.find(text):
        assert 0 <= f.start < f.end <= len(text)


def test_quality_floors_on_the_corpora() -> None:
    project = load_project()
    recall, false_alarms, _, _ = score(project, D.is_secret)
    assert recall >= 0.95
    assert false_alarms <= 0.01
    venue_wallet = [r for r in project if not r[1] or r[2].startswith(("venue", "wallet"))]
    assert score(venue_wallet, D.is_secret)[0] >= 0.95
    shared_recall, shared_fa, _, _ = score(load_shared(), D.is_secret)
    assert shared_recall >= 0.75  # see bench/guard.py: IPs, ARNs and bucket names are not chat secrets
    assert shared_fa <= 0.20


def test_cli_reads_json_lines(tmp_path: Path) -> None:
    lines = [json.dumps("secret: bc6630d0231fda5cd98794f52c4998659beda290"), "not json", json.dumps(42),
             json.dumps("hello")]
    result = subprocess.run([sys.executable, "-m", "bot.guard"], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, timeout=60, check=True)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["secret"] is True
    assert out[0]["findings"][0]["start"] == 8
    assert out[0]["findings"][0]["end"] == 48
    assert "error" in out[1]
    assert "error" in out[2]
    assert out[3] == {"secret": False, "findings": []}


@pytest.mark.parametrize("language", ["chinese_simplified", "chinese_traditional", "japanese", "korean", "russian",
                                      "turkish", "english", "spanish"])
def test_seed_phrases_in_every_wordlist_and_layout(language: str) -> None:
    from mnemonic import Mnemonic

    words = Mnemonic(language).to_mnemonic(bytes(range(16, 32))).replace("\u3000", " ").split()
    sep = "\u3000" if language == "japanese" else " "
    for layout in (sep.join(words), " ".join(f"{i}.{w}" for i, w in enumerate(words, 1)),
                   f'Wallet.from_mnemonic("{sep.join(words)}")',
                   json.dumps({"mnemonic": sep.join(words)}, ensure_ascii=False),
                   "\n".join(f"{i}. {w}" for i, w in enumerate(words, 1))):
        kinds = [f.kind for f in D.find(f"here: {layout}")]
        assert kinds == ["seed_phrase"], (language, layout, kinds)


@pytest.mark.parametrize(("text", "kind"), [
    ("3976eb88-76d0-4f6e-a6b2-a57980770085\nbc6630d0231fda5cd98794f52c4998659beda290", "api_secret"),
    ("bybit\nA1b2C3d4E5f6G7h8I9\nZ9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2", "api_secret"),
    ('acct = Account.from_key("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")',
     "private_key_hex"),
    ("clave privada 4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "private_key_hex"),
    ("https://mainnet.infura.io/v3/940b5ac18ec492debbf32c30149381c2", "provider_token"),
    ("id.json: [" + ", ".join(str((i * 37 + 11) % 256) for i in range(64)) + "]", "wallet_keypair"),
    ("backup codes:\n5231-2535\n3645-6967\n5453-1353\n1166-2017\n9563-6831", "backup_codes"),
    ("Passwort ist SM62nzCDkjUmHq9", "password"),
    ("senha: SM62nzCDkjUmHq9", "password"),
    ("密码是 SM62nzCDkjUmHq9", "password"),
    ("1" + "aZ3_kQ9-Lm2Xp8Rt5Vw7Yb4Nc6Hd1Gf0Je" * 10, "telegram_session"),
])
def test_generalised_shapes_are_found(text: str, kind: str) -> None:
    assert kind in [f.kind for f in D.find(text)], D.find(text)


@pytest.mark.parametrize("text", [
    "tx 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060\n"
    "0x9e3d1f0a2b7c4e5f6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f",
    "orders:\n5c1f9a34-2b7e-4d1a-9c3e-0f6b2a8d4e71\n0b0e3b8e-6f1a-4a8f-9a3c-2c7d1e5f4a6b",
    "5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060\n"
    "9e3d1f0a2b7c4e5f6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f",
    "ids [1, 2, 3, 4, 5]",
    "[" + ", ".join("7" for _ in range(64)) + "]",
    "my password is weak",
])
def test_generalised_look_alikes_pass(text: str) -> None:
    assert D.find(text) == [], D.find(text)


def _phrase(language: str = "english", size: int = 12, fill: int = 40) -> list[str]:
    entropy = bytes(range(fill, fill + size * 4 // 3))
    return Mnemonic(language).to_mnemonic(entropy).replace("\u3000", " ").split()


def _failing(words: list[str]) -> list[str]:
    """The same words reordered until the checksum fails: a wordlist sentence, not a phrase."""
    m = Mnemonic("english")
    for shift in range(1, len(words)):
        candidate = words[shift:] + words[:shift]
        if not m.check(" ".join(candidate)):
            return candidate
    raise AssertionError("no failing order")


@pytest.mark.parametrize("language", ["english", "japanese", "chinese_simplified", "korean"])
def test_seed_phrase_layouts_people_use(language: str) -> None:
    words = _phrase(language)
    sep = "\u3000" if language == "japanese" else " "
    words24 = _phrase(language, 24)
    two_columns = "\n".join(f"{i}. {words[i - 1]:<10} {i + 6}. {words[i + 5]}" for i in range(1, 7))
    layouts = {
        "two columns": two_columns,
        "two halves": f"{sep.join(words[:6])}\nand the rest: {sep.join(words[6:])}",
        "24 in two halves": f"{sep.join(words24[:12])}\nthen {sep.join(words24[12:])}",
        "11 of 12": f"seed: {sep.join(words[:11])} thx",
        "separated by |": "|".join(words),
        "capitalised": sep.join(w.capitalize() for w in words),
        "23 of 24": sep.join(words24[:5] + words24[6:]),
        "numbered, one left out": "\n".join(f"{i}. {w}" for i, w in enumerate(words, 1) if i != 7),
        "escaped JSON": json.dumps({"mnemonic": sep.join(words)}),
    }
    for name, text in layouts.items():
        findings = D.find(text)
        assert [f.kind for f in findings] == ["seed_phrase"], (language, name, text)


def test_wordlist_words_that_are_not_a_phrase_pass() -> None:
    failing = _failing(_phrase())
    assert D.find(" ".join(failing)) == []
    # One more wordlist word of chat before it gives no second chance at a checksum ("one" is in the list).
    assert D.find("ok this one " + " ".join(failing)) == []
    # A phrase after chat words that are in the wordlist is still found, and only the phrase is taken.
    words = _phrase()
    text = "restore wallet " + " ".join(words)
    assert [text[f.start:f.end] for f in D.find(text)] == [" ".join(words)]
    # Numbers that are not a phrase's (a list that starts at 3) are ordinary text.
    assert D.find("\n".join(f"{i}. {w}" for i, w in enumerate(failing, 3))) == []


def test_solana_secret_key_in_base58_is_a_key_pair_and_a_signature_is_not() -> None:
    import base58
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    seed = bytes(range(100, 132))
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    secret = base58.b58encode(seed + public).decode()
    assert [f.kind for f in D.find(f"backup\n{secret}\nok")] == ["wallet_keypair"]
    signature = base58.b58encode(Ed25519PrivateKey.from_private_bytes(seed).sign(b"tx")).decode()
    assert D.find(f"https://solscan.io/tx/{signature}") == []
    assert D.find(signature) == []


@pytest.mark.parametrize("text", [
    "look here 43da925d-eecc-69be-1aa1-ed0d81df4008\nD3D96D219F5E0E76815B29CEE1AB524C thx",
    "b2trader\n5c46a32e-a125-33a0-540b-4a89258985e5\n1192435f-28af-cc28-79c4-8bfd878b5507",
    "HTush2fQwuotonKg1F\nrT0W-ewd4-UNK7-9GCA-ZdkW-VZW5-MQMF-5pAj-EsbD\n?",
    "password is ntukHN!%fg#g$T",
    "пароль від пошти &eK$dgJ1n4MZ3Z*R",
    "pwd %xAuZmQ$6y",
    "exchange,api_key,api_secret\nkucoin,0dd70b52fd907445a84f32aa,a039f6c1-a701-4be0-9170-36f5d570f9e4",
    "Google Authenticator key: TG46 CJH3 XNGN D3B4 O453 LHFL SXEB M2WW",
    "hasło: stMkE5i&36", "パスワード: 62QjPLmB*56", "पासवर्ड: S8NRPooQB!78",
    "kraken\nvtVidr2ek+VAcBFTx/GWGamHVurFgfu/iGH2N7OUQ0TinEcjjB71pLaW\n"
    "FWWba25h3/NQNb+YOUM+e/GAlzg0n1DJeTaW6MyCSk3oO1PggKimdBJ3fHY5OfZL0K4ulyTzq0XX==",
    "81b42bbd-f644a7c3-9c86c77e-5bb1a\n3e980b33-e48b4b1e-3b5df303-27896",
])
def test_pairs_and_passwords_with_chat_around(text: str) -> None:
    assert D.find(text), text


@pytest.mark.parametrize("text", [
    "trades:\n5c1f9a34-2b7e-4d1a-9c3e-0f6b2a8d4e71\n0b0e3b8e-6f1a-4a8f-9a3c-2c7d1e5f4a6b",
    "SOL 7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU\nUSDC EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v",
    "a\n5c504ed432cb51138bcf09aa5e8a410d\n9e3d1f0a2b7c4e5f6a8b9c0d1e2f3a4b\n0f6b2a8d4e719e3d1f0a2b7c4e5f6a8b",
    "I will pass Tomorrow",
    "the password is Monday",
    '"password": "$accountKey"',  # a variable
    "exchange,api_key,api_secret\nkucoin,<your key>,<your secret>",
    "API_KEY=\nAPI_SECRET=\nPASSPHRASE= धन्यवाद",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB6B7Q6ODJ3JldmNG1TQYR2cehcJCOm0g4pEbZGBpWdf trader@laptop",
    "you can pass \"attach://<file_attach_name>\" to upload a new one",
    "A secret token to be sent in a header \"X-Telegram-Bot-Api-Secret-Token\" in every webhook request",
])
def test_look_alikes_with_chat_around_pass(text: str) -> None:
    assert D.find(text) == [], D.find(text)


@pytest.mark.parametrize("text", [
    "5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
    "どうぞ 5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060 cảm ơn",
    "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060\nthat's the account 2 key",
    "klucz prywatny: 5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
])
def test_a_lone_64_hex_without_0x_is_taken_for_a_wallet_key(text: str) -> None:
    """How a wallet's "Show private key" is pasted. A hash goes with its word ("tx", "txid", a file name) or 0x;
    a bare one is deleted too, because leaving a key up costs more than re-sending a hash with "tx"."""
    assert [f.kind for f in D.find(text)] == ["private_key_hex"], text


def _corpus_texts() -> list[str]:
    from bench.guard_eval import harmless_samples, secret_samples
    from bench.guard_holdout import samples

    rows = [t for t, _, _ in load_shared() + load_project()]
    rows += [t for t, _, _ in secret_samples(4) + harmless_samples(4) + samples(4)]
    return rows


def test_the_prefilter_skips_work_never_a_finding() -> None:
    """Every text of every corpus gives the same findings with the RE2 prefilter as with every rule run."""
    for text in _corpus_texts():
        assert D.find(text) == _EVERYTHING.find(text), text


_PIECES = [*"aAkK9:_-=. \n\"'/", "key", "secret", "pass", "token", ":AA", "AIza", "ghp_", "sk-", "eyJ", "0x",
           "abandon ", "zoo ", "1. ", "-p ", "https://", "@", "\\u00e9", "deadbeef", "5c504ed432cb51138bcf"]
_EVERYTHING = Detector(prefilter=False)


@given(st.lists(st.sampled_from(_PIECES), max_size=120).map("".join))
def test_the_prefilter_agrees_on_generated_text(text: str) -> None:
    assert D.find(text) == _EVERYTHING.find(text)


def test_a_turkish_phrase_typed_with_capitals_is_found() -> None:
    """str.capitalize() gives "Izgara" for "ızgara" and "Iktibas" for "iktibas": both must be looked up."""
    fill = next(f for f in range(200) if {w[0] for w in _phrase("turkish", 12, fill=f)} >= {"ı", "i"})
    words = _phrase("turkish", 12, fill=fill)
    text = " ".join(w.capitalize() for w in words)
    assert [f.kind for f in D.find(text)] == ["seed_phrase"], text
