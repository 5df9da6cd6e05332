"""End to end through the Bot API emulator over HTTP: the unchanged bot process (`python -m keybot`)
long-polls the emulator on loopback; people's messages go in, the bot's replies come out.

Prints the throughput of a burst and the update-to-reply latency (p50 / p99) at a paced 100 updates/s.

    python bench/e2e.py [--burst 2000] [--rate 100] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.common import CHAT
from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app, serve

TOKEN = "424242:BENCH"


class TimedEmulator(Emulator):
    """Stamps when each chat gets the bot's reply."""

    def __init__(self) -> None:
        super().__init__(TOKEN)
        self.replied: dict[int, float] = {}

    async def _m_sendMessage(self, p: dict[str, Any]) -> Any:
        result = await super()._m_sendMessage(p)
        self.replied.setdefault(p["chat_id"], time.perf_counter())
        return result


async def wait_until(predicate: Any, seconds: float) -> bool:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.005)
    return predicate()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()

    emu = TimedEmulator()
    total_users = args.burst + int(args.rate * args.seconds) + 10
    for uid in range(1, total_users + 1):
        emu.add_user(uid, f"U{uid}")
    runner, port = await serve(create_app(emu))

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": f"http://127.0.0.1:{port}",
               "DATABASE_PATH": f"{tmp}/bot.sqlite3", "MASTER_KEY": base64.b64encode(bytes(32)).decode(),
               "LOG_LEVEL": "WARNING"}
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "keybot", env=env, cwd=tmp)
        try:
            await wait_until(lambda: emu.polls > 0, 60)
            # Warm-up: a few users, not measured.
            for uid in range(total_users - 9, total_users + 1):
                await emu.user_send(uid, uid, "/start")
            await wait_until(lambda: len(emu.replied) >= 10, 30)

            # 1. Burst: every update at once; time until every reply is in.
            burst_users = range(1, args.burst + 1)
            start = time.perf_counter()
            sent_at = {}
            for uid in burst_users:
                sent_at[uid] = time.perf_counter()
                await emu.user_send(uid, uid, "/start" if uid % 3 == 0 else CHAT[uid % len(CHAT)])
            ok = await wait_until(lambda: all(u in emu.replied for u in burst_users), 300)
            elapsed = max(emu.replied[u] for u in burst_users if u in emu.replied) - start
            burst_rate = args.burst / elapsed

            # 2. Paced: `rate` updates per second, each from a new user; latency from send to reply.
            paced = range(args.burst + 1, args.burst + 1 + int(args.rate * args.seconds))
            t0 = time.perf_counter()
            for i, uid in enumerate(paced):
                delay = t0 + i / args.rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                sent_at[uid] = time.perf_counter()
                await emu.user_send(uid, uid, "/start" if uid % 3 == 0 else CHAT[uid % len(CHAT)])
            paced_ok = await wait_until(lambda: all(u in emu.replied for u in paced), 120)
            latencies = sorted((emu.replied[u] - sent_at[u]) * 1000 for u in paced if u in emu.replied)
        finally:
            proc.send_signal(signal.SIGTERM)
            await proc.wait()
            await runner.cleanup()

    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"burst: {args.burst} updates ({args.burst // 3} /start, the rest chat messages), "
          f"{'all' if ok else 'NOT all'} answered: {burst_rate:.0f} updates/s")
    print(f"paced: {len(latencies)} of {len(paced)} answered at {args.rate:.0f} updates/s for {args.seconds:.0f} s "
          f"{'' if paced_ok else '(some missing) '}— latency update→reply p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
          f"max {latencies[-1]:.1f} ms")
    print(f"rule violations recorded by the emulator: {len(emu.violations)}")


if __name__ == "__main__":
    asyncio.run(main())
