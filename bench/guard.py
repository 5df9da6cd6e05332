"""Secret detection quality and speed: this detector vs detect-secrets 1.5.0 on the same inputs.

Quality on the shared corpora (detect-secrets' and Nosey Parker's test cases, vendored in
tests/data/secret-corpora) and on the project's own trading-chat corpus (tests/data/guard_corpus.jsonl).
Speed on chat-sized messages: MB/s and p99 time per ~500-character message.

    python bench/guard.py [--speed-messages 3000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.guard.detector import Detector

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def load_shared() -> list[tuple[str, bool, str]]:
    rows = []
    for line in (DATA / "secret-corpora" / "detect-secrets-cases.jsonl").read_text().splitlines():
        r = json.loads(line)
        rows.append((r["text"], bool(r["should_flag"]), f"detect-secrets/{r['file']}"))
    for line in (DATA / "secret-corpora" / "noseyparker-examples.jsonl").read_text().splitlines():
        r = json.loads(line)
        rows.append((r["text"], r["kind"] == "tp", f"noseyparker/{r['rule_id']}"))
    return rows


def load_project() -> list[tuple[str, bool, str]]:
    rows = []
    for line in (DATA / "guard_corpus.jsonl").read_text().splitlines():
        r = json.loads(line)
        rows.append((r["text"], bool(r["secret"]), r["category"]))
    return rows


def detect_secrets_flagger() -> Callable[[str], bool]:
    """detect-secrets 1.5.0 with its default plugins and filters, as `detect-secrets scan` runs them on a
    file (its ad-hoc `scan_line()` turns the entropy limits off and flags almost any long token)."""
    from detect_secrets.core.scan import _process_line_based_plugins
    from detect_secrets.settings import default_settings

    settings = default_settings()
    settings.__enter__()

    def flag(text: str, _keep: object = settings) -> bool:  # _keep: its exit would reset the plugins
        lines = list(enumerate(text.splitlines() or [text], start=1))
        return any(True for _ in _process_line_based_plugins(lines, filename="message.txt"))

    return flag


def score(rows: list[tuple[str, bool, str]], flag: Callable[[str], bool]) -> tuple[float, float, list[str], list[str]]:
    positives = [r for r in rows if r[1]]
    negatives = [r for r in rows if not r[1]]
    missed = [f"{c}: {t[:90]!r}" for t, s, c in positives if not flag(t)]
    false_alarms = [f"{c}: {t[:90]!r}" for t, s, c in negatives if flag(t)]
    recall = 1 - len(missed) / len(positives) if positives else 1.0
    fa_rate = len(false_alarms) / len(negatives) if negatives else 0.0
    return recall, fa_rate, missed, false_alarms


def chat_messages(rows: list[tuple[str, bool, str]], count: int) -> list[str]:
    """~500-character messages built from the project corpus (both kinds), cycling."""
    texts = [t for t, _, _ in rows]
    out: list[str] = []
    i = 0
    while len(out) < count:
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < 480:
            parts.append(texts[i % len(texts)])
            i += 1
        out.append(" ".join(parts)[:520])
    return out


def speed(messages: list[str], flag: Callable[[str], bool]) -> tuple[float, float, float]:
    times = []
    for m in messages:
        t0 = time.perf_counter()
        flag(m)
        times.append(time.perf_counter() - t0)
    total_bytes = sum(len(m.encode()) for m in messages)
    times.sort()
    return total_bytes / sum(times) / 1e6, times[int(len(times) * 0.99)] * 1e6, statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--speed-messages", type=int, default=3000)
    parser.add_argument("--show", type=int, default=0, help="print this many misses and false alarms")
    args = parser.parse_args()
    detector = Detector()
    ours = detector.is_secret
    theirs = detect_secrets_flagger()
    shared, project = load_shared(), load_project()
    venue_wallet = [r for r in project if not r[1] or r[2].startswith(("venue", "wallet"))]

    print(f"{'corpus':44s} {'detector':16s} {'recall':>7s} {'false alarms':>13s}")
    for name, rows in (("shared (detect-secrets + Nosey Parker)", shared), ("project trading chat", project),
                       ("project: venue and wallet secrets only", venue_wallet)):
        for label, flag in (("this bot", ours), ("detect-secrets", theirs)):
            recall, fa, missed, alarms = score(rows, flag)
            pos, neg = sum(r[1] for r in rows), sum(not r[1] for r in rows)
            print(f"{name:44s} {label:16s} {recall:7.3f} {fa:8.3f} ({len(alarms)}/{neg})   [{pos} positive]")
            if args.show and label == "this bot":
                for line in missed[:args.show]:
                    print("   MISS", line)
                for line in alarms[:args.show]:
                    print("   FALSE", line)

    harmless = [r for r in project if not r[1]]
    for title, source in (("the project corpus (40% carry secrets)", project), ("harmless chat only", harmless)):
        messages = chat_messages(source, args.speed_messages)
        print(f"\nspeed on {len(messages)} messages of ~500 characters from {title}:")
        results = {}
        for label, flag in (("this bot", ours), ("detect-secrets", theirs)):
            flag(messages[0])
            mbs, p99, p50 = speed(messages, flag)
            results[label] = mbs
            print(f"  {label:16s} {mbs:7.2f} MB/s   p50 {p50:7.1f} µs   p99 {p99:7.1f} µs per message")
        print(f"  speed ratio (this bot / detect-secrets): {results['this bot'] / results['detect-secrets']:.1f}x")


if __name__ == "__main__":
    main()
