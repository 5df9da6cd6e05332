"""Texts and keyboards of the key list, the key card and its actions."""

from __future__ import annotations

import html
from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Html, Translator
from bot.keys import KeyService
from bot.reminders.report import Issue
from bot.venues.base import VenueProfile
from bot.venues.connector import Outcome
from bot.venues.registry import VenueRegistry
from bot.verification import CheckResult
from domain.models import ExpiryKind, KeyRecord, KeyStatus
from handlers.add_key_views import expiry_choices, ips_text, perms_text, yes_no
from handlers.callbacks import KeyCb, MenuCb, PageCb, PanicCb
from handlers.keyboards import button, grid, rows
from handlers.ui import fmt_date, fmt_time

PAGE_SIZE = 8
RISK_BADGES = {"critical": " 🔴", "high": " 🟠", "medium": " 🟡", "low": " ⚪"}
ICONS = {KeyStatus.PENDING: "⏳", KeyStatus.ACTIVE: "🟢", KeyStatus.DISABLED: "⏸", KeyStatus.DELETED: "🗑"}

Screen = tuple[str, InlineKeyboardMarkup]


def icon(record: KeyRecord) -> str:
    return "🔄" if record.rotation_pending else ICONS[record.status]


def record_expiry(t: Translator, record: KeyRecord, profile: VenueProfile | None = None) -> str:
    if record.expires_at is None:
        return t("expiry-none")
    if record.expiry_kind == ExpiryKind.VENUE and profile is not None and profile.venue_expiry_label:
        return t(profile.venue_expiry_label, date=fmt_date(t, record.expires_at))  # what the venue's date means
    key = "expiry-on" if record.expiry_kind == ExpiryKind.VENUE else "expiry-remind-on"
    return t(key, date=fmt_date(t, record.expires_at))


def venue_steps(t: Translator, profile: VenueProfile, record: KeyRecord, activate: bool) -> str:
    """The click-by-click creation steps on the venue, filled in with this key's answers."""
    return t(
        profile.steps_locale_id(record.environment),
        name=record.name, perms=perms_text(t, profile, record.permissions),
        ips=ips_text(t, record.ip_allowlist), expiry=record_expiry(t, record, profile),
        ro=yes_no(t, record.read_only), act=yes_no(t, activate), host=record.host or "",
        env=t(f"env-{record.environment}"),
    )


async def card(t: Translator, keys: KeyService, profile: VenueProfile, record: KeyRecord) -> Screen:
    lines = [
        f"{icon(record)} <b>{_esc(record.name)}</b>",
        t("card-venue", venue=profile.title, env=t(f"env-{record.environment}")),
    ]
    if record.host:
        lines.append(t("summary-host", host=record.host))
    lines += [
        t("card-key", masked=record.masked_id or t("card-no-credentials")),
        t("card-status", status=t(f"status-{record.status.value}")),
    ]
    if profile.permissions:
        lines.append(t("summary-perms", perms=perms_text(t, profile, record.permissions)))
    if record.read_only is not None:
        lines.append(t("summary-ro", answer=yes_no(t, record.read_only)))
    if profile.ip.supported:
        lines.append(t("summary-ips", ips=ips_text(t, record.ip_allowlist)))
    lines += [
        t("summary-expiry", expiry=record_expiry(t, record, profile)),
        t("card-times", created=fmt_time(t, record.created_at), activated=fmt_time(t, record.activated_at),
          used=fmt_time(t, record.last_used_at), verified=fmt_time(t, record.last_verified_at)),
    ]
    lines.append(t(f"card-storage-{record.storage}"))
    if not profile.has_public_api:
        lines.append(t("card-no-api", venue=profile.title))
    elif record.verify_outcome:
        lines.append(t("card-last-check", outcome=t(f"outcome-{record.verify_outcome.replace('_', '-')}"),
                       time=fmt_time(t, record.last_verified_at), code=record.verify_code or "-"))
    if record.drift:
        # Kept from the last check that could read the key on the venue, until a later one clears it.
        lines += ["", t("card-drift", time=fmt_time(t, record.last_verified_at))]
        lines += [f"⚠️ {t('drift-' + d['kind'], **d.get('args', {}))}" for d in record.drift]
    if record.rotation_pending:
        lines += ["", t("card-rotation-pending")]
    if record.compromised_at is not None:
        lines += ["", t("card-compromised", time=fmt_time(t, record.compromised_at),
                        revoke=Html(revoke_advice(t, profile)))]
    return "\n".join(lines), card_keyboard(t, record, profile)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def revoke_advice(t: Translator, profile: VenueProfile) -> str:
    """What to do on the venue with a key the bot no longer keeps, in the venue's own words."""
    return t(profile.locale_id("revoke"))


