"""What a SQLite statement costs through aiosqlite (a hop to its thread and back) and run directly on
the calling thread, in process CPU per statement: a one-row upsert (WAL, synchronous=NORMAL, as the bot
runs it) and a point read. Interleaved, 3 rounds; why storage/db.py runs single statements on the loop.

    python bench/sqlite_hop.py [--statements 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path

import aiosqlite

UPSERT = "INSERT INTO fsm(k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v"
READ = "SELECT v FROM fsm WHERE k = ?"
VALUE = '{"draft": {"venue": "xt", "name": "bench key", "perms": ["read", "trade"], "ips": ["8.8.8.8"]}}'


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=2000)
    n = parser.parse_args().statements
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hop.sqlite3"
        threaded = await aiosqlite.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "secure_delete=ON"):
            await threaded.execute(f"PRAGMA {pragma}")
        await threaded.execute("CREATE TABLE fsm(k TEXT PRIMARY KEY, v TEXT)")
        direct = sqlite3.connect(path, isolation_level=None)
        direct.execute("PRAGMA synchronous=NORMAL")
        for round_no in range(3):
            figures = {}
            cpu = time.process_time()
            for i in range(n):
                await threaded.execute_insert(UPSERT, (f"k{i % 500}", VALUE))
            figures["aiosqlite upsert"] = time.process_time() - cpu
            cpu = time.process_time()
            for i in range(n):
                direct.execute(UPSERT, (f"k{i % 500}", VALUE))
            figures["direct upsert"] = time.process_time() - cpu
            cpu = time.process_time()
            for i in range(n):
                await threaded.execute_fetchall(READ, (f"k{i % 500}",))
            figures["aiosqlite read"] = time.process_time() - cpu
            cpu = time.process_time()
            for i in range(n):
                direct.execute(READ, (f"k{i % 500}",)).fetchall()
            figures["direct read"] = time.process_time() - cpu
            print(f"round {round_no + 1}: " + ", ".join(f"{k} {v / n * 1e6:.0f} µs" for k, v in figures.items()))
        direct.close()
        await threaded.close()


if __name__ == "__main__":
    asyncio.run(main())
