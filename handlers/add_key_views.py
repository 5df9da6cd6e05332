"""Texts and keyboards of the guided setup, one screen per step."""

from __future__ import annotations

import html
from datetime import date, timedelta
from functools import lru_cache

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import Translator
from bot.setup_flow import ORDER, SUMMARY, Draft, applies, missing_ip_for
from bot.venues.base import Step, VenueProfile
from bot.venues.registry import VenueRegistry
from handlers.callbacks import FlowCb
from handlers.keyboards import button, grid, nav, rows

Screen = tuple[str, InlineKeyboardMarkup]


def with_notes(notes: list[str], text: str) -> str:
    return "\n".join(f"<i>{n}</i>" for n in notes) + ("\n\n" if notes else "") + text


@lru_cache(maxsize=16)
def venue_picker(t: Translator, venues: VenueRegistry) -> Screen:
    choices = [button(p.title, FlowCb(step="venue", value=p.id)) for p in venues]
    return t("add-pick-venue"), rows(*grid(choices, 2), nav(t, "venue", back=False))


def perm_label(t: Translator, profile: VenueProfile, perm_id: str) -> str:
    perm = profile.permission(perm_id)
    return perm.api_name if perm else perm_id


def perms_text(t: Translator, profile: VenueProfile, perm_ids: list[str]) -> str:
    return ", ".join(perm_label(t, profile, p) for p in perm_ids) or t("perms-none")


def ips_text(t: Translator, ips: list[str] | None) -> str:
    return ", ".join(ips) if ips else t("ips-any")


def auto_expiry_date(profile: VenueProfile, draft: Draft) -> str | None:
    """The date the venue disables a key without an IP list, counted from the day the setup began."""
    if not profile.no_ip_expiry_days or draft.ips or not draft.started_on:
        return None
    return (date.fromisoformat(draft.started_on) + timedelta(days=profile.no_ip_expiry_days)).isoformat()


def expiry_text(t: Translator, profile: VenueProfile, draft: Draft) -> str:
    if draft.expiry == "remind" and draft.remind_on:
        return t("expiry-remind-on", date=draft.remind_on)
    if draft.expiry in (None, "none", "never"):
        if (on := auto_expiry_date(profile, draft)) and profile.venue_expiry_label:
            return t(profile.venue_expiry_label, date=on)
        return t("expiry-none")
    return t(f"expiry-{draft.expiry}")


def yes_no(t: Translator, value: bool | None) -> str:
    return t("answer-unset") if value is None else t("answer-yes") if value else t("answer-no")


def _environment(t: Translator, profile: VenueProfile, draft: Draft) -> Screen:
    choices = [button(t(f"env-{e}"), FlowCb(step="env", value=e, draft=draft.id)) for e in profile.environments]
    return t("add-env", venue=profile.title), rows(*grid(choices, 3), nav(t, "env", draft.id))


def _permissions(t: Translator, profile: VenueProfile, draft: Draft) -> Screen:
    toggles, lines = [], []
    for perm in profile.permissions:
        on = perm.id in draft.permissions
        mark = "🔒" if perm.required else "✅" if on else "▫️"
        warn = " ⚠️" if perm.danger else ""
        toggles.append(button(f"{mark} {perm.api_name}{warn}",
                              FlowCb(step="perms", value=perm.id, draft=draft.id)))
        lines.append(f"{mark} <b>{html.escape(perm.api_name)}</b>{warn}: {t(profile.perm_locale_id(perm.id))}")
    markup = rows(*grid(toggles, 2), [button(t("btn-next"), FlowCb(step="perms", value="next", draft=draft.id))],
                  nav(t, "perms", draft.id))
    text = t("add-perms", venue=profile.title) + "\n\n" + "\n".join(lines)
    danger = profile.dangerous(draft.permissions)
    if danger:
        text += "\n\n" + t("warn-danger-perms", perms=perms_text(t, profile, danger))
    return text, markup


def _read_only(t: Translator, profile: VenueProfile, draft: Draft) -> Screen:
    line = [button(t("btn-ro-yes"), FlowCb(step="ro", value="y", draft=draft.id)),
            button(t("btn-ro-no"), FlowCb(step="ro", value="n", draft=draft.id))]
    return t("add-ro", venue=profile.title), rows(line, nav(t, "ro", draft.id))


def ip_rules_text(t: Translator, profile: VenueProfile) -> str:
    rules = profile.ip
    if rules.rules_text:
        return t(rules.rules_text)
    parts = [t("ip-rule-v6") if rules.ipv6 else t("ip-rule-v4-only")]
    if rules.cidr:
        parts.append(t("ip-rule-cidr"))
    parts.append(t("ip-rule-max", max=rules.max_entries) if rules.max_entries else t("ip-rule-no-max"))
    return "; ".join(parts)


def no_ip_consequence(t: Translator, profile: VenueProfile) -> str:
    return t(profile.ip.consequence) if profile.ip.consequence else t("no-ip-generic")


def _ips(t: Translator, profile: VenueProfile, draft: Draft) -> Screen:
    line = [button(t("btn-allow-all-ips"), FlowCb(step="ips", value="all", draft=draft.id))]
    if draft.ips:
        line.append(button(t("btn-keep-ips", count=len(draft.ips)),
                           FlowCb(step="ips", value="keep", draft=draft.id)))
    text = t("add-ips", venue=profile.title, rules=ip_rules_text(t, profile))
    if draft.ips:
        text += "\n" + t("ips-current", ips=ips_text(t, draft.ips))
    return text, rows(line, nav(t, "ips", draft.id))


