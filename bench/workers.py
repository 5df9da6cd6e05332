"""Memory of `python -m keybot webhook --workers N`: per process RSS, PSS (shared pages divided among
the processes that share them) and private memory from /proc/<pid>/smaps_rollup (for --workers, the
supervising parent first), after a short mix of private updates through the workers, compared with N
separately started single-worker processes (no sharing) in the same run. Needs Debian's postgresql and
redis-server (the tests' helpers start them in a temp folder).

    python bench/workers.py [--workers 2] [--updates 200]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import signal
import socket
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app, serve
from tests.pg_server import running_server
from tests.redis_server import running_redis

TOKEN = "4242:WORKERS"


def rollup(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return {"rss": fields["Rss"], "pss": fields["Pss"],
            "private": fields["Private_Clean"] + fields["Private_Dirty"]}


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().split(") ", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError):
                continue
    return sorted(found)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def run(workers: int, separate: bool, updates: int, db_url: str, redis_url: str) -> list[dict[str, float]]:
    emu = Emulator(TOKEN)
    runner, port = await serve(create_app(emu))
    tmp = tempfile.mkdtemp()
    hook_port = free_port()
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": f"http://127.0.0.1:{port}",
           "MASTER_KEY": base64.b64encode(bytes(32)).decode(), "DATABASE_URL": db_url, "REDIS_URL": redis_url,
           "WEBHOOK_HOST": "127.0.0.1", "WEBHOOK_PORT": str(hook_port), "LOG_LEVEL": "WARNING",
           "WEBHOOK_URL": f"http://127.0.0.1:{hook_port}/telegram"}
    commands = ([["webhook"] for _ in range(workers)] if separate else [["webhook", "--workers", str(workers)]])
    procs = [await asyncio.create_subprocess_exec(sys.executable, "-m", "keybot", *args, env=env, cwd=tmp,
                                                  stderr=asyncio.subprocess.DEVNULL) for args in commands]
    try:
        while emu.webhook is None:
            await asyncio.sleep(0.05)
        await asyncio.sleep(2)  # every worker listening
        for n in range(updates):
            user = 10_000 + n
            emu.add_user(user, f"U{user}")
            await emu.user_send(user, user, "/start" if n % 2 else "/add")
        while emu.queued():
            await emu.wait_change(emu.version, 1)
        # Forked: the supervising parent too (it holds the same imported pages).
        pids = [p.pid for p in procs] if separate else [procs[0].pid, *children(procs[0].pid)]
        return [rollup(pid) for pid in pids]
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            await asyncio.wait_for(proc.wait(), 60)
        await emu.close()
        await runner.cleanup()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--updates", type=int, default=200)
    args = parser.parse_args()
    with running_server() as pg, running_redis() as redis:
        if pg is None or redis is None:
            raise SystemExit("needs Debian's postgresql and redis-server")
        for label, separate in (("--workers (forked after import, gc.freeze)", False),
                                ("separate processes", True)):
            stats = await run(args.workers, separate, args.updates, pg.new_database(), redis.url)
            total_pss = sum(s["pss"] for s in stats)
            print(f"{label:45} " + "  ".join(
                f"RSS {s['rss']:.0f} / PSS {s['pss']:.0f} / private {s['private']:.0f} MB" for s in stats)
                + f"   total PSS {total_pss:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
