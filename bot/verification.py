"""Checking a stored key against its venue: one read-only call, what the venue says the key may do,
and every difference from what the user recorded ("you set read-only, but this key can trade")."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.crashpoint import crashpoint
from bot.keys import KeyService
from bot.reminders.rules import HEALTH_EVERY
from bot.venues.base import VenueProfile
from bot.venues.connector import Credentials, Inspection, Outcome, Verification
from bot.venues.connectors import Connectors
from bot.venues.http import VenueUnreachable
from bot.venues.registry import VenueRegistry
from domain.clock import Clock
from domain.models import KeyRecord, KeyStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Drift:
    """One difference between the venue and the bot's record; `kind` is a locale id suffix."""

    kind: str
    args: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckResult:
    verification: Verification
    drift: list[Drift]
    expiry_updated: bool = False
    environment: str = "mainnet"  # the key's recorded environment, for outcomes that name it


def compare(profile: VenueProfile, record: KeyRecord, inspection: Inspection) -> list[Drift]:
    def names(perms: set[str]) -> str:
        return ", ".join(p.api_name for p in profile.permissions if p.id in perms)

    drift: list[Drift] = []
    venue_perms, recorded = set(inspection.permissions), set(record.permissions)
    writes = {p for p in venue_perms if (perm := profile.permission(p)) is not None and perm.writes}
    believed_read_only = record.read_only is True or not profile.writes(record.permissions)
    if (inspection.read_only is False or inspection.read_only is None) and believed_read_only and writes:
        drift.append(Drift("read-only-but-writes", {"perms": names(writes)}))
    dangerous = {p for p in venue_perms - recorded if (perm := profile.permission(p)) is not None and perm.danger}
    if dangerous:
        drift.append(Drift("danger-enabled", {"perms": names(dangerous)}))
    extra = venue_perms - recorded - dangerous - writes if believed_read_only else venue_perms - recorded - dangerous
    if extra:
        drift.append(Drift("perms-extra", {"perms": names(extra)}))
    missing = recorded - venue_perms
    if missing:
        drift.append(Drift("perms-missing", {"perms": names(missing)}))
    if inspection.ips is not None:
        venue_ips, our_ips = set(inspection.ips), set(record.ip_allowlist)
        if our_ips and not venue_ips:
            drift.append(Drift("ips-open"))
        elif venue_ips != our_ips:
            drift.append(Drift("ips-differ", {"venue": ", ".join(sorted(venue_ips)) or "-",
                                              "ours": ", ".join(sorted(our_ips)) or "-"}))
    elif inspection.ip_restricted is not None:
        if record.ip_allowlist and not inspection.ip_restricted:
            drift.append(Drift("ips-open"))
        elif not record.ip_allowlist and inspection.ip_restricted:
            drift.append(Drift("ips-restricted-unrecorded"))
    return drift


class VerificationService:
    def __init__(self, keys: KeyService, connectors: Connectors, venues: VenueRegistry, clock: Clock,
                 egress_ip: str | None) -> None:
        self._keys = keys
        self._connectors = connectors
        self._venues = venues
        self._clock = clock
        self.egress_ip = egress_ip

    def supported(self, record: KeyRecord) -> bool:
        return self._connectors.get(record.venue) is not None

    async def check_waiting_locked(self, owner_id: int) -> list[tuple[KeyRecord, CheckResult]]:
        """Keys locked with the passphrase get no unattended health check (nothing can open them): once
        the owner unlocks, check those whose daily check is due."""
        now = int(self._clock.now().timestamp())
        due = [r for r in await self._keys.list_keys(owner_id)
               if r.storage == "locked" and r.status != KeyStatus.PENDING and r.health_check
               and self._venues[r.venue].has_public_api and (r.last_verified_at or 0) + HEALTH_EVERY <= now]
        return [(record, await self.check(record)) for record in due]

    async def check(self, record: KeyRecord) -> CheckResult:
        connector = self._connectors.get(record.venue)
        if connector is None:
            return CheckResult(Verification(Outcome.NO_API), [], environment=record.environment)
        values = await self._keys.credentials(record)
        creds = Credentials(values, record.environment, record.host, tuple(record.ip_allowlist), self.egress_ip)
        drift: list[Drift] = []
        expiry_updated = False
        try:
            # One venue call answers both questions where the venue describes the key in its answer.
            answer = await connector.check(creds)
            crashpoint("verify:answered")  # the venue answered; nothing recorded yet
            verification = answer.verification
            inspection = answer.inspection if verification.outcome == Outcome.OK else None
        except VenueUnreachable:
            verification, inspection = Verification(Outcome.UNREACHABLE, "network"), None
        except (KeyError, ValueError) as exc:  # credentials that cannot be used (missing field, bad PEM)
            log.info("cannot sign for key %s: %s", record.id, type(exc).__name__)
            verification, inspection = Verification(Outcome.BAD_SECRET, "local"), None
        if inspection is not None:
            drift = compare(self._venues[record.venue], record, inspection)
            if inspection.expires_at is not None and inspection.expires_at != record.expires_at:
                await self._keys.set_venue_expiry(record, inspection.expires_at)
                expiry_updated = True
        found = None
        if inspection is not None:
            state = {"permissions": sorted(inspection.permissions), "ips": None if inspection.ips is None
                     else list(inspection.ips), "read_only": inspection.read_only,
                     "ip_restricted": inspection.ip_restricted}
            found = ([{"kind": d.kind, "args": d.args} for d in drift], state)
        await self._keys.record_verification(record, verification.outcome.value, verification.code, found)
        return CheckResult(verification, drift, expiry_updated, record.environment)
