"""Which C multi-pattern matcher finds the detector's rule literals fastest: measured, not assumed.

The detector runs a rule only if the lower-cased text contains one of its literals ("aiza", ":aa",
"-----begin", …). This compares ways of answering "which literals are in this text" on ~500-character
messages, in thread CPU time (µs per message), warm:

- Python `in` for each literal (what the detector did before), and one Python `re` alternation;
- pyahocorasick 2.x (Aho–Corasick automaton; literals only; every match comes back to Python);
- hyperscan 0.9 (Intel's SIMD engine; a Python callback per match; x86-64 wheels only);
- google-re2 1.1 `re2.Set` (one DFA for all patterns; returns the pattern numbers in one call; RE2's
  linear-time guarantee; wheels for Linux x86-64 and ARM, macOS and Windows).

pyahocorasick and hyperscan are not project dependencies: `pip install pyahocorasick hyperscan` to see them.

    python bench/prefilter.py [--messages 3000]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import re2

from bench.guard import PROSE, chat_messages, load_project
from bot.guard import detector


def literals() -> list[str]:
    return sorted(h for h in detector._HINTS if not h.startswith("re:"))


def candidates(hints: list[str]) -> dict[str, Callable[[str], object] | str]:
    out: dict[str, Callable[[str], object] | str] = {}
    out["python `in` per literal"] = lambda low: {h for h in hints if h in low}
    alternation = re.compile("|".join(re.escape(h) for h in sorted(hints, key=len, reverse=True)))
    out["python re alternation"] = lambda low: set(alternation.findall(low))
    try:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for h in hints:
            automaton.add_word(h, h)
        automaton.make_automaton()
        out["pyahocorasick"] = lambda low: {h for _, h in automaton.iter(low)}
    except ImportError:
        out["pyahocorasick"] = "not installed"
    try:
        import hyperscan

        database = hyperscan.Database()
        database.compile(expressions=[re.escape(h).encode() for h in hints], ids=list(range(len(hints))),
                         flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(hints))
        scratch = hyperscan.Scratch(database)

        def scan(low: str) -> set[int]:
            found: set[int] = set()
            database.scan(low.encode(), match_event_handler=lambda i, *_: found.add(i), scratch=scratch)
            return found

        out["hyperscan"] = scan
    except ImportError:
        out["hyperscan"] = "not installed"
    rset = re2.Set.SearchSet()
    for h in hints:
        rset.Add(re2.escape(h))
    rset.Compile()
    out["re2.Set"] = rset.Match
    return out


def per_message(flag: Callable[[str], object], texts: list[str], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.thread_time()
        for text in texts:
            flag(text)
        best = min(best, time.thread_time() - start)
    return best / len(texts) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=3000)
    args = parser.parse_args()
    prose = [json.loads(line)["text"] for line in PROSE.read_text(encoding="utf-8").splitlines()]
    sets = {"Bot API prose": chat_messages([(t, False, "") for t in prose], args.messages),
            "trading chat, 40% secrets": chat_messages(load_project(), args.messages)}
    hints = literals()
    print(f"{len(hints)} literals; µs of thread CPU time per ~500-character message (best of 3 rounds)\n")
    print(f"{'matcher':28s} " + " ".join(f"{name:>26s}" for name in sets))
    for name, flag in candidates(hints).items():
        if isinstance(flag, str):
            print(f"{name:28s} {flag}")
            continue
        cells = [per_message(flag, [t.lower() for t in texts]) for texts in sets.values()]
        print(f"{name:28s} " + " ".join(f"{c:26.2f}" for c in cells))


if __name__ == "__main__":
    main()
