"""The flow's navigation as pure logic, for every venue."""

from __future__ import annotations

import pytest

from bot.setup_flow import (
    ORDER,
    SUMMARY,
    Draft,
    applies,
    missing_ip_for,
    new_draft,
    next_step,
    previous_step,
    set_read_only,
    toggle_permission,
)
from bot.venues.base import Step
from bot.venues.registry import default_registry

PROFILES = list(default_registry())


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.id)
def test_next_and_back_visit_the_same_steps(profile) -> None:  # type: ignore[no-untyped-def]
    draft = new_draft(profile)
    forward: list[Step] = []
    step: Step | str | None = None
    while (step := next_step(draft, profile, step if step is None else Step(step))) != SUMMARY:
        forward.append(Step(step))
    assert forward == [s for s in ORDER if applies(s, profile)]
    backward = []
    current: Step | str = SUMMARY
    while (prev := previous_step(profile, current)) is not None:
        backward.append(prev)
        current = prev
    assert backward == list(reversed(forward))


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.id)
def test_least_privilege_by_default(profile) -> None:  # type: ignore[no-untyped-def]
    draft = new_draft(profile)
    assert not profile.writes(draft.permissions)
    assert not profile.dangerous(draft.permissions)
    assert all(not p.danger or p.writes for p in profile.permissions)


def test_required_permissions_cannot_be_removed() -> None:
    profile = default_registry()["binance"]
    draft = new_draft(profile)
    assert not toggle_permission(draft, profile, "reading")
    assert draft.permissions == ["reading"]
    assert toggle_permission(draft, profile, "withdraw")
    assert missing_ip_for(draft, profile) == ["withdraw"]
    draft.ips = ["8.8.8.8"]
    assert missing_ip_for(draft, profile) == []


def test_write_permission_after_read_only_clears_it() -> None:
    profile = default_registry()["walletbot"]
    draft = new_draft(profile)
    toggle_permission(draft, profile, "exchange")
    assert set_read_only(draft, profile, True) == ["exchange"]
    assert draft.permissions == ["balance"]
    toggle_permission(draft, profile, "withdrawal")
    assert draft.read_only is False


def test_draft_round_trips_and_ignores_junk() -> None:
    draft = Draft(venue="xt", name="n", ips=["8.8.8.8"])
    assert Draft.from_data({"draft": draft.to_data()}) == draft
    junk = Draft.from_data({"draft": {"venue": "xt", "unknown": 1}})
    assert junk is not None
    assert junk == Draft(venue="xt", id=junk.id)
    assert Draft.from_data({"draft": "garbage"}) is None
    assert Draft.from_data({}) is None