def compromised_actions(t: Translator, key_id: int) -> list[list[InlineKeyboardButton]]:
    """What to do about a leaked key: rotate it here, or say it was revoked on the venue."""
    return [[button(t("btn-rotate-key"), KeyCb(id=key_id, action="rot")),
             button(t("btn-revoked"), KeyCb(id=key_id, action="revoked"))],
            [button(t("btn-open-key"), KeyCb(id=key_id, action="card"))]]


def card_keyboard(t: Translator, record: KeyRecord, profile: VenueProfile) -> InlineKeyboardMarkup:
    stored = record.storage != "fingerprint"
    verifiable = profile.has_public_api and stored
    def b(label: str, action: str) -> InlineKeyboardButton:
        return button(t(label), KeyCb(id=record.id, action=action, v=record.version))

    back = [button(t("btn-key-list"), MenuCb(action="keys"))]
    broker = [b("broker-sync", "bsync")] if profile.broker_managed and record.host else []
    if record.status == KeyStatus.PENDING:
        return rows([b("btn-paste", "creds")], broker, [b("btn-delete", "del")], back)
    toggle = b("btn-deactivate", "off") if record.status == KeyStatus.ACTIVE else b("btn-activate", "on")
    lines = []
    if record.compromised_at is not None:
        lines.append([b("btn-revoked", "revoked")])
    if record.rotation_pending:
        lines.append([b("btn-rotation-ok", "rok"), b("btn-rotation-back", "rrb")])
    if record.drift:
        lines.append([b("btn-match-venue", "match"), b("btn-fix-on-venue", "fixv")])
    if verifiable:
        lines.append([b("btn-verify", "ver"), b("btn-health-on" if record.health_check else "btn-health-off", "hc")])
    if broker:
        lines.append(broker)
    lines += [
        [b("btn-rename", "ren"), toggle],
        [b("btn-expiry", "exp"), b("btn-mark-used", "used")],
        [b("btn-rotate", "rot"), b("btn-reveal", "rev")] if stored else [b("btn-paste-new", "rot")],
        *([[b("btn-lock-mode", "lockp") if record.storage == "server" else b("btn-server-mode", "srv"),
             b("btn-fingerprint-only", "fp")]] if stored else []),
        [b("btn-history", "hist"), b("btn-delete", "del")],
        back,
    ]
    return rows(*lines)


def confirm(t: Translator, record: KeyRecord, question: str, action: str) -> Screen:
    markup = rows([button(t("btn-yes-sure"), KeyCb(id=record.id, action=action, v=record.version)),
                   button(t("btn-no"), KeyCb(id=record.id, action="card"))])
    return question, markup


def reveal_confirm(t: Translator, record: KeyRecord, seconds: int) -> Screen:
    return confirm(t, record, t("reveal-confirm", seconds=seconds), "rev!")


def delete_confirm(t: Translator, record: KeyRecord, profile: VenueProfile) -> Screen:
    question = t("delete-confirm", name=record.name, venue=profile.title)
    if profile.broker_managed and record.host:
        v = record.version
        return question, rows(
            [button(t("broker-delete-both"), KeyCb(id=record.id, action="bdel", v=v))],
            [button(t("broker-delete-here"), KeyCb(id=record.id, action="del!", v=v))],
            [button(t("btn-no"), KeyCb(id=record.id, action="card"))])
    return confirm(t, record, question, "del!")


def panic_confirm(t: Translator, records: list[KeyRecord]) -> Screen:
    stored = sum(r.storage != "fingerprint" and r.status != KeyStatus.PENDING for r in records)
    return t("panic-confirm", keys=len(records), stored=stored), rows(
        [button(t("btn-panic-go"), PanicCb(action="go"))], [button(t("btn-no"), MenuCb(action="home"))])


