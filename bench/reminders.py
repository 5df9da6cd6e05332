"""Reminders at scale.

1. Scan: 1,000,000 keys over 100,000 users in SQLite with their planned reminder rows; the time of one
   due-scan tick (the query the scheduler runs every second) and the process memory.
2. Storm: N due reminders (default 10,000) delivered by the unchanged bot process through the Bot API
   emulator with strict rate limits; delivery rate, 429s, duplicates. Then the same with the bot
   killed with SIGKILL mid-storm and restarted: lost and duplicated messages.

    python bench/reminders.py [--keys 1000000] [--users 100000] [--storm 10000] [--kill-after 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import resource
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.common import Storm, delivered
from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app, serve
from storage.db import Database
from storage.reminders import ReminderRepo

DAY = 86400
TOKEN = "777888:REMINDER-BENCH"


async def migrate(path: Path) -> None:
    db = Database(path)
    await db.open()
    await db.close()


def fill(path: Path, keys: int, users: int, now: int, due_fraction: float, seed: int = 3) -> int:
    """Users, keys and their planned reminder rows, written straight with sqlite3. Returns rows due now."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    with conn:
        conn.executemany("INSERT INTO users(id, language, created_at) VALUES (?, 'en', ?)",
                         ((u, now - 400 * DAY) for u in range(1, users + 1)))
    due_now = 0
    batch: list[tuple[int, int, str, int, int]] = []
    key_rows = []
    for k in range(1, keys + 1):
        owner = rng.randint(1, users)
        created = now - rng.randint(0, 365) * DAY
        expires = created + rng.choice([30, 90, 182, 365]) * DAY if rng.random() < 0.4 else None
        key_rows.append((k, owner, "xt", "mainnet", f"key {k}", "[\"query\"]", None, "[\"8.8.8.8\"]",
                         "venue" if expires else "none", expires, "active", created, created))
        is_due = rng.random() < due_fraction
        unused_due = now - rng.randint(1, 3600) if is_due else created + 30 * DAY + rng.randint(1, 300) * DAY
        due_now += is_due
        batch.append((owner, k, "unused", unused_due, unused_due))
        batch.append((owner, k, "rotation", created + 90 * DAY, created + 90 * DAY))
        if expires:
            for kind, before in (("expiring_30", 30), ("expiring_7", 7), ("expiring_1", 1), ("expired", 0)):
                if expires - before * DAY > now:
                    batch.append((owner, k, kind, expires - before * DAY, expires - before * DAY))
        if len(key_rows) >= 50_000:
            _flush(conn, key_rows, batch)
    _flush(conn, key_rows, batch)
    conn.execute("ANALYZE")
    conn.close()
    return due_now


def _flush(conn: sqlite3.Connection, key_rows: list[tuple[object, ...]],
           rows: list[tuple[int, int, str, int, int]]) -> None:
    with conn:
        conn.executemany(
            "INSERT INTO keys(id, owner_id, venue, environment, name, permissions, read_only, ip_allowlist, "
            "expiry_kind, expires_at, status, created_at, activated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            key_rows)
        conn.executemany("INSERT OR IGNORE INTO reminders(owner_id, key_id, kind, due_at, send_after) "
                         "VALUES (?,?,?,?,?)", rows)
    key_rows.clear()
    rows.clear()


async def scan(args: argparse.Namespace) -> None:
    now = int(time.time())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scale.sqlite3"
        await migrate(path)
        t0 = time.perf_counter()
        due_now = fill(path, args.keys, args.users, now, args.due_fraction)
        built = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
        db = Database(path)
        await db.open()
        repo = ReminderRepo(db)
        total = (await db.fetchone("SELECT COUNT(*) FROM reminders"))[0]  # type: ignore[index]
        plan = await db.fetchall(
            "EXPLAIN QUERY PLAN SELECT id FROM reminders WHERE state IN ('due', 'sending') AND send_after <= ? "
            "ORDER BY send_after LIMIT 60", (now,))
        times = []
        for _ in range(50):
            t = time.perf_counter()
            rows = await repo.due(now, 60)
            times.append((time.perf_counter() - t) * 1000)
        quiet = []
        for _ in range(50):  # a tick when nothing is due
            t = time.perf_counter()
            await repo.due(now - 400 * DAY, 60)
            quiet.append((time.perf_counter() - t) * 1000)
        await db.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scan: {args.keys:,} keys over {args.users:,} users, {total:,} reminder rows ({due_now:,} due now), "
          f"database {size:.0f} MB, built in {built:.0f} s")
    print(f"  query plan: {' / '.join(str(r[3]) for r in plan)}")
    print(f"  due-scan tick (60 due rows): p50 {statistics.median(times):.2f} ms, max {max(times):.2f} ms "
          f"(target <= 50 ms); nothing due: p50 {statistics.median(quiet):.2f} ms")
    print(f"  returned {len(rows)} rows; process peak memory {rss:.0f} MB")


