"""The reminder scheduler: keeps each key's planned reminders current, and on every tick sends what
is due — grouped per user, in their quiet hours and digest preferences, at Telegram's pace.

Order of operations for "sent once": due rows are claimed in one statement (state 'sending', leased
for LEASE_SECONDS; with several workers on PostgreSQL, SKIP LOCKED gives each worker other rows) and
marked 'sent' after the message went out; rows claimed but not sent this tick are released at once. A
kill between claim and record leaves only the rows of the one message in flight claimed; once the lease
runs out they are sent again, by this process after a restart or by another worker — at most one
duplicate message.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError

from bot.keys import KeyService
from bot.reminders import rules
from bot.reminders.pacing import PacedSender
from bot.venues.connector import Outcome
from bot.venues.registry import VenueRegistry
from bot.verification import CheckResult, VerificationService
from domain.clock import Clock
from domain.models import KeyRecord, ReminderRow, User
from domain.ports import ReminderRepo, UserRepo

log = logging.getLogger(__name__)

BATCH = 60
MAX_PER_MESSAGE = 8  # rows per tick: about two seconds of sending at 30/s, so deletions never wait long
DRAFT_SCAN_EVERY = 60
# A claimed row another worker may take over once its claimant has died (before recording it sent).
LEASE_SECONDS = 120
HEALTHY = (Outcome.OK, Outcome.IP_NOT_ALLOWED)  # a key refusing only the bot's address is fine


@dataclass(frozen=True, slots=True)
class Due:
    row: ReminderRow
    record: KeyRecord | None  # None for an abandoned setup
    check: CheckResult | None = None  # a failed health check


Deliver = Callable[[Bot, User, list[Due]], Awaitable[None]]


def zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def release_time(user: User, now: int, urgent: bool = False) -> int:
    """When a reminder for this user may go out: now, after their quiet hours, or at their digest."""
    local = datetime.fromtimestamp(now, zone(user))
    minute = local.hour * 60 + local.minute
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if user.digest and not urgent:
        if user.digest_minute <= minute < user.digest_minute + 60:
            return now
        day = midnight if minute < user.digest_minute else midnight + timedelta(days=1)
        return int((day + timedelta(minutes=user.digest_minute)).timestamp())
    if user.quiet_start is not None and user.quiet_end is not None and user.quiet_start != user.quiet_end:
        start, end = user.quiet_start, user.quiet_end
        quiet = start <= minute < end if start < end else (minute >= start or minute < end)
        if quiet:
            day = midnight if minute < end else midnight + timedelta(days=1)
            return int((day + timedelta(minutes=end)).timestamp())
    return now


class ReminderScheduler:
    def __init__(self, repo: ReminderRepo, users: UserRepo, keys: KeyService, venues: VenueRegistry,
                 verifier: VerificationService, clock: Clock, sender: PacedSender) -> None:
        self._repo = repo
        self._users = users
        self._keys = keys
        self._venues = venues
        self._verifier = verifier
        self._clock = clock
        self.sender = sender
        self._last_draft_scan = 0

    def _now(self) -> int:
        return int(self._clock.now().timestamp())

    async def _user(self, owner_id: int) -> User:
        return await self._users.get(owner_id) or User(owner_id, "en")

    async def replan(self, owner_id: int, key_id: int) -> None:
        """Called after every change to a key."""
        record = await self._keys.get(owner_id, key_id)
        if record is None:
            await self._repo.cancel_key(key_id)
            return
        user = await self._user(owner_id)
        await self._repo.plan(owner_id, key_id, rules.plan(record, self._venues[record.venue], user, self._now()))

    async def replan_user(self, owner_id: int) -> None:
        """After the user's thresholds change."""
        for record in await self._keys.list_keys(owner_id):
            await self.replan(owner_id, record.id)

    async def snooze(self, owner_id: int, row_id: int, seconds: int) -> bool:
        """Send this reminder again later (the user asked: a repeat is what they want)."""
        return await self._repo.snooze(owner_id, row_id, self._now() + seconds)

    async def mute(self, owner_id: int, row_id: int) -> bool:
        return await self._repo.mute_row(owner_id, row_id)

    async def row(self, owner_id: int, row_id: int) -> ReminderRow | None:
        return await self._repo.row(owner_id, row_id)

    async def _scan_drafts(self, now: int) -> None:
        for owner, updated in await self._repo.stale_drafts(now - rules.ABANDONED_AFTER):
            await self._repo.add(owner, 0, "abandoned", updated + rules.ABANDONED_AFTER)

    async def tick(self, bot: Bot, deliver: Deliver) -> int:
        """Send what is due now. Returns how many messages went out."""
        now = self._now()
        if now - self._last_draft_scan >= DRAFT_SCAN_EVERY:
            self._last_draft_scan = now
            await self._scan_drafts(now)
        by_owner: dict[int, list[ReminderRow]] = defaultdict(list)
        for row in await self._repo.claim_due(now, now + LEASE_SECONDS, BATCH):
            by_owner[row.owner_id].append(row)
        sent = 0
        for owner_id, rows in by_owner.items():
            sent += await self._send_owner(bot, deliver, owner_id, rows, now)
        return sent

    async def _send_owner(self, bot: Bot, deliver: Deliver, owner_id: int, rows: list[ReminderRow],
                          now: int) -> int:
        user = await self._user(owner_id)
        items, done = await self._still_due(user, rows)
        if done:
            await self._repo.finish(done, "cancelled", now)
        if not items:
            return 0
        urgent = any(d.row.kind == "health" for d in items)
        release = release_time(user, now, urgent)
        if release > now:
            await self._repo.postpone([d.row.id for d in items], release)
            return 0
        items.sort(key=lambda d: rules.SEVERITY.get(d.row.kind, 99))
        if len(items) > MAX_PER_MESSAGE:  # the rest go in the next tick's message
            await self._repo.release([d.row.id for d in items[MAX_PER_MESSAGE:]])
            items = items[:MAX_PER_MESSAGE]
        ids = [d.row.id for d in items]
        try:
            await self.sender.send(owner_id, lambda: deliver(bot, user, items))
        except TelegramForbiddenError:
            await self._repo.finish(ids, "cancelled", now)  # the user blocked the bot
            return 0
        await self._repo.finish(ids, "sent", self._now())
        return 1

    async def _still_due(self, user: User, rows: list[ReminderRow]) -> tuple[list[Due], list[int]]:
        """The rows that still apply; the rest (key gone, muted, superseded, fixed) to cancel."""
        items: list[Due] = []
        done: list[int] = []
        latest_stage: dict[tuple[int, bool], ReminderRow] = {}
        for row in rows:
            if row.key_id == 0:
                updated = await self._repo.draft_updated_at(user.id)
                if updated is not None and updated + rules.ABANDONED_AFTER == row.due_at:
                    items.append(Due(row, None))
                else:
                    done.append(row.id)
                continue
            record = await self._keys.get(user.id, row.key_id)
            muted = await self._repo.muted(row.key_id) if record else set()
            planned = rules.plan(record, self._venues[record.venue], user, row.due_at) \
                if record else []
            if record is None or row.kind in muted or (row.kind, row.due_at) not in planned:
                done.append(row.id)
                continue
            if row.kind == "health":
                check = await self._verifier.check(record)
                if check.verification.outcome in HEALTHY:
                    await self._repo.finish([row.id], "sent", self._now())
                    await self.replan(user.id, record.id)
                    continue
                items.append(Due(row, record, check))
                continue
            if row.kind.startswith("expir") or row.kind == "compromised":
                # Missed several stages (the bot was down)? Only the most urgent one is worth saying.
                family = (record.id, row.kind == "compromised")
                earlier = latest_stage.get(family)
                if earlier is not None:
                    keep, drop = (row, earlier) if row.due_at > earlier.due_at else (earlier, row)
                    done.append(drop.id)
                    items = [d for d in items if d.row.id != drop.id]
                    if keep is earlier:
                        continue
                latest_stage[family] = row
            items.append(Due(row, record))
        return items, done
