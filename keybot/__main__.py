"""`python -m keybot` runs the bot; `rotate-master-key` re-wraps the vault; `migrate-sqlite-to-postgres`
moves an install from the SQLite file to the PostgreSQL database of DATABASE_URL."""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from bot.config import Settings, StartupError
from bot.crashpoint import crashpoint
from bot.guard.detector import Detector
from bot.keywrap import (
    KeyWrapper,
    LocalKeyWrapper,
    VaultError,
    open_pkcs11,
    pending_key_file,
    sync_folder,
    write_key_file,
)
from bot.redact import install as install_logging
from domain.errors import StorageError

Backend = Literal["file", "env", "pkcs11"]


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


async def _rotate(settings: Settings, to: Backend | None, out: Path | None, label: str | None) -> int:
    """A new master key, in the same place or another (key file, MASTER_KEY, HSM): created durably first,
    then every data key re-wrapped in one transaction. For the key file the new file then atomically
    replaces the old one, and a kill between any two steps is resolved at the next start (see
    bot.keywrap.load_master_key): the key that opens the database wins. Elsewhere the operator points
    the settings at the new key, as printed."""
    current = settings.resolved_master_key_backend()
    target = to or current
    if target == "env" and out is None:
        return _fail("the new key for MASTER_KEY needs --out FILE to be written to")
    from keybot.app import open_services  # aiogram takes seconds to import: only when needed

    key_file = settings.resolved_master_key_file()
    # Opening the database takes its lock: this refuses to run while the bot runs on it.
    async with open_services(settings) as services:
        old_origin = services.vault.master_origin
        new: KeyWrapper
        if target == "pkcs11":
            stamp = services.clock.now().strftime("%Y%m%d%H%M%S")
            new_label = label or (f"{settings.pkcs11_key_label}-{stamp}" if current == "pkcs11"
                                  else settings.pkcs11_key_label)
            new = open_pkcs11(settings, new_label, create="new")
        else:
            new_key = secrets.token_bytes(32)
            written = out or (pending_key_file(key_file) if current == "file" else key_file)
            write_key_file(written, new_key)
            new = LocalKeyWrapper(new_key, str(written))
        try:
            crashpoint("rotate:new-key-written")
            count = await services.vault.rotate_master_key(new)
            crashpoint("rotate:database-rewrapped")
        finally:
            new.close()
        backup = key_file.with_suffix(".old")
        if current == "file" and target == "file" and out is None:
            backup.unlink(missing_ok=True)
            os.link(key_file, backup)  # the old key stays reachable; the key file itself never goes missing
            crashpoint("rotate:old-key-kept")
            os.replace(written, key_file)
            sync_folder(key_file.parent)
            print(f"Re-wrapped {count} data keys. New master key in {key_file}; the old one is in {backup}: "
                  "delete it once you have a backup of the new one.")
            return 0
        if current == "file" and target != "file":
            os.replace(key_file, backup)  # it opens only old backups now: out of the way of the next start
            sync_folder(key_file.parent)
    print(f"Re-wrapped {count} data keys under {new.origin} (was {old_origin}).")
    if target == "pkcs11":
        print(f"Before the next start set MASTER_KEY_BACKEND=pkcs11 and PKCS11_KEY_LABEL={new_label}.")
    elif target == "env":
        print(f"Before the next start set MASTER_KEY to the content of {written} (then delete that file).")
    else:
        print(f"Before the next start set MASTER_KEY_BACKEND=file and MASTER_KEY_FILE={written}.")
    if current == "file":
        print(f"The old key file is now {backup}: it opens only backups made before this rotation.")
    return 0


async def _to_postgres(settings: Settings) -> int:
    """Every row of DATABASE_PATH into the empty PostgreSQL database of DATABASE_URL, then a start of the
    services on PostgreSQL to prove the same master key opens the copy."""
    if settings.database_url is None:
        return _fail("set DATABASE_URL=postgresql://… to the (empty) database to move to")
    if not settings.database_path.exists():
        return _fail(f"no SQLite database at {settings.database_path} (DATABASE_PATH)")
    try:
        from storage.pg import PostgresDatabase
        from storage.transfer import sqlite_to_postgres
    except ImportError:
        return _fail('PostgreSQL needs asyncpg: pip install -e ".[postgres]"')
    from keybot.app import open_services
    from storage.db import Database

    source, target = Database(settings.database_path), PostgresDatabase(settings.database_url.get_secret_value())
    await source.open()  # its lock: refuses while the bot runs on the file
    try:
        await target.open()
        try:
            moved = await sqlite_to_postgres(source, target)
        finally:
            await target.close()
    finally:
        await source.close()
    async with open_services(settings) as services:  # the vault's canary opens with the same master key
        keys = await services.db.fetchone("SELECT COUNT(*) FROM keys WHERE status != 'deleted'")
    print(f"Moved {moved.total} rows ({moved.rows['users']} users, {moved.rows['keys']} keys) from "
          f"{settings.database_path} to PostgreSQL; the vault opens there with the same master key "
          f"({keys[0] if keys else 0} live keys). Keep DATABASE_URL set from now on; the SQLite file is "
          "left as it was: delete it once you trust the move.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m keybot", description="API-key hygiene bot for Telegram")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot against the Bot API (default)")
    webhook = sub.add_parser("webhook",
                             help="serve updates Telegram pushes (WEBHOOK_URL, WEBHOOK_PORT…) instead of polling")
    webhook.add_argument("--workers", type=int, default=1,
                         help="worker processes sharing the port (needs DATABASE_URL and REDIS_URL when over 1)")
    sandbox = sub.add_parser("sandbox", help="offline: a Bot API emulator, the bot, and a web chat to try it")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8080)
    sandbox.add_argument("--workers", type=int, default=0,
                         help="the bot as N webhook workers (needs DATABASE_URL and REDIS_URL) instead of one "
                              "polling process on SQLite")
    rotate = sub.add_parser("rotate-master-key", help="re-wrap every data key under a new master key")
    rotate.add_argument("--to", choices=["file", "env", "pkcs11"],
                        help="where the new key lives (default: where the current one does)")
    rotate.add_argument("--out", type=Path, help="where to write a new key file (required for --to env)")
    rotate.add_argument("--label", help="the new key's label in the HSM token")
    sub.add_parser("migrate-sqlite-to-postgres",
                   help="copy the SQLite database (DATABASE_PATH) into the empty PostgreSQL one (DATABASE_URL)")
    args = parser.parse_args(argv)

    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        return _fail(f"bad setting {'.'.join(str(p) for p in first['loc']).upper()}: {first['msg']}")
    install_logging(Detector(), settings.log_level)
    try:
        if args.command == "rotate-master-key":
            return asyncio.run(_rotate(settings, args.to, args.out, args.label))
        if args.command == "migrate-sqlite-to-postgres":
            return asyncio.run(_to_postgres(settings))
        if args.command == "sandbox":
            from keybot.sandbox import main as run_sandbox

            run_sandbox(settings, args.host, args.port, args.workers)
            return 0
        if settings.bot_token is None:
            return _fail("BOT_TOKEN is not set: get a token from @BotFather and export BOT_TOKEN=...")
        if args.command == "webhook":
            if args.workers > 1:
                from keybot.workers import run_workers

                return run_workers(settings, args.workers)
            from keybot.webhook import run_webhook

            asyncio.run(run_webhook(settings))
            return 0
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
