"""The one place that wires everything: services, the dispatcher, the bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.strategy import FSMStrategy
from aiogram.types import BotCommand, BotCommandScopeDefault, LinkPreviewOptions

from bot.brokers import BrokerKeys
from bot.config import Settings, StartupError
from bot.deletions import DeletionService
from bot.guard.business import BusinessGuard
from bot.guard.detector import Detector
from bot.guard.scanner import SecretScanner
from bot.guard.service import GuardService
from bot.i18n import LANGUAGES, Locales
from bot.keys import KeyService
from bot.keywrap import KeyWrapper, LocalKeyWrapper, open_wrapper
from bot.reminders.pacing import PacedSender
from bot.reminders.scheduler import Due, ReminderScheduler
from bot.second_factor import SecondFactor
from bot.stepup import StepUp
from bot.telegram import RetryAfter, Sleep, wait_for_api
from bot.users import UserService
from bot.vault import META_CANARY, Vault
from bot.venues.connectors import Connectors
from bot.venues.egress import public_only_transport
from bot.venues.http import VenueHttp
from bot.venues.registry import VenueRegistry, default_registry
from bot.verification import VerificationService
from domain.clock import Clock, SystemClock
from domain.models import LeakReminder, User
from keybot.isolation import IdleFreeIsolation
from keybot.session import JsonSession
from storage.audit import AuditRepo
from storage.business import BusinessRepo
from storage.db import Database
from storage.deletions import DeletionRepo
from storage.fsm import DraftMarks, SharedStorage, SQLiteStorage
from storage.guard import GuardRepo
from storage.keys import KeyRepo
from storage.leaks import LeakRepo
from storage.reminders import ReminderRepo
from storage.second_factor import SecondFactorRepo
from storage.sessions import SessionRepo
from storage.unlock import UnlockRepo
from storage.users import UserRepo
from storage.vault_store import VaultStore

if TYPE_CHECKING:
    from keybot.shared import Shared
    from storage.pg import PostgresDatabase

log = logging.getLogger(__name__)

COMMANDS = ("start", "add", "keys", "report", "settings", "lock", "panic", "history", "cancel", "language", "help")


@dataclass(slots=True)
class Services:
    """Long-lived services, created once and handed to handlers as dispatcher workflow data."""

    settings: Settings
    clock: Clock
    db: Database | PostgresDatabase
    vault: Vault
    venues: VenueRegistry
    locales: Locales
    users: UserService  # what the handlers may do with users
    keys: KeyService
    scanner: SecretScanner
    deletions: DeletionService
    guard: GuardService
    connectors: Connectors
    verifier: VerificationService
    brokers: BrokerKeys
    reminders: ReminderScheduler
    business: BusinessGuard
    stepup: StepUp
    shared: Shared | None = None  # with REDIS_URL: what several workers share


def open_database(settings: Settings) -> Database | PostgresDatabase:
    """PostgreSQL when DATABASE_URL is set, else the SQLite file (the default: no server needed)."""
    if settings.database_url is None:
        return Database(settings.database_path)
    try:
        from storage.pg import PostgresDatabase as Postgres  # asyncpg: only with the postgres extra
    except ImportError:
        raise StartupError('DATABASE_URL needs asyncpg: pip install -e ".[postgres]"') from None
    return Postgres(settings.database_url.get_secret_value())


@contextlib.asynccontextmanager
async def open_services(
    settings: Settings, clock: Clock | None = None, master_key: bytes | None = None,
    venue_transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[Services]:
    """Open the database, the vault (a wrong master key raises VaultError) and the one HTTP client
    for venues; close them after."""
    clock = clock or SystemClock()
    db = open_database(settings)
    await db.open()
    client = httpx.AsyncClient(transport=venue_transport, follow_redirects=False,
                               headers={"User-Agent": "keyhygiene-bot"})
    # Hosts that users type (brokers) go through a client that connects to public addresses only.
    guarded = venue_transport or (None if settings.b2trader_allow_private_hosts else public_only_transport())
    user_hosts = httpx.AsyncClient(transport=guarded, follow_redirects=False, trust_env=guarded is None,
                                   headers={"User-Agent": "keyhygiene-bot"})
    wrapper: KeyWrapper | None = None
    shared: Shared | None = None
    try:
        if settings.redis_url is not None:
            try:
                from keybot.shared import Shared as Redis  # redis: only with the redis extra
            except ImportError:
                raise StartupError('REDIS_URL needs redis: pip install -e ".[redis]"') from None
            shared = Redis(settings.redis_url.get_secret_value())
        announce = shared.announce if shared is not None else None
        store = VaultStore(db)
        wrapper = LocalKeyWrapper(master_key) if master_key else open_wrapper(
            settings, await store.get_meta(META_CANARY))
        vault = await Vault.open(wrapper, store, clock)
        venues = default_registry()
        key_repo = KeyRepo(db, settings.cache_size, announce)
        users = UserRepo(db, settings.cache_size, announce)
        if shared is not None:
            await shared.listen(users, key_repo)
        scanner = SecretScanner(Detector(), vault, key_repo)
        keys = KeyService(key_repo, AuditRepo(db), vault, venues, clock, LeakRepo(db))
        connectors = Connectors(VenueHttp(client, clock), settings, VenueHttp(user_hosts, clock))
        verifier = VerificationService(keys, connectors, venues, clock, settings.egress_ip)
        # One pace for every worker when they share Redis; else this process's own.
        sender = PacedSender(pace=shared.pace() if shared is not None else None)
        reminders = ReminderScheduler(ReminderRepo(db), users, keys, venues, verifier, clock, sender)
        keys.subscribe(reminders.replan)
        yield Services(
            settings=settings, clock=clock, db=db, vault=vault, venues=venues, locales=Locales(),
            users=UserService(users), keys=keys, scanner=scanner,
            deletions=DeletionService(DeletionRepo(db), clock),
            guard=GuardService(GuardRepo(db), scanner, users, clock),
            connectors=connectors,
            verifier=verifier,
            brokers=BrokerKeys(connectors.b2trader, keys, SessionRepo(db), vault, venues, clock),
            reminders=reminders,
            business=BusinessGuard(BusinessRepo(db), clock),
            stepup=StepUp(UnlockRepo(db), AuditRepo(db), clock, settings.unlock_seconds, vault,
                          SecondFactor(SecondFactorRepo(db), vault, AuditRepo(db), clock)),
            shared=shared,
        )
    finally:
        if shared is not None:
            await shared.close()
        if wrapper is not None:
            wrapper.close()
        await client.aclose()
        await user_hosts.aclose()
        await db.close()


def create_bot(settings: Settings, sleep: Sleep = asyncio.sleep, session: BaseSession | None = None,
               hold: Callable[[float], Awaitable[None]] | None = None) -> Bot:
    """The bot on a JSON HTTP session to `telegram_api_base`, or on `session` (the in-process emulator);
    `hold` hears Telegram's 429s (the scheduled sends' pace)."""
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    session = session or JsonSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    session.middleware(RetryAfter(sleep, hold=hold))
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)),
    )


def create_dispatcher(services: Services, storage: BaseStorage | None = None) -> Dispatcher:
    """The bot's dispatcher; `storage` replaces its SQLite FSM (the benchmarks' naive baseline)."""
    # Imported here: handlers depend on bot services, never the other way round.
    from handlers import build_router
    from handlers.fastpath import FastPathDispatcher
    from handlers.middlewares import PersistState, ServicesByName, UserContext

    isolation: BaseEventIsolation = IdleFreeIsolation()
    if storage is None and services.shared is not None:  # several workers: FSM and locks in Redis
        from keybot.shared import KEYS

        storage = SharedStorage(services.shared.storage(), DraftMarks(services.db), services.clock, KEYS)
        isolation = services.shared.isolation()
    storage = storage or SQLiteStorage(services.db, services.clock, DefaultKeyBuilder(with_destiny=True),
                                       cache_size=services.settings.cache_size)
    dp = FastPathDispatcher(
        storage=storage,
        fsm_strategy=FSMStrategy.USER_IN_CHAT,
        # One update at a time per user, so two taps cannot race through the flow.
        events_isolation=isolation,
        guard=services.guard,  # the one service a filter needs (the guard's: does this expose a secret?)
    )
    if isinstance(storage, SQLiteStorage | SharedStorage):  # its writes go out once per update, or not at all
        dp.update.outer_middleware(PersistState(storage))
    dp.update.middleware(UserContext(services.users, services.locales, services.clock))
    # What handlers ask for by name, added for the handler that runs (see handlers.middlewares.ServicesByName).
    handed = ServicesByName(dict(
        clock=services.clock, venues=services.venues, keys=services.keys, scanner=services.scanner,
        deletions=services.deletions, verifier=services.verifier,
        connectors=services.connectors, brokers=services.brokers, reminders=services.reminders,
        locales=services.locales, users=services.users, business=services.business, stepup=services.stepup,
        # Handlers get the one setting they use, not Settings with the token and the master key.
        reveal_seconds=services.settings.reveal_seconds,
    ))
    for name, observer in dp.observers.items():
        if name != "update":  # the update observer's handler is the router tree itself
            observer.middleware(handed)
    dp.include_router(build_router())
    return dp


def housekeeping_jobs(services: Services) -> Callable[[Bot], Awaitable[int]]:
    """Periodic sending: the guard's leak reminders and the key reminders, rendered by the handlers."""
    from handlers.guard import send_leak_reminder, send_merged_notices
    from handlers.reminders import deliver

    async def notify(bot: Bot, reminder: LeakReminder) -> None:
        # Every scheduled message goes through the one paced sender.
        await services.reminders.sender.send(
            reminder.user_id, lambda: send_leak_reminder(bot, reminder, services.users, services.locales))

    async def send(bot: Bot, user: User, items: list[Due]) -> None:
        await deliver(bot, user, items, services.locales, services.venues, int(services.clock.now().timestamp()))

    async def jobs(bot: Bot) -> int:
        merged = await send_merged_notices(bot, services.guard, services.locales, services.deletions)
        return merged + await services.guard.run_reminders(bot, notify) + await services.reminders.tick(bot, send)

    return jobs


