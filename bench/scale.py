"""Scale-out, end to end: the unchanged bot processes (`python -m keybot webhook [--workers N]`, at the
production log level INFO) behind the Bot API emulator's webhook, over HTTP on loopback.

1. Mix: the same people and the same updates for each configuration — the embedded default (SQLite,
   one process, long polling), SQLite over webhook (one process), and 1, 2 and 4 webhook workers on
   PostgreSQL + Redis (both real servers started here, PostgreSQL with fsync on and commits not waited
   for, as SQLite's WAL with synchronous=NORMAL). Per configuration: every user's /start (cold), then a
   warm mix sent at once (a third chat privately, a third press a menu button, a third talk in one of
   the guarded groups) — updates/s until the last is answered, and the CPU each part spent per update
   (bot processes, PostgreSQL, Redis, the emulator in this process); then a paced load, latency from
   an update to the bot's reply (private chats), p50 and p99.
2. Storm: N reminders due at once (default 10,000, one per user) with 2 workers on PostgreSQL + Redis,
   the emulator enforcing Telegram's limits (30 messages/s overall, 1/s per chat, 429 otherwise):
   delivery rate, 429s, duplicates, lost. Then a smaller storm in which one worker is SIGKILLed
   mid-storm (the parent starts it again; the dead worker's claimed reminders wait out their lease).

    python bench/scale.py [--users 600] [--rate 60] [--seconds 10] [--workers 1,2,4]
                          [--storm 10000] [--kill-storm 3000] [--skip-mix] [--skip-storm]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import e2e
from bench.common import Storm, delivered
from bench.e2e import TOKEN, TimedEmulator
from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app, serve
from tests.pg_server import PostgresServer, running_server
from tests.redis_server import RedisServer, running_redis

GROUPS = [-100600 - g for g in range(20)]  # updates of one chat go one at a time: spread the group talk
TICK = os.sysconf("SC_CLK_TCK")
DAY = 86400
MASTER = base64.b64encode(bytes(32)).decode()


# --- CPU by process tree (/proc) -----------------------------------------------------------------------

def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def cpu(pid: int | None) -> float:
    """CPU seconds of a process, its live descendants and the descendants it has reaped."""
    if pid is None:
        return 0.0
    total = 0.0
    for p in tree(pid):
        with contextlib.suppress(OSError):
            fields = _stat(p)
            total += int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if p == pid else 0)
    return total / TICK


def self_cpu() -> float:
    t = os.times()
    return t.user + t.system


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the bot under test --------------------------------------------------------------------------------

@dataclass
class Servers:
    pg: PostgresServer | None
    redis: RedisServer | None

    def pg_pid(self) -> int | None:
        return int((self.pg.data / "postmaster.pid").read_text().split()[0]) if self.pg else None

    def redis_pid(self) -> int | None:
        return self.redis._proc.pid if self.redis else None

    def flush_redis(self) -> None:
        import redis

        assert self.redis is not None
        client = redis.Redis.from_url(self.redis.url)
        client.flushall()
        client.close()


@dataclass
class Config:
    name: str
    workers: int  # 0: the embedded default, long polling
    scale_out: bool


@dataclass
class Bot:
    proc: asyncio.subprocess.Process
    serving: int = 0  # workers that said they serve
    lines: list[str] = field(default_factory=list)


async def start_bot(emu: Emulator, api_port: int, config: Config, servers: Servers, tmp: str,
                    **extra: str) -> Bot:
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": f"http://127.0.0.1:{api_port}",
           "DATABASE_PATH": f"{tmp}/bot.sqlite3", "MASTER_KEY": MASTER, "LOG_LEVEL": "INFO", **extra}
    args = ["-m", "keybot"]
    if config.workers:
        port = free_port()
        env.update(WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram", WEBHOOK_HOST="127.0.0.1",
                   WEBHOOK_PORT=str(port), WEBHOOK_MAX_CONNECTIONS="100")
        args += ["webhook"] + (["--workers", str(config.workers)] if config.workers > 1 else [])
    if config.scale_out:
        assert servers.pg is not None
        assert servers.redis is not None
        servers.flush_redis()
        env.update(DATABASE_URL=servers.pg.new_database(), REDIS_URL=servers.redis.url)
    proc = await asyncio.create_subprocess_exec(sys.executable, *args, env=env, cwd=tmp,
                                                stderr=asyncio.subprocess.PIPE)
    bot = Bot(proc)

    async def drain() -> None:  # the log must be read, or a full pipe would stop the bot
        assert proc.stderr is not None
        async for raw in proc.stderr:
            line = raw.decode(errors="replace")
            if "serving webhook updates" in line:
                bot.serving += 1
            if "ERROR" in line or "Traceback" in line:
                bot.lines.append(line.rstrip())

    bot.drain = asyncio.create_task(drain())  # type: ignore[attr-defined]
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline:
        if (bot.serving >= max(1, config.workers) and emu.webhook is not None) if config.workers \
                else emu.polls > 0:
            return bot
        if proc.returncode is not None:
            break
        await asyncio.sleep(0.05)
    await stop_bot(bot)
    raise RuntimeError(f"{config.name}: the bot did not start ({bot.lines[-3:]})")


async def stop_bot(bot: Bot) -> None:
    if bot.proc.returncode is None:
        bot.proc.send_signal(signal.SIGTERM)
    await bot.proc.wait()
    await bot.drain  # type: ignore[attr-defined]


# --- 1. the mix ----------------------------------------------------------------------------------------

def people(users: int) -> TimedEmulator:
    emu = TimedEmulator()
    for n, group in enumerate(GROUPS):
        emu.add_group(group, f"Desk {n}")
        emu.set_member(group, emu.bot.id, "administrator", can_delete_messages=True)
    for uid in range(1, users + 1):
        emu.add_user(uid, f"U{uid}")
        emu.set_member(GROUPS[uid % len(GROUPS)], uid, "member")
    return emu


async def warm_update(emu: TimedEmulator, uid: int, n: int) -> None:
    await e2e.warm_update(emu, uid, n, GROUPS[uid % len(GROUPS)])


async def answered(emu: Emulator, bot_pid: int | None = None, timeout: float = 600) -> float:
    """Waits until every update is answered: nothing queued at Telegram, nothing being delivered. A
    long-polling bot has taken its updates before it handles them, so for one (`bot_pid`) the work is
    done once its CPU has also been still for 0.3 s. The seconds that overshoot (to subtract), or -1 on
    timeout."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        hook = emu.webhook
        if not emu.pending_updates and (hook is None or not hook.hook._in_flight):
            break
        await asyncio.sleep(0.01)
    else:
        return -1
    if bot_pid is None:
        return 0.0
    last, still = cpu(bot_pid), 0
    while still < 3 and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
        now = cpu(bot_pid)
        still = still + 1 if now == last else 0
        last = now
    return 0.3 if still >= 3 else -1


