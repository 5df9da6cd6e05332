"""The guided key setup as pure logic: the draft, which steps apply, and where Next and Back go.

The draft lives in FSM data, so it must never hold a secret: it holds only the answers.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from bot.venues.base import Step, VenueProfile

ORDER: tuple[Step, ...] = tuple(Step)
SUMMARY = "summary"


def _draft_id() -> str:
    return secrets.token_hex(3)


@dataclass(slots=True)
class Draft:
    venue: str
    id: str = field(default_factory=_draft_id)  # buttons carry it: one drawn for another setup is refused
    environment: str | None = None
    host: str | None = None
    name: str | None = None
    permissions: list[str] = field(default_factory=list)
    read_only: bool | None = None
    ips: list[str] | None = None  # None: not answered yet; []: any IP
    expiry: str | None = None  # an ExpiryOption id, "none" or "remind"
    remind_on: str | None = None  # ISO date for "remind"
    activate: bool | None = None
    editing: bool = False  # came from the summary's Edit: return there after the step
    started_on: str | None = None  # ISO date the setup began: dates the venue sets count from it

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Draft | None:
        raw = data.get("draft")
        if not isinstance(raw, dict):
            return None
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError:
            return None


def applies(step: Step, profile: VenueProfile) -> bool:
    match step:
        case Step.ENVIRONMENT:
            return len(profile.environments) > 1
        case Step.HOST:
            return profile.needs_host
        case Step.NAME:
            return True
        case Step.PERMISSIONS:
            return bool(profile.permissions)
        case Step.READ_ONLY:
            return profile.read_only_switch
        case Step.IPS:
            return profile.ip.supported
        case Step.EXPIRY:
            return True
        case Step.ACTIVATE:
            return profile.asks_activation


def skip_reason(step: Step, profile: VenueProfile) -> str | None:
    """Locale id of the one-line reason a step is skipped; None for steps too trivial to mention."""
    if applies(step, profile) or step in (Step.ENVIRONMENT, Step.HOST):
        return None
    return profile.skip_reasons.get(step, f"skip-{step.value}")


def next_step(draft: Draft, profile: VenueProfile, after: Step | None) -> Step | str:
    """The step after `after` (None: the first), or SUMMARY; Edit jumps straight back to it."""
    if after is not None and draft.editing:
        return SUMMARY
    start = 0 if after is None else ORDER.index(after) + 1
    for step in ORDER[start:]:
        if applies(step, profile):
            return step
    return SUMMARY


def previous_step(profile: VenueProfile, current: Step | str) -> Step | None:
    """The applicable step before `current`; None means back to the venue choice."""
    end = len(ORDER) if current == SUMMARY else ORDER.index(Step(current))
    for step in reversed(ORDER[:end]):
        if applies(step, profile):
            return step
    return None


def skipped_between(profile: VenueProfile, after: Step | None, until: Step | str) -> list[str]:
    """Reasons for the steps jumped over on the way from `after` to `until`."""
    start = 0 if after is None else ORDER.index(after) + 1
    end = len(ORDER) if until == SUMMARY else ORDER.index(Step(until))
    return [r for s in ORDER[start:end] if (r := skip_reason(s, profile)) is not None]


def toggle_permission(draft: Draft, profile: VenueProfile, perm_id: str) -> bool:
    """Flip one permission; required ones stay on. Returns False when nothing changed."""
    perm = profile.permission(perm_id)
    if perm is None or perm.required:
        return False
    if perm_id in draft.permissions:
        draft.permissions.remove(perm_id)
    else:
        draft.permissions.append(perm_id)
        if perm.writes and draft.read_only:
            draft.read_only = False
    draft.permissions.sort(key=lambda p: [x.id for x in profile.permissions].index(p))
    return True


def set_read_only(draft: Draft, profile: VenueProfile, read_only: bool) -> list[str]:
    """Answer the read-only question; returns the write permissions a Yes removed."""
    draft.read_only = read_only
    if not read_only:
        return []
    dropped = [p for p in draft.permissions if (perm := profile.permission(p)) and perm.writes]
    draft.permissions = [p for p in draft.permissions if p not in dropped]
    return dropped


def missing_ip_for(draft: Draft, profile: VenueProfile) -> list[str]:
    """Permissions the venue grants only with an IP list, chosen while the list is empty."""
    if draft.ips:
        return []
    return [p for p in draft.permissions if p in profile.ip.required_for]


def is_complete(draft: Draft, profile: VenueProfile) -> bool:
    """Every applicable step answered: the summary may be confirmed."""
    checks = {
        Step.ENVIRONMENT: draft.environment is not None,
        Step.HOST: draft.host is not None,
        Step.NAME: draft.name is not None,
        Step.PERMISSIONS: True,
        Step.READ_ONLY: draft.read_only is not None,
        Step.IPS: draft.ips is not None,
        Step.EXPIRY: draft.expiry is not None,
        Step.ACTIVATE: draft.activate is not None,
    }
    return all(checks[s] for s in ORDER if applies(s, profile)) and not missing_ip_for(draft, profile)


def new_draft(profile: VenueProfile, today: date | None = None) -> Draft:
    return Draft(
        venue=profile.id,
        started_on=today.isoformat() if today else None,
        environment=profile.environments[0] if len(profile.environments) == 1 else None,
        permissions=profile.default_permissions(),
    )