async def set_commands(bot: Bot, locales: Locales) -> None:
    for lang in LANGUAGES:
        t = locales.get(lang)
        commands = [BotCommand(command=c, description=t(f"cmd-{c}")) for c in COMMANDS]
        await bot.set_my_commands(commands, scope=BotCommandScopeDefault(),
                                  language_code=None if lang == "en" else lang)


async def run_polling(settings: Settings, prepare: Callable[[Services], None] | None = None) -> None:
    """Poll the Bot API until stopped; `prepare` may wire extra listeners to the services (the sandbox)."""
    async with open_services(settings) as services:
        bot = create_bot(settings, hold=services.reminders.sender.hold)
        if prepare is not None:
            prepare(services)
        dp = create_dispatcher(services)
        worker: asyncio.Task[None] | None = None

        async def on_startup(bot: Bot) -> None:
            nonlocal worker
            try:
                await set_commands(bot, services.locales)
            except TelegramAPIError as exc:  # the menu of commands is a nicety: run without it
                log.warning("could not register the commands: %s", exc)
            worker = asyncio.create_task(services.deletions.run_forever(bot, jobs=[housekeeping_jobs(services)]))

        async def on_shutdown() -> None:
            if worker is not None:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker

        dp.startup.register(on_startup)
        dp.shutdown.register(on_shutdown)
        try:
            try:
                await wait_for_api(bot)
            except TelegramUnauthorizedError:
                raise StartupError("the Bot API refused BOT_TOKEN (401 Unauthorized): check the token "
                                   "from @BotFather") from None
            # At most this many updates in flight: a burst waits at Telegram instead of in memory here.
            await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(),
                                   tasks_concurrency_limit=settings.max_concurrent_updates)
        finally:
            await bot.session.close()
