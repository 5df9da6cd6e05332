"""`python -m keybot webhook --workers N`: N webhook worker processes from one command, sharing one
port (SO_REUSEPORT), PostgreSQL and Redis.

Everything is imported before forking (aiogram's types alone take ~200 MB and seconds) and then
frozen out of the garbage collector (`gc.freeze`), so the children share those pages copy-on-write
instead of each touching, and so copying, them at its first collection. The parent only supervises:
a worker that dies is started again (after a pause if it died young), and SIGTERM/SIGINT are passed
to every worker, which finish their updates in flight before they exit.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.config import Settings, StartupError

if TYPE_CHECKING:
    from keybot.app import Services

log = logging.getLogger(__name__)

YOUNG_SECONDS = 5  # a worker that dies sooner than this after its start is restarted after a pause


async def _prepare(settings: Settings) -> None:
    from keybot.app import open_services

    async with open_services(settings):
        pass


def run_workers(settings: Settings, count: int, prepare: Callable[[Services], None] | None = None) -> int:
    """`prepare` wires extra listeners to each worker's services (the sandbox's key mirroring)."""
    if settings.database_url is None or settings.redis_url is None:
        raise StartupError("--workers needs DATABASE_URL (PostgreSQL) and REDIS_URL: workers share the "
                           "database, the conversation state and the per-user locks; SQLite serves one process")
    import keybot.webhook  # noqa: F401  (imported once here, shared by the children)

    # Once, before any worker: the schema migrated and, on a new install, the master key made and its
    # canary stored — N workers starting together would otherwise each make a key of their own.
    asyncio.run(_prepare(settings))
    gc.collect()
    gc.freeze()
    children: dict[int, tuple[int, float]] = {}  # pid → (worker number, start time)
    stopping = False

    def spawn(number: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 0
            try:
                from keybot.webhook import run_webhook

                asyncio.run(run_webhook(settings, prepare, register=number == 0, worker=number))
            except BaseException:  # the parent sees the exit status and starts it again
                log.exception("worker %s failed", number)
                code = 1
            os._exit(code)
        children[pid] = (number, time.monotonic())

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for number in range(count):
        spawn(number)
    failed = False
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        number, started = children.pop(pid)
        if stopping:
            failed = failed or os.waitstatus_to_exitcode(status) != 0
            continue
        log.warning("worker %s (pid %s) exited with status %s; starting it again", number, pid,
                    os.waitstatus_to_exitcode(status))
        if time.monotonic() - started < YOUNG_SECONDS:
            time.sleep(YOUNG_SECONDS)
        if not stopping:
            spawn(number)
    return 1 if failed else 0