def panic_done(t: Translator, venues: VenueRegistry, records: list[KeyRecord]) -> Screen:
    """Every key with the venue's own way to revoke it, whole lines only, and a button per leaked one."""
    lines, length, shown = [t("panic-done")], 0, 0
    for record in records:
        profile = venues[record.venue]
        line = f"\n• <b>{_esc(record.name)}</b> ({profile.title}): {revoke_advice(t, profile)}"
        if length + len(line) > 3000:
            lines.append(t("panic-more", count=len(records) - shown))
            break
        lines.append(line)
        length, shown = length + len(line), shown + 1
    revoked = [[button(t("btn-revoked-named", name=r.name[:24]), KeyCb(id=r.id, action="revoked"))]
               for r in records if r.compromised_at is not None][:20]
    return "\n".join(lines), rows(*revoked, [button(t("btn-key-list"), MenuCb(action="keys"))])


def fingerprint_confirm(t: Translator, record: KeyRecord) -> Screen:
    return confirm(t, record, t("fingerprint-only-confirm", name=record.name), "fp!")


def lock_confirm(t: Translator, record: KeyRecord) -> Screen:
    return confirm(t, record, t("lock-mode-confirm", name=record.name), "lockp!")


def server_confirm(t: Translator, record: KeyRecord) -> Screen:
    return confirm(t, record, t("server-mode-confirm", name=record.name), "srv!")


def expiry_editor(t: Translator, profile: VenueProfile, record: KeyRecord) -> Screen:
    choices = [button(t(f"expiry-{c}"), KeyCb(id=record.id, action="exps", arg=c, v=record.version))
               for c in expiry_choices(profile)]
    markup = rows(*grid(choices, 3), [button(t("btn-back"), KeyCb(id=record.id, action="card"))])
    return t("edit-expiry", name=record.name, current=record_expiry(t, record, profile)), markup


def key_list(t: Translator, venues: VenueRegistry, records: list[KeyRecord], page: int,
             issues: Sequence[Issue] = ()) -> Screen:
    if not records:
        return t("keys-empty"), rows([button(t("btn-add"), MenuCb(action="add"))])
    pages = (len(records) + PAGE_SIZE - 1) // PAGE_SIZE
    page = max(0, min(page, pages - 1))
    chunk = records[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    worst: dict[int, str] = {}
    for issue in issues:  # most severe first: the first one per key is its badge
        if issue.record is not None:
            worst.setdefault(issue.record.id, issue.severity)
    lines = [t("keys-title", count=len(records))]
    if issues:
        lines.append(t("keys-issues", count=len(issues)))
    keyboard: list[list[InlineKeyboardButton]] = []
    venue = None
    for record in chunk:
        title = venues[record.venue].title
        if record.venue != venue:
            venue = record.venue
            lines.append(f"\n<b>{title}</b>")
        env = "" if len(venues[record.venue].environments) == 1 else f" · {t('env-' + record.environment)}"
        badge = RISK_BADGES.get(worst.get(record.id, ""), "")
        lines.append(f"{icon(record)} {_esc(record.name)}{env} <code>{_esc(record.masked_id or '—')}</code>{badge}")
        label = record.name if len(record.name) <= 28 else record.name[:27] + "…"
        keyboard.append([button(f"{icon(record)} {title} · {label}{badge}", KeyCb(id=record.id, action="card"))])
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(button("◀️", PageCb(page=page - 1)))
        nav.append(button(f"{page + 1}/{pages}", PageCb(page=page)))
        if page < pages - 1:
            nav.append(button("▶️", PageCb(page=page + 1)))
        keyboard.append(nav)
    keyboard.append([button(t("btn-add"), MenuCb(action="add")), button(t("btn-menu"), MenuCb(action="home"))])
    return "\n".join(lines), rows(*keyboard)


def check_note(t: Translator, result: CheckResult, egress_ip: str | None) -> str:
    """What a verification found, in words: the outcome, what it means, and every drift."""
    outcome = result.verification.outcome.value.replace("_", "-")
    lines = [t("check-title", outcome=t(f"outcome-{outcome}"), code=result.verification.code or "-"),
             t(f"check-explain-{outcome}", environment=t(f"env-{result.environment}"))]
    if result.verification.outcome in (Outcome.IP_NOT_ALLOWED, Outcome.KEY_IP_OR_PERMISSION):
        lines.append(t("check-egress-ip", ip=egress_ip) if egress_ip else t("check-egress-unknown"))
    lines += [f"⚠️ {t('drift-' + d.kind, **d.args)}" for d in result.drift]
    if result.expiry_updated:
        lines.append(t("check-expiry-updated"))
    return "\n".join(lines)
