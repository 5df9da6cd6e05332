"""Start-up: how long `python -m keybot` takes to its first getUpdates against the emulator, its RSS then,
and where the import time goes (`python -X importtime`, the largest top-level packages). A bare
`python -c "import aiogram.types"` is the baseline in the same run.

    python bench/startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.e2e import TOKEN, rss_mb, stop
from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app, serve


async def first_poll(tmp: str) -> tuple[float, float]:
    """Seconds from spawning the bot to its first getUpdates, and its RSS (MB) at that moment."""
    emu = Emulator(TOKEN)
    runner, port = await serve(create_app(emu))
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": f"http://127.0.0.1:{port}",
           "DATABASE_PATH": f"{tmp}/bot.sqlite3", "MASTER_KEY": base64.b64encode(bytes(32)).decode()}
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "keybot", env=env, cwd=tmp,
                                                stderr=asyncio.subprocess.DEVNULL)
    try:
        while emu.polls == 0:
            await asyncio.sleep(0.01)
        return time.perf_counter() - start, rss_mb(proc.pid, "VmRSS")
    finally:
        await stop(proc)
        await runner.cleanup()


def import_times(module: str) -> dict[str, float]:
    """Import ms of `import module`, by the top-level package whose modules spent it (self time summed)."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True,
                         text=True, check=True).stderr
    totals: dict[str, float] = defaultdict(float)
    for line in out.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if m:
            totals[m.group(2).split(".")[0]] += int(m.group(1)) / 1000
    return totals


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    polls, rss = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, mb = await first_poll(tmp)
        polls.append(seconds)
        rss.append(mb)
    bare = statistics.median(wall([sys.executable, "-c", "import aiogram.types"]) for _ in range(args.runs))
    nothing = statistics.median(wall([sys.executable, "-c", "pass"]) for _ in range(args.runs))
    print(f"python -m keybot to its first getUpdates: median {statistics.median(polls):.2f} s over {args.runs} "
          f"runs, RSS then {statistics.median(rss):.0f} MB")
    print(f"baselines: an empty interpreter {nothing:.2f} s; `import aiogram.types` {bare:.2f} s")
    totals = import_times("keybot.app")
    print(f"import time of keybot.app: {sum(totals.values()):.0f} ms; by the package that spent it (ms):")
    for name, ms in sorted(totals.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {name:24} {ms:7.0f}")


if __name__ == "__main__":
    asyncio.run(main())
