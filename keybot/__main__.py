"""`python -m keybot` runs the bot; `python -m keybot rotate-master-key` re-wraps the vault."""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.config import Settings, StartupError
from bot.crashpoint import crashpoint
from bot.guard.detector import Detector
from bot.redact import install as install_logging
from bot.vault import VaultError, pending_key_file, sync_folder, write_key_file
from domain.errors import StorageError


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


async def _rotate(settings: Settings, out: Path | None) -> int:
    """New master key: written durably to a new file, every data key re-wrapped in one transaction,
    then the new file atomically replaces the old one. A kill between any two steps is resolved at the
    next start (see bot.vault.load_master_key): the key that opens the database wins."""
    if settings.master_key is not None and out is None:
        return _fail("MASTER_KEY comes from the environment: pass --out FILE for the new key")
    from keybot.app import open_services  # aiogram takes seconds to import: only when needed

    key_file = settings.resolved_master_key_file()
    target = out or pending_key_file(key_file)
    # Opening the database takes its lock: this refuses to run while the bot runs on it.
    async with open_services(settings) as services:
        new_key = secrets.token_bytes(32)
        write_key_file(target, new_key)
        crashpoint("rotate:new-key-written")
        count = await services.vault.rotate_master_key(new_key)
        crashpoint("rotate:database-rewrapped")
        if out is None:
            backup = key_file.with_suffix(".old")
            backup.unlink(missing_ok=True)
            os.link(key_file, backup)  # the old key stays reachable; the key file itself never goes missing
            crashpoint("rotate:old-key-kept")
            os.replace(target, key_file)
            sync_folder(key_file.parent)
    if out is None:
        print(f"Re-wrapped {count} data keys. New master key in {key_file}; the old one is in {backup}: "
              "delete it once you have a backup of the new one.")
    else:
        print(f"Re-wrapped {count} data keys. The new master key is in {target}: "
              "set MASTER_KEY to its content (or MASTER_KEY_FILE to its path) before the next start.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m keybot", description="API-key hygiene bot for Telegram")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot against the Bot API (default)")
    sandbox = sub.add_parser("sandbox", help="offline: a Bot API emulator, the bot, and a web chat to try it")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8080)
    rotate = sub.add_parser("rotate-master-key", help="re-wrap every data key under a new master key")
    rotate.add_argument("--out", type=Path, help="where to write the new key (required with MASTER_KEY)")
    args = parser.parse_args(argv)

    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        return _fail(f"bad setting {'.'.join(str(p) for p in first['loc']).upper()}: {first['msg']}")
    install_logging(Detector(), settings.log_level)
    try:
        if args.command == "rotate-master-key":
            return asyncio.run(_rotate(settings, args.out))
        if args.command == "sandbox":
            from keybot.sandbox import main as run_sandbox

            run_sandbox(settings, args.host, args.port)
            return 0
        if settings.bot_token is None:
            return _fail("BOT_TOKEN is not set: get a token from @BotFather and export BOT_TOKEN=...")
        from keybot.app import run_polling

        asyncio.run(run_polling(settings))
    except VaultError as exc:
        return _fail(f"vault: {exc}")
    except StorageError as exc:
        return _fail(f"storage: {exc}")
    except StartupError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