@dataclass
class Phase:
    rate: float
    cpu: dict[str, float]  # part → µs per update
    done: bool
    cores: float  # cores kept busy by the bot's processes while the phase ran
    all_cores: float  # ... by everything: bot, PostgreSQL, Redis and the emulator


async def phase(emu: TimedEmulator, count: int, send: Callable[[int], Awaitable[None]],
                parts: dict[str, int | None], polling: bool) -> Phase:
    before = {name: cpu(pid) for name, pid in parts.items()}
    me, t0 = self_cpu(), time.perf_counter()
    for n in range(count):
        await send(n)
    overshoot = await answered(emu, parts["bot"] if polling else None)
    elapsed = time.perf_counter() - t0 - max(0.0, overshoot)
    used = {name: (cpu(pid) - before[name]) / count * 1e6 for name, pid in parts.items()}
    used["emulator"] = (self_cpu() - me) / count * 1e6
    busy = count / elapsed / 1e6
    return Phase(count / elapsed, used, overshoot >= 0, used["bot"] * busy, sum(used.values()) * busy)


async def paced(emu: TimedEmulator, users: range, rate: float, seconds: float, bot_pid: int | None) -> list[float]:
    sent_at: dict[int, float] = {}
    t0 = time.perf_counter()
    for i in range(int(rate * seconds)):
        uid = users[(i * 7) % len(users)]
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if i % 3 == 0:  # the private chat third: the others have no reply to time
            emu.replied.pop(uid, None)
            sent_at[uid] = time.perf_counter()
        await warm_update(emu, uid, i)
    await answered(emu, bot_pid)
    return sorted((emu.replied[u] - s) * 1000 for u, s in sent_at.items() if u in emu.replied)


async def mix(config: Config, servers: Servers, args: argparse.Namespace) -> str:
    emu = people(args.users)
    runner, api_port = await serve(create_app(emu))
    users = range(1, args.users + 1)
    with tempfile.TemporaryDirectory() as tmp:
        bot = await start_bot(emu, api_port, config, servers, tmp)
        parts = {"bot": bot.proc.pid}
        if config.scale_out:
            parts |= {"postgres": servers.pg_pid(), "redis": servers.redis_pid()}
        try:
            polling = config.workers == 0
            cold = await phase(emu, args.users, lambda n: emu.user_send(users[n], users[n], "/start"), parts,
                               polling)
            warm = await phase(emu, 3 * args.users, lambda n: warm_update(emu, users[n % args.users], n), parts,
                               polling)
            latencies = await paced(emu, users, args.rate, args.seconds, bot.proc.pid if polling else None)
        finally:
            await stop_bot(bot)
            await emu.close()
            await runner.cleanup()
    p50 = statistics.median(latencies) if latencies else float("nan")
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan")
    spent = "  ".join(f"{k} {v:,.0f}" for k, v in warm.cpu.items())
    problems = "" if cold.done and warm.done and not bot.lines else \
        f"  (NOT all answered or errors logged: {bot.lines[:2]})"
    return (f"{config.name:38} cold {cold.rate:5.0f}/s  warm {warm.rate:5.0f}/s  p50 {p50:4.1f} ms  "
            f"p99 {p99:5.1f} ms | warm: cores busy bot {warm.cores:.2f}, all {warm.all_cores:.2f}; "
            f"CPU µs/update {spent}{problems}")


