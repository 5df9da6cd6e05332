"""`python -m keybot webhook`: Telegram pushes updates to this process over HTTP (aiohttp, aiogram's
request handler) instead of the bot polling for them.

- Every request must carry the secret token given to setWebhook (header
  X-Telegram-Bot-Api-Secret-Token); others get 401. By default the token is derived from BOT_TOKEN, so
  every worker of one bot knows it without another setting.
- An update is answered only once it has been handled (aiogram's handler with
  `handle_in_background=False`): a worker that dies mid-update leaves it to Telegram to deliver again,
  instead of having said "done" for an update that was lost.
- `/healthz` says the process serves; `/readyz` also that its database answers (a load balancer sends
  traffic only to ready workers).
- SIGTERM: stop accepting, finish the updates in flight (up to `shutdown_seconds`), then stop the
  housekeeping and close the sessions.
- With WEBHOOK_URL set the process registers the webhook (url, secret, the update types the handlers
  use, max_connections, optionally dropping what is pending); several workers registering the same
  values is harmless.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import logging
import os
import signal
from collections.abc import AsyncIterator, Callable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.config import Settings, StartupError
from bot.telegram import wait_for_api
from keybot.app import Services, create_bot, create_dispatcher, housekeeping_jobs, open_services, set_commands

log = logging.getLogger(__name__)


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or one derived from the bot token (64 characters of A-Z a-z 0-9 _ -, as Telegram
    allows), the same in every worker."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    assert settings.bot_token is not None
    digest = hmac.new(settings.bot_token.get_secret_value().encode(), b"keybot webhook secret", hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest() * 2).decode().rstrip("=")[:64]


def create_app(services: Services, bot: Bot, settings: Settings) -> web.Application:
    """The HTTP app; `app["ready"]["ok"]` says whether it takes traffic (for /readyz)."""
    dp = create_dispatcher(services)
    app = web.Application()
    handler = SimpleRequestHandler(dp, bot, handle_in_background=False, secret_token=webhook_secret(settings))
    # Not handler.register(): that closes the bot's session on shutdown, before in-flight updates end.
    app.router.add_post(settings.webhook_path, handler.handle)
    ready = {"ok": False}

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def readyz(request: web.Request) -> web.Response:
        try:
            await services.db.fetchone("SELECT 1")
        except Exception as exc:  # noqa: BLE001  (any failure, of either engine, means: send traffic elsewhere)
            log.warning("not ready: the database did not answer (%s)", type(exc).__name__)
            return web.json_response({"ok": False, "reason": "database"}, status=503)
        if not ready["ok"]:
            return web.json_response({"ok": False, "reason": "starting"}, status=503)
        return web.json_response({"ok": True})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app["dispatcher"] = dp
    app["ready"] = ready
    return app


async def run_webhook(settings: Settings, prepare: Callable[[Services], None] | None = None,
                      register: bool = True, worker: int = 0) -> None:
    """Serve until SIGTERM; `register`: this process registers the webhook (one worker of several does)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with open_services(settings) as services, _bot(settings, services) as bot:
            if prepare is not None:
                prepare(services)
            try:
                await wait_for_api(bot)
            except TelegramUnauthorizedError:
                raise StartupError("the Bot API refused BOT_TOKEN (401 Unauthorized): check the token "
                                   "from @BotFather") from None
            app = create_app(services, bot, settings)
            dp = app["dispatcher"]
            runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=settings.shutdown_seconds,
                                   access_log=None)
            await runner.setup()
            # reuse_port: several worker processes may listen on the same port; the kernel spreads
            # connections among them.
            site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port, reuse_port=True)
            await site.start()
            housekeeping = asyncio.create_task(
                services.deletions.run_forever(bot, jobs=[housekeeping_jobs(services)]))
            try:
                await dp.emit_startup(bot=bot)
                with contextlib.suppress(TelegramAPIError):  # the menu of commands is a nicety
                    await set_commands(bot, services.locales)
                if settings.webhook_url is not None and register:
                    await bot.set_webhook(
                        settings.webhook_url, secret_token=webhook_secret(settings),
                        allowed_updates=dp.resolve_used_update_types(),
                        max_connections=settings.webhook_max_connections,
                        drop_pending_updates=settings.webhook_drop_pending)
                app["ready"]["ok"] = True
                log.info("worker %s (pid %s) serving webhook updates on %s:%s%s", worker, os.getpid(),
                         settings.webhook_host, settings.webhook_port, settings.webhook_path)
                await stop.wait()
                app["ready"]["ok"] = False
                log.info("stopping: finishing the updates in flight")
            finally:
                await runner.cleanup()  # stops accepting, then waits for the handlers still running
                housekeeping.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await housekeeping
                await dp.emit_shutdown(bot=bot)
                await dp.storage.close()
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)


@contextlib.asynccontextmanager
async def _bot(settings: Settings, services: Services) -> AsyncIterator[Bot]:
    bot = create_bot(settings, hold=services.reminders.sender.hold)
    try:
        yield bot
    finally:
        await bot.session.close()
