"""Every text the code can ask for exists in English and Russian, and the files parse cleanly."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast

from bot.guard.detector import KIND_GROUPS, kind_group
from bot.guard.service import MODES
from bot.i18n import LANGUAGES, Locales
from bot.reminders.report import SEVERITIES
from bot.reminders.rules import SEVERITY
from bot.setup_flow import skip_reason
from bot.venues.base import Step
from bot.venues.connector import Outcome
from bot.venues.registry import default_registry
from domain.models import KeyStatus
from handlers.add_key_views import expiry_choices
from keybot.app import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
ALL_KINDS = [*KIND_GROUPS, "token"]
AUDIT_ACTIONS = ["health_check_on", "health_check_off", "verified", "expiry_from_venue", "adopted_from_venue",
                 "deleted_on_venue", "created",
                 "credentials_saved", "rotated", "revealed", "renamed", "activated", "deactivated",
                 "expiry_changed", "marked_used", "rotation_confirmed", "rotation_rolled_back", "deleted"]


def referenced_ids() -> set[str]:
    ids: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            ids |= set(re.findall(r'\bt\(\s*"([a-z][a-z0-9-]*)"', source))
            ids |= set(re.findall(r'\bb\(\s*"([a-z][a-z0-9-]*)"', source))
            ids |= set(re.findall(r'"((?:venue|add|limit|name|format|btn)-[a-z0-9-]+)"', source))
    ids |= {f"cmd-{c}" for c in COMMANDS} | {f"step-{s.value}" for s in Step}
    ids |= {f"status-{s.value}" for s in KeyStatus} | {f"audit-{a.replace('_', '-')}" for a in AUDIT_ACTIONS}
    ids |= {f"name-{r}" for r in ("empty", "too-long", "control")}
    ids |= {f"ip-bad-{r}" for r in ("invalid", "no-cidr", "no-ipv6", "not-public")}
    ids |= {f"leak-kind-{kind_group(k)}" for k in ALL_KINDS}
    ids |= {f"guard-mode-{m}" for m in MODES} | {f"guard-mode-name-{m}" for m in MODES}
    ids |= {"guard-exempted", "guard-unexempted"}
    ids |= {f"outcome-{o.value.replace('_', '-')}" for o in Outcome}
    ids |= {f"rem-{k.replace('_', '-')}" for k in SEVERITY}
    fields = ("timezone", "quiet", "unused-days", "rotation-days")
    ids |= {f"settings-ask-{f}" for f in fields} | {f"settings-bad-{f}" for f in fields}
    ids |= {f"report-severity-{s}" for s in SEVERITIES}
    ids |= {f"report-fix-{f}" for f in ("card", "ver", "rot", "used", "keys")}
    ids |= {f"report-{k}" for k in ("withdraw-no-ip", "failed-check", "full-access", "expired", "expiring-soon",
                                   "expiring", "unused", "rotation", "never-checked", "pending", "over-limit")}
    ids |= {f"check-explain-{o.value.replace('_', '-')}" for o in Outcome}
    ids |= {f"drift-{k}" for k in ("read-only-but-writes", "danger-enabled", "perms-extra", "perms-missing",
                                   "ips-open", "ips-differ", "ips-restricted-unrecorded")}
    for profile in default_registry():
        ids |= {f"env-{e}" for e in profile.environments}
        ids |= {profile.steps_locale_id(e) for e in profile.environments}
        ids |= {profile.perm_locale_id(p.id) for p in profile.permissions}
        ids |= {f"field-{f.id}" for f in profile.fields}
        ids |= {f"format-{profile.id.replace('_', '-')}-{f.id.replace('_', '-')}" for f in profile.fields}
        ids |= {f"expiry-{c}" for c in expiry_choices(profile)} | set(profile.warnings)
        ids |= {r for s in Step if (r := skip_reason(s, profile))}
        if profile.ip.consequence:
            ids.add(profile.ip.consequence)
    # A few ids above are prefixes caught by the broad pattern, not real messages.
    return {i for i in ids if not i.endswith("-")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_referenced_text_exists(language: str) -> None:
    available = Locales().message_ids(language)
    missing = sorted(i for i in referenced_ids() if i not in available)
    assert not missing, f"{language} lacks {missing}"


def test_languages_have_the_same_messages() -> None:
    locales = Locales()
    assert locales.message_ids("en") == locales.message_ids("ru")


@pytest.mark.parametrize("language", LANGUAGES)
def test_ftl_files_have_no_syntax_errors(language: str) -> None:
    folder = resources.files("bot") / "locales" / language
    for entry in folder.iterdir():
        resource = FluentParser().parse(entry.read_text(encoding="utf-8"))
        junk = [e.content or "" for e in resource.body if isinstance(e, ast.Junk)]
        assert not junk, f"{entry.name}: {junk[0][:80]!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_venue_text_renders_with_all_arguments(language: str) -> None:
    t = Locales().get(language)
    args = {"name": "n", "perms": "p", "ips": "i", "expiry": "e", "ro": "r", "act": "a", "host": "h.com",
            "env": "m", "venue": "V", "limit": 3, "days": 90}
    for profile in default_registry():
        for env in profile.environments:
            text = t(profile.steps_locale_id(env), **args)
            assert "{" not in text
            assert text.strip()