# --- 2. the storm --------------------------------------------------------------------------------------

async def fill(url: str, count: int, now: int) -> None:
    """`count` users, each with one key whose 'unused' reminder is due now (the schema is the bot's)."""
    from storage.pg import PostgresDatabase

    db = PostgresDatabase(url)
    await db.open()
    try:
        created = now - 31 * DAY
        await db.executemany("INSERT INTO users(id, language, created_at) VALUES (?, 'en', ?)",
                             [(u, now - 60 * DAY) for u in range(1, count + 1)])
        await db.executemany(
            "INSERT INTO keys(id, owner_id, venue, environment, name, permissions, read_only, ip_allowlist, "
            "expiry_kind, expires_at, status, created_at, activated_at) VALUES (?, ?, 'xt', 'mainnet', "
            "'Grid bot', '[\"query\"]', NULL, '[\"8.8.8.8\"]', 'none', NULL, 'active', ?, ?)",
            [(u, u, created, created) for u in range(1, count + 1)])
        await db.executemany("INSERT INTO reminders(owner_id, key_id, kind, due_at, send_after) "
                             "VALUES (?, ?, 'unused', ?, ?)",
                             [(u, u, created + 30 * DAY, created + 30 * DAY) for u in range(1, count + 1)])
    finally:
        await db.close()


@contextlib.asynccontextmanager
async def storm_bot(count: int, servers: Servers, workers: int) -> AsyncIterator[tuple[Emulator, Bot]]:
    emu = Emulator(TOKEN, strict=True)
    for uid in range(1, count + 1):
        emu.add_user(uid, f"U{uid}")
    runner, api_port = await serve(create_app(emu))
    assert servers.pg is not None
    assert servers.redis is not None
    url = servers.pg.new_database()
    await fill(url, count, int(time.time()))
    with tempfile.TemporaryDirectory() as tmp:
        config = Config("storm", workers, scale_out=False)  # the database is the one filled here
        servers.flush_redis()
        bot = await start_bot(emu, api_port, config, servers, tmp, DATABASE_URL=url, REDIS_URL=servers.redis.url)
        try:
            yield emu, bot
        finally:
            await stop_bot(bot)
            await emu.close()
            await runner.cleanup()


async def storm(servers: Servers, count: int, kill_after: int | None) -> str:
    async with storm_bot(count, servers, 2) as (emu, bot):
        start = time.perf_counter()
        first: float | None = None
        killed = ""
        deadline = time.perf_counter() + count / 10 + 300
        while len(set(delivered(emu))) < count and time.perf_counter() < deadline:
            sent = len(delivered(emu))
            if first is None and sent:
                first = time.perf_counter()
            if kill_after is not None and not killed and sent >= kill_after:
                victim = tree(bot.proc.pid)[1]  # a worker, not the parent
                os.kill(victim, signal.SIGKILL)
                killed = f" with one worker SIGKILLed after {sent:,} messages"
            await asyncio.sleep(0.05)
        last = time.perf_counter()
        await asyncio.sleep(3)  # anything late would show as a duplicate
    storm = Storm.tally(emu, count)
    rate = storm.chats / (last - (first or start))
    return (f"storm of {count:,} reminders, 2 workers{killed}: {storm.chats:,} delivered in {last - start:.0f} s, "
            f"{rate:.1f} messages/s once sending (limit 30/s); 429s: {storm.too_many}; "
            f"duplicates: {storm.duplicates}; lost: {storm.lost}; rule violations: {storm.violations}")


# --- main ----------------------------------------------------------------------------------------------

async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=600)
    parser.add_argument("--rate", type=float, default=60)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--storm", type=int, default=10_000)
    parser.add_argument("--kill-storm", type=int, default=3_000)
    parser.add_argument("--skip-mix", action="store_true")
    parser.add_argument("--skip-storm", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; {args.users} users; warm mix {3 * args.users} updates sent at once; "
          f"paced {args.rate:.0f} updates/s for {args.seconds:.0f} s", flush=True)
    with running_server(durable=True) as pg, running_redis() as redis:
        if pg is None or redis is None:
            sys.exit("needs PostgreSQL and redis-server installed (Debian: postgresql redis-server)")
        servers = Servers(pg, redis)
        if not args.skip_mix:
            configs = [Config("embedded: SQLite, long polling", 0, False),
                       Config("SQLite, webhook, 1 process", 1, False)]
            configs += [Config(f"PostgreSQL + Redis, {n} webhook worker{'s' if n > 1 else ''}", n, True)
                        for n in map(int, args.workers.split(","))]
            for config in configs:
                print(await mix(config, servers, args), flush=True)
        if not args.skip_storm:
            print(await storm(servers, args.storm, None), flush=True)
            print(await storm(servers, args.kill_storm, args.kill_storm // 3), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
