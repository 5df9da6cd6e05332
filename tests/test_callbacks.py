"""Callback data: typed, short, never a secret or a user-typed name, always within 64 bytes."""

from __future__ import annotations

from bot.setup_flow import SUMMARY, Draft
from bot.venues.base import Step
from bot.venues.registry import default_registry
from handlers.callbacks import FlowCb, KeyCb, LangCb, MenuCb, PageCb
from handlers.keys import CHANGES, VIEWS

MAX_SQLITE_ID = 2**63 - 1


def test_longest_callback_data_fits_64_bytes() -> None:
    venues = list(default_registry())
    values = {p.id for p in venues} | {e for p in venues for e in p.environments}
    values |= {perm.id for p in venues for perm in p.permissions}
    values |= {o.id for p in venues for o in p.expiry_options} | {f"e.{s.value}" for s in Step}
    values |= {"back", "cancel", "next", "all", "all!", "keep", "add", "ok", "edit", "show", "y", "n", "none",
               "remind"}
    steps = [s.value for s in Step] + [SUMMARY, "venue", "exp_date", "host"]
    draft = Draft(venue="xt").id
    packed = [FlowCb(step=s, value=v, draft=draft).pack() for s in steps for v in values]
    actions = [*VIEWS, *CHANGES]
    args = ["", *values]
    packed += [KeyCb(id=MAX_SQLITE_ID, action=a, arg=arg, v=MAX_SQLITE_ID).pack() for a in actions for arg in args]
    packed += [MenuCb(action=a).pack() for a in ("add", "keys", "help", "lang", "resume", "discard", "home")]
    packed += [LangCb(code="ru").pack(), PageCb(page=9999).pack()]
    longest = max(packed, key=lambda p: len(p.encode()))
    assert len(longest.encode()) <= 64, longest


def test_every_key_action_has_one_handler() -> None:
    """Each KeyAction is a view (works from any copy of the card) or a change (needs the drawn version)."""
    from handlers.callbacks import KeyAction

    assert set(VIEWS) | set(CHANGES) == set(KeyAction)
    assert not set(VIEWS) & set(CHANGES)