def ips_open_warning(t: Translator, profile: VenueProfile, draft: Draft) -> Screen:
    text = t("warn-any-ip", venue=profile.title) + "\n" + no_ip_consequence(t, profile)
    line = [button(t("btn-add-ips"), FlowCb(step="ips", value="add", draft=draft.id)),
            button(t("btn-any-ip-anyway"), FlowCb(step="ips", value="all!", draft=draft.id))]
    return text, rows(line, nav(t, "ips", draft.id))


def expiry_choices(profile: VenueProfile) -> list[str]:
    return [o.id for o in profile.expiry_options] or ["none", "remind"]


def _expiry(t: Translator, profile: VenueProfile, draft: Draft) -> Screen:
    choices = [button(t(f"expiry-{c}"), FlowCb(step="exp", value=c, draft=draft.id))
               for c in expiry_choices(profile)]
    markup = rows(*grid(choices, 3), nav(t, "exp", draft.id))
    if profile.no_ip_expiry_days and not draft.ips:
        # No "keys do not expire" here: without an IP list this venue disables the key on a known date.
        text = t("add-exp-auto", venue=profile.title, days=profile.no_ip_expiry_days,
                 date=auto_expiry_date(profile, draft) or "-")
    else:
        text = t("add-exp-venue" if profile.expiry_options else "add-exp-none", venue=profile.title)
    return text, markup


def _activate(t: Translator, profile: VenueProfile, draft: Draft) -> Screen:
    line = [button(t("btn-activate-yes"), FlowCb(step="act", value="y", draft=draft.id)),
            button(t("btn-activate-no"), FlowCb(step="act", value="n", draft=draft.id))]
    return t("add-act", venue=profile.title), rows(line, nav(t, "act", draft.id))


def text_step(t: Translator, profile: VenueProfile, draft: Draft, step: str) -> Screen:
    """Steps answered by typing: host, name, a reminder date."""
    prompts = {"host": "add-host", "name": "add-name", "exp_date": "add-exp-date"}
    text = t(prompts[step], venue=profile.title, env=t(f"env-{draft.environment or profile.environments[0]}"))
    if step == "name" and draft.name:
        text += "\n" + t("name-current", name=draft.name)
    return text, rows(nav(t, step, draft.id))


def summary(t: Translator, profile: VenueProfile, draft: Draft) -> Screen:
    lines = [t("summary-title"), "",
             t("summary-venue", venue=profile.title, env=t(f"env-{draft.environment or profile.environments[0]}"))]
    if draft.host:
        lines.append(t("summary-host", host=draft.host))
    lines.append(t("summary-name", name=draft.name or ""))
    if applies(Step.PERMISSIONS, profile):
        lines.append(t("summary-perms", perms=perms_text(t, profile, draft.permissions)))
    if applies(Step.READ_ONLY, profile):
        lines.append(t("summary-ro", answer=yes_no(t, draft.read_only)))
    if applies(Step.IPS, profile):
        lines.append(t("summary-ips", ips=ips_text(t, draft.ips)))
    lines.append(t("summary-expiry", expiry=expiry_text(t, profile, draft)))
    if applies(Step.ACTIVATE, profile):
        lines.append(t("summary-activate", answer=yes_no(t, draft.activate)))
    warnings = [t(w) for w in profile.warnings]
    danger = profile.dangerous(draft.permissions)
    if danger:
        warnings.append(t("warn-danger-perms", perms=perms_text(t, profile, danger)))
    if profile.ip.supported and not draft.ips and profile.writes(draft.permissions):
        warnings.append(no_ip_consequence(t, profile))
    missing = missing_ip_for(draft, profile)
    if missing:
        warnings.append(t("warn-ip-required", venue=profile.title, perms=perms_text(t, profile, missing)))
    if warnings:
        lines += ["", *(f"⚠️ {w}" for w in warnings)]
    markup = rows(
        [button(t("btn-confirm"), FlowCb(step=SUMMARY, value="ok", draft=draft.id)),
         button(t("btn-edit"), FlowCb(step=SUMMARY, value="edit", draft=draft.id))],
        [button(t("btn-cancel"), FlowCb(step=SUMMARY, value="cancel", draft=draft.id))],
    )
    return "\n".join(lines), markup


def edit_menu(t: Translator, profile: VenueProfile, draft: Draft) -> Screen:
    steps = [button(t(f"step-{s.value}"), FlowCb(step=SUMMARY, value=f"e.{s.value}", draft=draft.id))
             for s in ORDER if applies(s, profile)]
    back = [button(t("btn-back"), FlowCb(step=SUMMARY, value="show", draft=draft.id))]
    return t("edit-pick-step"), rows(*grid(steps, 2), back)


_BUTTON_STEPS = {
    Step.ENVIRONMENT: _environment,
    Step.PERMISSIONS: _permissions,
    Step.READ_ONLY: _read_only,
    Step.IPS: _ips,
    Step.EXPIRY: _expiry,
    Step.ACTIVATE: _activate,
}


def screen(t: Translator, profile: VenueProfile, draft: Draft, step: Step | str) -> Screen:
    if step == SUMMARY:
        return summary(t, profile, draft)
    if step in ("host", "name", "exp_date"):
        return text_step(t, profile, draft, str(step))
    return _BUTTON_STEPS[Step(step)](t, profile, draft)
