"""End to end through the Bot API emulator over HTTP: the unchanged bot process (`python -m keybot`, at the
production log level INFO) long-polls the emulator on loopback; people's updates go in, replies come out.

Phases, each timed and charged with the bot process's CPU (utime + stime from /proc):
1. cold: every user's first /start;
2. warm mix: the same users again — a third chat privately, a third press a menu button, a third talk
   in a group the bot guards;
3. group flood: clean group messages only (the fast path), as a bot admin in busy groups sees;
4. paced: `rate` updates per second of the warm mix; latency from update to reply (private ones).
Peak RSS (VmHWM) at the end. `--flood-memory N` instead queues N updates before the bot starts and
reports its peak RSS with MAX_CONCURRENT_UPDATES as set and with no cap; `--prequeued-groups N` queues N
clean group messages before the start and reports the bot's own rate.

    python bench/e2e.py [--users 1500] [--flood 6000] [--rate 100] [--seconds 10] [--flood-memory 30000]
                        [--prequeued-groups 30000]
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
from handlers.callbacks import MenuCb

TOKEN = "424242:BENCH"
GROUP = -100500
TICK = os.sysconf("SC_CLK_TCK")


class TimedEmulator(Emulator):
    """Stamps when each chat gets the bot's reply."""

    def __init__(self) -> None:
        super().__init__(TOKEN)
        self.replied: dict[int, float] = {}

    async def _m_sendMessage(self, p: dict[str, Any]) -> Any:
        result = await super()._m_sendMessage(p)
        self.replied[p["chat_id"]] = time.perf_counter()
        return result


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def rss_mb(pid: int, field: str = "VmHWM") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


async def settled(emu: Emulator, pid: int, timeout: float = 300) -> bool:
    """Every queued update fetched and the bot's CPU still for 0.3 s: the work is done."""
    deadline = time.perf_counter() + timeout
    last, still = cpu_seconds(pid), 0
    while time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
        now = cpu_seconds(pid)
        still = still + 1 if now == last and not emu.pending_updates else 0
        last = now
        if still >= 3:
            return True
    return False


async def start_bot(emu: Emulator, tmp: str, port: int, **extra: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": f"http://127.0.0.1:{port}",
           "DATABASE_PATH": f"{tmp}/bot.sqlite3", "MASTER_KEY": base64.b64encode(bytes(32)).decode(),
           "LOG_LEVEL": "INFO", **extra}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "keybot", env=env, cwd=tmp,
                                                stderr=asyncio.subprocess.DEVNULL)
    polls = emu.polls
    while emu.polls == polls:
        await asyncio.sleep(0.05)
    return proc


async def stop(proc: asyncio.subprocess.Process) -> None:
    proc.send_signal(signal.SIGTERM)
    await proc.wait()


def new_emulator(users: int) -> TimedEmulator:
    emu = TimedEmulator()
    emu.add_group(GROUP, "Desk")
    emu.set_member(GROUP, emu.bot.id, "administrator", can_delete_messages=True)
    for uid in range(1, users + 1):
        emu.add_user(uid, f"U{uid}")
        emu.set_member(GROUP, uid, "member")
    return emu


async def warm_update(emu: TimedEmulator, uid: int, n: int, group: int = GROUP) -> None:
    kind = n % 3
    if kind == 0:
        await emu.user_send(uid, uid, CHAT[n % len(CHAT)])
    elif kind == 1:
        menu = next(m for m in reversed(emu.messages[uid]) if m.keyboard)
        await emu.user_press(uid, uid, menu.message_id, MenuCb(action="home").pack(), forged=True)
    else:
        await emu.user_send(uid, group, CHAT[n % len(CHAT)])


async def phase(emu: TimedEmulator, pid: int, count: int, send: Any) -> tuple[float, float, bool]:
    """(updates/s, CPU µs per update, settled) for `count` updates sent at once."""
    cpu0, t0 = cpu_seconds(pid), time.perf_counter()
    for n in range(count):
        await send(n)
    done = await settled(emu, pid)
    elapsed = time.perf_counter() - t0 - 0.3  # settled() waits 0.3 s of stillness after the work
    return count / elapsed, (cpu_seconds(pid) - cpu0) / count * 1e6, done