async def storm(args: argparse.Namespace, kill_after: int | None) -> None:
    now = int(time.time())
    emu = Emulator(TOKEN, strict=True)
    for uid in range(1, args.storm + 1):
        emu.add_user(uid, f"U{uid}")
    runner, port = await serve(create_app(emu))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "storm.sqlite3"
        await migrate(path)
        conn = sqlite3.connect(path)
        with conn:
            conn.executemany("INSERT INTO users(id, language, created_at) VALUES (?, 'en', ?)",
                             ((u, now - 60 * DAY) for u in range(1, args.storm + 1)))
            created = now - 31 * DAY
            conn.executemany(
                "INSERT INTO keys(id, owner_id, venue, environment, name, permissions, read_only, ip_allowlist, "
                "expiry_kind, expires_at, status, created_at, activated_at) "
                "VALUES (?, ?, 'xt', 'mainnet', 'Grid bot', '[\"query\"]', NULL, '[\"8.8.8.8\"]', 'none', NULL, "
                "'active', ?, ?)", ((u, u, created, created) for u in range(1, args.storm + 1)))
            conn.executemany("INSERT INTO reminders(owner_id, key_id, kind, due_at, send_after) VALUES (?, ?, "
                             "'unused', ?, ?)", ((u, u, created + 30 * DAY, created + 30 * DAY)
                                                  for u in range(1, args.storm + 1)))
        conn.close()
        env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": f"http://127.0.0.1:{port}",
               "DATABASE_PATH": str(path), "MASTER_KEY": base64.b64encode(bytes(32)).decode(), "LOG_LEVEL": "WARNING"}

        start = time.perf_counter()
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "keybot", env=env, cwd=tmp)
        killed_at = None
        first = None
        if kill_after is not None:
            while len(delivered(emu)) < kill_after:
                if first is None and delivered(emu):
                    first = time.perf_counter()
                await asyncio.sleep(0.05)
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
            killed_at = len(delivered(emu))
            proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "keybot", env=env, cwd=tmp)
        deadline = time.perf_counter() + args.storm / 10 + 120
        while len(set(delivered(emu))) < args.storm and time.perf_counter() < deadline:
            if first is None and delivered(emu):
                first = time.perf_counter()
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
        sending = time.perf_counter() - (first or start)
        await asyncio.sleep(2)  # anything late would show as a duplicate
        proc.send_signal(signal.SIGTERM)
        await proc.wait()
    await runner.cleanup()
    storm = Storm.tally(emu, args.storm)
    label = "storm" if kill_after is None else f"storm with SIGKILL after {killed_at} messages and a restart"
    print(f"{label}: {storm.chats:,} of {args.storm:,} delivered in {elapsed:.1f} s including start-up; "
          f"{storm.chats / sending:.1f} messages/s once sending (limit 30/s); 429s received: {storm.too_many}; "
          f"duplicates: {storm.duplicates}; lost: {storm.lost}; rule violations: {storm.violations}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--due-fraction", type=float, default=0.01)
    parser.add_argument("--storm", type=int, default=10_000)
    parser.add_argument("--kill-after", type=int, default=3_000)
    parser.add_argument("--skip-scan", action="store_true")
    parser.add_argument("--skip-storm", action="store_true")
    args = parser.parse_args()
    if not args.skip_scan:
        await scan(args)
    if not args.skip_storm:
        await storm(args, None)
        await storm(args, args.kill_after)


if __name__ == "__main__":
    asyncio.run(main())
