"""Every rule runs in time linear in its input. Adversarial texts (long runs of one class, repeated
keywords, `=`/`:` storms, unterminated blocks) are timed against harmless chat of the same length in the
same process: no absolute timings, only ratios, each the best of several runs, in CPU time of this thread
(so a busy machine, which delays the thread, does not change the figures)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from bot.guard.detector import Detector

DETECTOR = Detector()
SMALL, SIZE = 16_384, 65_536
BUDGET = 15  # × harmless text of the same length (the quadratic cases this catches were 80–1000×)
GROWTH = 8  # 16 KB → 64 KB; linear is 4, quadratic 16

FRAGMENTS = [
    "a", "key", "key=", "key ", "api_key=", "secret ", "secret=", "password ", "password is ", "passwd: ",
    "-----BEGIN PRIVATE KEY-----\n", "-----BEGIN ", "PuTTY-User-Key-File-2: ", "Private-Lines: 1 ", "x://a:",
    "a:b@", "=", ": ", "==", "0123456789abcdef", "Ab1Ab1Ab1Ab1Ab1Ab1 ", "abcdefghijklmnop.", "bearer ", "basic ",
    " -p ", "-u a:", "abandon ", "1. abandon ", "-", "a/", "LS0tLS1CRUdJTi", "sk-", "eyJ", "eyJhbGciOi.",
    "3976eb88-76d0-4f6e-a6b2-a57980770085 ", "secret 3976eb88-76d0-4f6e-a6b2-a57980770085 ", "$2a$", "xprv",
    "ghp_", "AKIA", "0x", "seed: ", "мой ключ ", "приватник ", "\n", "\"", "'", "`", "{", "[", "\\", "%",
    "backup codes\n", "1234-5678\n", "12, ", "[1, ", 'Account.from_key("', "https://mainnet.infura.io/v3/",
    "aZ3_kQ9-", "A1b2C3d4E5f6G7h8I9\n", "密码是 ", "Passwort ist ", "的 ", "abandon\u3000",
    # Families added for the second evaluation set: CSV exports, authenticator keys, escaped JSON,
    # Turkish capitals, "|"-separated words, more password words.
    "exchange,api_key,api_secret\n", "kucoin,0dd70b52fd907445a84f32aa,a039f6c1a7014be0\n", "otp ", "2fa key: ",
    "ABCD 2345 ", "\\u00e9", "\\u878d ", "Izgara ", "Işlem ", "abandon|", "hasło: ", "mật khẩu: ", "pass ",
    "1) abandon ", "7. zoo   ", "81b42bbd-f644a7c3-9c86c77e-5bb1a\n",
]


def _best(text: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.thread_time()
        DETECTOR.find(text)
        times.append(time.thread_time() - start)
    return min(times)


def _fill(pattern: str, size: int) -> str:
    return (pattern * (size // len(pattern) + 1))[:size]


@pytest.fixture(scope="module")
def harmless() -> dict[int, float]:
    corpus = Path(__file__).parent / "data" / "guard_corpus.jsonl"
    chat = " ".join(json.loads(line)["text"] for line in corpus.open() if not json.loads(line)["secret"])
    DETECTOR.find(chat)  # warm caches (wordlists)
    return {size: _best(_fill(chat, size), 7) for size in (SMALL, SIZE)}


@pytest.mark.parametrize("pattern", FRAGMENTS)
def test_repeated_fragment_stays_linear(pattern: str, harmless: dict[int, float]) -> None:
    small, large = _best(_fill(pattern, SMALL)), _best(_fill(pattern, SIZE))
    assert large <= BUDGET * harmless[SIZE], f"{pattern!r}: {large / harmless[SIZE]:.1f}× harmless"
    assert large <= GROWTH * max(small, harmless[SMALL]), f"{pattern!r}: grows {large / small:.1f}× for 4× input"


@pytest.mark.parametrize("seed", range(30))
def test_random_mixes_stay_linear(seed: int, harmless: dict[int, float]) -> None:
    rng = random.Random(seed)
    parts = rng.sample(FRAGMENTS, 3)
    unit = "".join(p * rng.randint(1, 8) for p in parts)
    large = _best(_fill(unit, SIZE))
    assert large <= BUDGET * harmless[SIZE], f"{parts!r}: {large / harmless[SIZE]:.1f}× harmless"
