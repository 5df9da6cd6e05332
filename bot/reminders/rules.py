"""Which reminders a key should have, and when: a pure function of the key, its venue and the
user's thresholds. Re-planning is safe at any time: a row already sent is never sent again."""

from __future__ import annotations

from bot.venues.base import VenueProfile
from domain.models import KeyRecord, KeyStatus, User

DAY = 86400
EXPIRY_STAGES = (("expiring_30", 30 * DAY), ("expiring_7", 7 * DAY), ("expiring_1", DAY), ("expired", 0))
NEVER_ACTIVATED_AFTER = DAY
ABANDONED_AFTER = 30 * 60
FULL_ACCESS_AGE = 90 * DAY
HEALTH_EVERY = DAY
HOUR = 3600
# A leaked key: reminded an hour after the leak, then less and less often, until it is revoked.
COMPROMISED_STAGES = (HOUR, DAY, 3 * DAY, 7 * DAY, 14 * DAY, 30 * DAY)
# Most urgent first: what a grouped message leads with.
SEVERITY = {"compromised": -1, "expired": 0, "health": 1, "risky_withdraw": 2, "expiring_1": 3, "expiring_7": 4,
            "never_activated": 5, "risky_full_access": 6, "expiring_30": 7, "unused": 8, "rotation": 9, "abandoned": 10}


def last_sign_of_use(record: KeyRecord) -> int:
    """Confirmed still needed, a successful check, or — failing those — when it began."""
    ok_check = record.last_verified_at if record.verify_outcome == "ok" else None
    return max(t for t in (record.last_used_at, ok_check, record.activated_at, record.created_at) if t is not None)


def plan(record: KeyRecord, profile: VenueProfile, user: User, now: int) -> list[tuple[str, int]]:
    if record.status in (KeyStatus.DELETED, KeyStatus.PENDING):
        return []
    out: list[tuple[str, int]] = []
    if record.compromised_at is not None:
        stages = [record.compromised_at + after for after in COMPROMISED_STAGES]
        past = [due for due in stages if due < now]
        # The stages to come, and the latest one already due (sent once, if it has not been).
        out += [("compromised", due) for due in (past[-1:] + [d for d in stages if d >= now])]
    if record.expires_at is not None:
        for kind, before in EXPIRY_STAGES:
            due = record.expires_at - before
            # Stages already past when the expiry became known are moot; the expiry itself never is.
            if due >= now or kind == "expired":
                out.append((kind, due))
    if record.status == KeyStatus.ACTIVE:
        out.append(("unused", last_sign_of_use(record) + user.unused_days * DAY))
    if record.status == KeyStatus.DISABLED and record.activated_at is None:
        out.append(("never_activated", record.created_at + NEVER_ACTIVATED_AFTER))
    if profile.ip.supported and not record.ip_allowlist and profile.dangerous(record.permissions):
        out.append(("risky_withdraw", record.created_at))
    if profile.full_access_token:  # no scopes possible: only its age can be watched
        out.append(("risky_full_access", record.created_at + FULL_ACCESS_AGE))
    out.append(("rotation", (record.rotated_at or record.created_at) + user.rotation_days * DAY))
    if record.health_check and profile.has_public_api and record.storage == "server":  # else nothing to sign with
        out.append(("health", max(now, (record.last_verified_at or now) + HEALTH_EVERY)))
    return out
