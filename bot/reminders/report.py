"""The security report over all of a user's keys, like a password manager's watchtower."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.reminders import rules
from bot.venues.registry import VenueRegistry
from domain.models import KeyRecord, KeyStatus, User

SEVERITIES = ("critical", "high", "medium", "low")
FAILED = {"bad_key", "bad_secret", "expired", "not_activated", "permission_denied"}


@dataclass(frozen=True, slots=True)
class Issue:
    severity: str
    kind: str  # locale id suffix: report-<kind>
    record: KeyRecord | None
    fix: str  # the key-card action that fixes it (ver, rot, used, card, keys)


def build(records: list[KeyRecord], venues: VenueRegistry, user: User, now: int) -> list[Issue]:
    issues: list[Issue] = []
    live = [r for r in records if r.status != KeyStatus.DELETED]
    for record in live:
        profile = venues[record.venue]
        if record.status == KeyStatus.PENDING:
            issues.append(Issue("low", "pending", record, "card"))
            continue
        if record.compromised_at is not None:
            issues.append(Issue("critical", "compromised", record, "rot"))
        if profile.ip.supported and not record.ip_allowlist and profile.dangerous(record.permissions):
            issues.append(Issue("critical", "withdraw-no-ip", record, "card"))
        if record.storage == "server" and profile.dangerous(record.permissions):
            # Whoever holds the server's data and master key could move funds with it.
            issues.append(Issue("medium", "withdraw-on-server", record, "lockp"))
        if record.drift:
            danger = any(d.get("kind") in ("danger-enabled", "read-only-but-writes", "ips-open") for d in record.drift)
            issues.append(Issue("critical" if danger else "medium", "drift", record, "card"))
        if record.verify_outcome in FAILED:
            issues.append(Issue("critical", "failed-check", record, "ver"))
        if profile.full_access_token:
            issues.append(Issue("high", "full-access", record, "rot"))
        if record.expires_at is not None:
            left = record.expires_at - now
            if left <= 7 * rules.DAY:
                issues.append(Issue("high", "expired" if left <= 0 else "expiring-soon", record, "rot"))
            elif left <= 30 * rules.DAY:
                issues.append(Issue("medium", "expiring", record, "rot"))
        if record.status == KeyStatus.ACTIVE and now - rules.last_sign_of_use(record) > user.unused_days * rules.DAY:
            issues.append(Issue("medium", "unused", record, "used"))
        if now - (record.rotated_at or record.created_at) > user.rotation_days * rules.DAY:
            issues.append(Issue("medium", "rotation", record, "rot"))
        if profile.has_public_api and record.last_verified_at is None:
            issues.append(Issue("low", "never-checked", record, "ver"))
    counts = Counter(r.venue for r in live)
    for venue, count in counts.items():
        limit = venues[venue].max_keys
        if limit is not None and count > limit and not venues[venue].limit_per_environment:
            issues.append(Issue("medium", "over-limit", None, "keys"))
    return sorted(issues, key=lambda i: SEVERITIES.index(i.severity))