async def throughput(args: argparse.Namespace) -> None:
    emu = new_emulator(args.users)
    runner, port = await serve(create_app(emu))
    users = range(1, args.users + 1)
    with tempfile.TemporaryDirectory() as tmp:
        proc = await start_bot(emu, tmp, port)
        try:
            base_rss = rss_mb(proc.pid, "VmRSS")
            cold = await phase(emu, proc.pid, args.users, lambda n: emu.user_send(users[n], users[n], "/start"))
            warm = await phase(emu, proc.pid, args.users, lambda n: warm_update(emu, users[n], n))
            flood = await phase(emu, proc.pid, args.flood,
                                lambda n: emu.user_send(users[n % args.users], GROUP, CHAT[n % len(CHAT)]))
            sent_at: dict[int, float] = {}
            t0 = time.perf_counter()
            paced = [users[n % args.users] for n in range(int(args.rate * args.seconds))]
            for i, uid in enumerate(paced):
                delay = t0 + i / args.rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                if i % 3 == 0:  # the private chat third: the others have no reply to time
                    emu.replied.pop(uid, None)
                    sent_at[uid] = time.perf_counter()
                await warm_update(emu, uid, i)
            await settled(emu, proc.pid)
            latencies = sorted((emu.replied[u] - s) * 1000 for u, s in sent_at.items() if u in emu.replied)
            peak = rss_mb(proc.pid)
        finally:
            await stop(proc)
            await runner.cleanup()
    print(f"bot process at LOG_LEVEL=INFO, {args.users} users; RSS {base_rss:.0f} MB idle, peak {peak:.0f} MB")
    for name, (rate, cpu, done) in (("cold /start", cold), ("warm mix (chat, press, group)", warm),
                                    ("group flood (clean messages)", flood)):
        print(f"{name:32} {rate:7.0f} updates/s  {cpu:6.0f} µs CPU/update{'' if done else '  (NOT settled)'}")
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"paced {args.rate:.0f} updates/s for {args.seconds:.0f} s: private replies {len(latencies)} of "
          f"{len(sent_at)}, latency p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(f"rule violations recorded by the emulator: {len(emu.violations)}")


async def flood_memory(args: argparse.Namespace) -> None:
    """Peak RSS when `n` updates wait at Telegram before the bot starts, with and without the cap."""
    for label, cap in (("MAX_CONCURRENT_UPDATES=200 (default)", "200"), ("no cap (1,000,000)", "1000000")):
        emu = new_emulator(1000)
        runner, port = await serve(create_app(emu))
        for n in range(args.flood_memory):
            uid = n % 1000 + 1
            await (emu.user_send(uid, GROUP, CHAT[n % len(CHAT)]) if n % 2 else
                   emu.user_send(uid, uid, CHAT[n % len(CHAT)]))
        with tempfile.TemporaryDirectory() as tmp:
            proc = await start_bot(emu, tmp, port, MAX_CONCURRENT_UPDATES=cap)
            try:
                t0 = time.perf_counter()
                done = await settled(emu, proc.pid, timeout=600)
                elapsed = time.perf_counter() - t0
                peak = rss_mb(proc.pid)
            finally:
                await stop(proc)
                await runner.cleanup()
        print(f"{args.flood_memory} queued updates, {label}: peak RSS {peak:.0f} MB, "
              f"{'done' if done else 'NOT done'} in {elapsed:.1f} s")


async def prequeued_groups(args: argparse.Namespace) -> None:
    """Clean group messages waiting at Telegram before the bot starts: the bot's own rate, with the
    emulator only answering getUpdates (sending them through the emulator as they happen would make the
    emulator, on the same 2 cores, the bottleneck)."""
    emu = new_emulator(1000)
    runner, port = await serve(create_app(emu))
    for n in range(args.prequeued_groups):
        await emu.user_send(n % 1000 + 1, GROUP, CHAT[n % len(CHAT)])
    with tempfile.TemporaryDirectory() as tmp:
        proc = await start_bot(emu, tmp, port)
        try:
            cpu0, t0 = cpu_seconds(proc.pid), time.perf_counter()
            done = await settled(emu, proc.pid, timeout=600)
            elapsed = time.perf_counter() - t0 - 0.3
            cpu = cpu_seconds(proc.pid) - cpu0
        finally:
            await stop(proc)
            await runner.cleanup()
    n = args.prequeued_groups
    print(f"{n} clean group messages queued before the start: {n / elapsed:.0f} updates/s, "
          f"{cpu / n * 1e6:.0f} µs bot CPU each ({n / cpu:.0f} per CPU-second){'' if done else ' (NOT settled)'}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=1500)
    parser.add_argument("--flood", type=int, default=6000)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--flood-memory", type=int, default=0)
    parser.add_argument("--prequeued-groups", type=int, default=0)
    args = parser.parse_args()
    if args.prequeued_groups:
        await prequeued_groups(args)
    else:
        await (flood_memory(args) if args.flood_memory else throughput(args))


if __name__ == "__main__":
    asyncio.run(main())
