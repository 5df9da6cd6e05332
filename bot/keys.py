"""Key lifecycle: create from a confirmed draft, take credentials, manage, rotate, reveal, delete.

Every action on a key is audited (never with a secret). Plaintext credentials only pass through
this service on their way into or out of the vault.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from bot.crashpoint import crashpoint
from bot.setup_flow import Draft
from bot.vault import Sealed, Vault
from bot.venues.base import CredentialField, VenueProfile
from bot.venues.registry import VenueRegistry
from domain.clock import Clock
from domain.errors import NameTaken
from domain.models import AuditEntry, ExpiryKind, KeyRecord, KeyStatus, LeakStats, NewKey, SealedField
from domain.ports import AuditRepo, KeyRepo, LeakRepo

__all__ = ["KeyGone", "KeyService", "LimitReached", "NameTaken", "NotStaged", "RotationNotPending",
           "SameCredentials", "mask"]

LIVE = (KeyStatus.PENDING, KeyStatus.ACTIVE, KeyStatus.DISABLED)


class LimitReached(Exception):
    """A venue's key limit; `reason` is a locale id, `limit` the number."""

    def __init__(self, reason: str, limit: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.limit = limit


class KeyGone(Exception):
    """The key was deleted (or never belonged to this user) while the action was on its way."""


class NotStaged(Exception):
    """Not every credential field has been pasted: nothing to commit. `missing` names the fields."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


class SameCredentials(Exception):
    """A rotation's new credentials are the ones the key already has."""


class RotationNotPending(Exception):
    """Confirm or roll back pressed when no rotation is waiting (already settled): nothing changed."""


SLOTS = ("staged", "current", "previous")


def mask(value: str) -> str:
    """First 4 and last 4 characters; short values are hidden completely."""
    value = value.strip()
    if len(value) < 12:
        return "••••"
    return f"{value[:4]}…{value[-4:]}"


@dataclass(frozen=True, slots=True)
class Revealed:
    fields: list[tuple[str, str]]  # (field id, plaintext)


class KeyService:
    def __init__(
        self, keys: KeyRepo, audit: AuditRepo, vault: Vault, venues: VenueRegistry, clock: Clock, leaks: LeakRepo,
    ) -> None:
        self._keys = keys
        self._leaks = leaks
        self._audit = audit
        self._vault = vault
        self._venues = venues
        self._clock = clock
        self._listeners: list[Callable[[int, int], Awaitable[None]]] = []

    def subscribe(self, listener: Callable[[int, int], Awaitable[None]]) -> None:
        """Called with (owner, key id) after every change to a key (the reminder planner listens)."""
        self._listeners.append(listener)

    async def _changed(self, record: KeyRecord) -> None:
        for listener in self._listeners:
            await listener(record.owner_id, record.id)

    def _now(self) -> int:
        return int(self._clock.now().timestamp())

    # --- limits and names ----------------------------------------------------------------------

    async def check_limits(self, owner_id: int, profile: VenueProfile, environment: str | None,
                           host: str | None = None, activating: bool = True) -> None:
        """Raise LimitReached when one more key (or one more active key) would break the venue's rules."""
        if profile.max_keys is not None:
            env = environment if profile.limit_per_environment else None
            count = await self._keys.count(owner_id, profile.id, LIVE, environment=env,
                                           host=host if profile.needs_host else None)
            if count >= profile.max_keys:
                reason = "limit-per-environment" if profile.limit_per_environment else "limit-keys"
                raise LimitReached(reason, profile.max_keys)
        if activating:
            await self.check_active_limit(owner_id, profile)

    async def check_active_limit(self, owner_id: int, profile: VenueProfile) -> None:
        if profile.max_active is not None:
            active = await self._keys.count(owner_id, profile.id, (KeyStatus.ACTIVE,))
            if active >= profile.max_active:
                raise LimitReached("limit-active", profile.max_active)

    async def name_taken(self, owner_id: int, venue: str, name: str, except_id: int | None = None) -> bool:
        return await self._keys.name_taken(owner_id, venue, name, except_id)

    # --- creation --------------------------------------------------------------------------------

    def resolve_expiry(self, draft: Draft, profile: VenueProfile) -> tuple[ExpiryKind, int | None]:
        now = self._clock.now()
        option = next((o for o in profile.expiry_options if o.id == draft.expiry), None)
        if option is not None and option.days > 0:
            return ExpiryKind.VENUE, int((now + timedelta(days=option.days)).timestamp())
        if draft.expiry == "remind" and draft.remind_on:
            day = datetime.fromisoformat(draft.remind_on).date()
            return ExpiryKind.REMIND, int(datetime.combine(day, time(9, 0), UTC).timestamp())
        if profile.no_ip_expiry_days and not draft.ips:
            return ExpiryKind.VENUE, int((now + timedelta(days=profile.no_ip_expiry_days)).timestamp())
        return ExpiryKind.NONE, None

    async def create(self, owner_id: int, draft: Draft) -> KeyRecord:
        """Record a confirmed draft as a pending key; credentials come next."""
        profile = self._venues[draft.venue]
        environment = draft.environment or profile.environments[0]
        kind, expires_at = self.resolve_expiry(draft, profile)
        async with self._keys.transaction():
            await self.check_limits(owner_id, profile, environment, draft.host,
                                    activating=draft.activate is not False)
            key_id = await self._keys.create(
                NewKey(
                    owner_id=owner_id, venue=profile.id, environment=environment, host=draft.host,
                    name=draft.name or profile.title, permissions=list(draft.permissions),
                    read_only=draft.read_only, ip_allowlist=list(draft.ips or []),
                    expiry_kind=kind, expires_at=expires_at, activate=draft.activate is not False,
                ),
                self._now(),
            )
            await self._audit.add(owner_id, key_id, "created", self._now(), profile.id)
        record = await self._keys.get(owner_id, key_id)
        assert record is not None
        return record

    async def adopt(self, owner_id: int, profile: VenueProfile, host: str | None, name: str,
                    permissions: list[str], ips: list[str], public_value: str) -> KeyRecord:
        """Track a key found on the venue (a broker's list): the record, its public id and the audit in
        one transaction, within the venue's limits, and the listeners (reminders) told."""
        async with self._keys.transaction():
            await self.check_limits(owner_id, profile, profile.environments[0], host, activating=False)
            key_id = await self._keys.create(NewKey(
                owner_id=owner_id, venue=profile.id, environment=profile.environments[0], host=host, name=name,
                permissions=permissions, read_only=None, ip_allowlist=ips, expiry_kind=ExpiryKind.NONE,
                expires_at=None), self._now())
            record = await self._keys.get(owner_id, key_id)
            assert record is not None
            await self.stage_field(record, profile.public_field, public_value)
            await self._keys.update(owner_id, key_id, masked_id=mask(public_value))
            await self._audit.add(owner_id, key_id, "adopted_from_venue", self._now())
        adopted = await self._keys.get(owner_id, key_id)
        assert adopted is not None
        await self._changed(adopted)
        return adopted

    # --- credentials -----------------------------------------------------------------------------

    async def stage_field(self, record: KeyRecord, fld: CredentialField, value: str) -> None:
        """Encrypt one pasted field into the staging slot. The plaintext is not kept."""
        value = fld.normalize(value)
        # A key locked with the passphrase stays locked when new credentials are pasted (Locked if the
        # user is not unlocked: the handlers ask for the passphrase before the paste starts).
        sealed = await self._vault.seal(record.owner_id, record.id, fld.id, value, locked=record.storage == "locked")
        await self._keys.put_secret(
            record.id, "staged",
            SealedField(fld.id, sealed.data_key_id, sealed.nonce, sealed.ciphertext, self._vault.fingerprint(value)),
        )

    async def commit_credentials(self, record: KeyRecord, activate: bool, rotating: bool = False) -> KeyRecord:
        """All fields are staged: make them current, in one transaction with the key's status and audit.

        `rotating` comes from what the user started (the flow's mode), never from the key's status: a
        key whose first paste was committed just before a crash is not "rotated" by pasting again."""
        profile = self._venues[record.venue]
        now = self._now()
        async with self._keys.transaction():
            fresh = await self._keys.get(record.owner_id, record.id)
            if fresh is None:
                raise KeyGone
            staged = {s.field: s.fingerprint for s in await self._keys.secrets(fresh.id, "staged")}
            current = {s.field: s.fingerprint for s in await self._keys.secrets(fresh.id, "current")}
            missing = [f.id for f in profile.fields if f.id not in staged]
            if missing:
                if staged and all(current.get(f) == fp for f, fp in staged.items()):
                    # The same paste again after a crash that followed the commit: already saved.
                    await self._keys.drop_slot(fresh.id, "staged")
                    return fresh
                raise NotStaged(missing)
            rotating = rotating and fresh.status != KeyStatus.PENDING and bool(current)
            same = rotating and staged == current
            if not same:
                await self._promote(fresh, profile, rotating, activate, now)
        if same:  # outside the transaction, which raising inside it would roll back
            await self._keys.drop_slot(record.id, "staged")
            raise SameCredentials
        updated = await self._keys.get(record.owner_id, record.id)
        assert updated is not None
        await self._changed(updated)
        return updated

    async def _promote(self, fresh: KeyRecord, profile: VenueProfile, rotating: bool, activate: bool,
                       now: int) -> None:
        """The staged fields become current, with the key's status and the audit (inside a transaction)."""
        # A second rotation before the first is confirmed replaces the unconfirmed set and keeps
        # the one that is known to have worked.
        await self._keys.promote_staged(fresh.id, keep_previous=rotating and not fresh.rotation_pending)
        crashpoint("commit:promoted")
        public = await self._open_field(fresh, "current", profile.public_field.id)
        storage = "locked" if fresh.storage == "locked" else "server"  # a fingerprint-only key stores again
        changes: dict[str, object] = {"masked_id": mask(public or ""), "storage": storage}
        if rotating:
            changes["rotation_pending"] = 1
            changes["rotated_at"] = now
            changes["compromised_at"] = None  # the leaked credentials are no longer the current ones
            await self._leaks.resolve(fresh.id, now, "rotated")
            await self._audit.add(fresh.owner_id, fresh.id, "rotated", now)
        else:
            if fresh.status == KeyStatus.PENDING:
                changes["status"] = KeyStatus.ACTIVE if activate else KeyStatus.DISABLED
                if activate:
                    changes["activated_at"] = now
            await self._audit.add(fresh.owner_id, fresh.id, "credentials_saved", now)
        await self._keys.update(fresh.owner_id, fresh.id, **changes)

    async def discard_staged(self, record: KeyRecord) -> None:
        await self._keys.drop_slot(record.id, "staged")

    async def _open_field(self, record: KeyRecord, slot: str, field_id: str) -> str | None:
        for sealed in await self._keys.secrets(record.id, slot):
            if sealed.field == field_id:
                return await self._vault.open_sealed(
                    record.owner_id, record.id, field_id,
                    Sealed(sealed.data_key_id, sealed.nonce, sealed.ciphertext),
                )
        return None

    async def credentials(self, record: KeyRecord) -> dict[str, str]:
        """The current credentials in plaintext, for one venue call; not audited as a reveal."""
        profile = self._venues[record.venue]
        values = {}
        for fld in profile.fields:
            value = await self._open_field(record, "current", fld.id)
            if value is not None:
                values[fld.id] = value
        return values

    async def public_id(self, record: KeyRecord) -> str | None:
        """The key's public identifier: from its current credentials, else from a staged paste."""
        field_id = self._venues[record.venue].public_field.id
        return await self._open_field(record, "current", field_id) or await self._open_field(record, "staged", field_id)

    async def note(self, record: KeyRecord, action: str, detail: str = "") -> None:
        """An audit entry for an action another service took on the key."""
        await self._audit.add(record.owner_id, record.id, action, self._now(), detail)

    async def _apply(self, record: KeyRecord, action: str, detail: str = "", **changes: object) -> None:
        """Change a key and audit it in one transaction, then tell the listeners."""
        async with self._keys.transaction():
            await self._keys.update(record.owner_id, record.id, **changes)
            await self._audit.add(record.owner_id, record.id, action, self._now(), detail)
        await self._changed(record)

    async def record_verification(self, record: KeyRecord, outcome: str, code: str,
                                  found: tuple[list[dict[str, Any]], dict[str, Any]] | None = None) -> None:
        """The check's outcome; with `found` (the drift and the venue's view of the key, from a check that
        could read them) the last findings are replaced: a clean check clears them."""
        extra: dict[str, object] = {}
        if found is not None:
            extra = {"drift": found[0], "venue_state": found[1]}
        await self._apply(record, "verified", outcome, last_verified_at=self._now(), verify_outcome=outcome,
                          verify_code=code[:64], **extra)

    async def match_venue(self, record: KeyRecord) -> None:
        """Update the record to what the venue said at the last check: permissions, IP list, read-only.
        KeyGone when the key changed since the card was drawn."""
        state = record.venue_state or {}
        changes: dict[str, object] = {"drift": []}
        if "permissions" in state:
            changes["permissions"] = list(state["permissions"])
        if state.get("ips") is not None:
            changes["ip_allowlist"] = list(state["ips"])
        if state.get("read_only") is not None:
            changes["read_only"] = bool(state["read_only"])
        async with self._keys.transaction():
            if not await self._keys.update_if(record.owner_id, record.id, {"version": record.version}, **changes):
                raise KeyGone
            await self._audit.add(record.owner_id, record.id, "matched_to_venue", self._now())
        await self._changed(record)

    async def set_venue_expiry(self, record: KeyRecord, expires_at: int) -> None:
        """The venue's own expiry wins over what the user chose."""
        await self._apply(record, "expiry_from_venue", expiry_kind=ExpiryKind.VENUE, expires_at=expires_at)

    async def reveal(self, record: KeyRecord) -> Revealed:
        """The current credentials for a reveal. Audited, and the key's version moves on, so the
        confirmation that led here cannot be pressed again. KeyGone when the key changed meanwhile."""
        profile = self._venues[record.venue]
        async with self._keys.transaction():
            if not await self._keys.update_if(record.owner_id, record.id, {"version": record.version},
                                              revealed_at=self._now()):
                raise KeyGone
            await self._audit.add(record.owner_id, record.id, "revealed", self._now())
            fields = []
            for fld in profile.fields:
                value = await self._open_field(record, "current", fld.id)
                if value is not None:
                    fields.append((fld.id, value))
        return Revealed(fields)

    # --- management ------------------------------------------------------------------------------

    async def get(self, owner_id: int, key_id: int) -> KeyRecord | None:
        return await self._keys.get(owner_id, key_id)

    async def list_keys(self, owner_id: int) -> list[KeyRecord]:
        return await self._keys.list_live(owner_id)

    async def rename(self, record: KeyRecord, name: str) -> None:
        await self._apply(record, "renamed", name=name)

    async def set_active(self, record: KeyRecord, active: bool) -> None:
        now = self._now()
        async with self._keys.transaction():
            if active and record.status != KeyStatus.ACTIVE:
                await self.check_active_limit(record.owner_id, self._venues[record.venue])
            if active:
                await self._keys.update(record.owner_id, record.id, status=KeyStatus.ACTIVE,
                                        activated_at=record.activated_at or now)
            else:
                await self._keys.update(record.owner_id, record.id, status=KeyStatus.DISABLED)
            await self._audit.add(record.owner_id, record.id, "activated" if active else "deactivated", now)
        await self._changed(record)

    async def set_expiry(self, record: KeyRecord, draft: Draft) -> None:
        profile = self._venues[record.venue]
        draft.ips = record.ip_allowlist
        kind, expires_at = self.resolve_expiry(draft, profile)
        await self._apply(record, "expiry_changed", kind.value, expiry_kind=kind, expires_at=expires_at)

    async def set_health_check(self, record: KeyRecord, on: bool) -> None:
        await self._apply(record, "health_check_on" if on else "health_check_off", health_check=int(on))

    async def mark_used(self, record: KeyRecord) -> None:
        await self._apply(record, "marked_used", last_used_at=self._now())

    async def confirm_rotation(self, record: KeyRecord) -> None:
        """The new credentials work: destroy the previous ones. Only while a rotation is pending."""
        async with self._keys.transaction():
            if not await self._keys.update_if(record.owner_id, record.id, {"rotation_pending": 1},
                                              rotation_pending=0):
                raise RotationNotPending
            await self._keys.drop_slot(record.id, "previous")
            await self._audit.add(record.owner_id, record.id, "rotation_confirmed", self._now())
        await self._changed(record)

    async def rollback_rotation(self, record: KeyRecord) -> None:
        """Back to the previous credentials. Only while a rotation is pending and they still exist."""
        async with self._keys.transaction():
            if not await self._keys.update_if(record.owner_id, record.id, {"rotation_pending": 1},
                                              rotation_pending=0):
                raise RotationNotPending
            if not await self._keys.restore_previous(record.id):
                raise RotationNotPending  # rolls the flag back too: the transaction is abandoned
            public = await self._open_field(record, "current", self._venues[record.venue].public_field.id)
            await self._keys.update(record.owner_id, record.id, masked_id=mask(public or ""))
            await self._audit.add(record.owner_id, record.id, "rotation_rolled_back", self._now())
        await self._changed(record)

    async def delete(self, record: KeyRecord, action: str = "deleted") -> None:
        async with self._keys.transaction():
            await self._keys.destroy(record.owner_id, record.id, self._now())
            await self._leaks.resolve(record.id, self._now(), "deleted")
            await self._audit.add(record.owner_id, record.id, action, self._now())
        await self._changed(record)

    # --- storage modes and panic ----------------------------------------------------------------------

    async def keep_fingerprint_only(self, record: KeyRecord) -> None:
        """Destroy the key's stored credentials; keep their fingerprints (the guard still knows them),
        the metadata and the reminders. Nothing can be revealed or checked afterwards."""
        now = self._now()
        async with self._keys.transaction():
            await self._keys.keep_fingerprints_only(record.id)
            await self._keys.update(record.owner_id, record.id, storage="fingerprint", rotation_pending=0)
            await self._audit.add(record.owner_id, record.id, "fingerprint_only", now)
        await self._changed(record)

    async def set_storage(self, record: KeyRecord, mode: str) -> None:
        """Move a key's stored credentials between the server data key ("server") and the one locked with
        the owner's passphrase ("locked"): every slot re-sealed, swapped in one transaction with the mode
        and the audit. Locked when the owner is not unlocked; KeyGone when the key changed meanwhile."""
        if mode not in ("server", "locked") or record.storage not in ("server", "locked"):
            raise ValueError(f"no move from {record.storage} to {mode}")
        resealed: list[tuple[str, SealedField]] = []
        for slot in SLOTS:
            for old in await self._keys.secrets(record.id, slot):
                plain = await self._vault.open_sealed(record.owner_id, record.id, old.field,
                                                      Sealed(old.data_key_id, old.nonce, old.ciphertext))
                new = await self._vault.seal(record.owner_id, record.id, old.field, plain, locked=mode == "locked")
                resealed.append((slot, SealedField(old.field, new.data_key_id, new.nonce, new.ciphertext,
                                                   old.fingerprint)))
        async with self._keys.transaction():
            if not await self._keys.update_if(record.owner_id, record.id, {"version": record.version},
                                              storage=mode):
                raise KeyGone
            for slot, sealed in resealed:
                await self._keys.put_secret(record.id, slot, sealed)
            await self._audit.add(record.owner_id, record.id, f"storage_{mode}", self._now())
        await self._changed(record)

    async def storage_counts(self, owner_id: int) -> dict[str, int]:
        """How many of the owner's keys are kept in each storage mode."""
        counts = {"server": 0, "locked": 0, "fingerprint": 0}
        for record in await self._keys.list_live(owner_id):
            counts[record.storage] = counts.get(record.storage, 0) + 1
        return counts

    async def forget_secrets(self, owner_id: int) -> None:
        """The passphrase is forgotten: every stored secret destroyed (fingerprints, details and reminders
        kept), so nothing stays sealed under a passphrase no one knows. Not a leak: nothing is marked."""
        await self._destroy_all(owner_id, "fingerprint_only", revoke=False)

    async def panic(self, owner_id: int) -> list[KeyRecord]:
        """Every stored secret of the owner destroyed at once (fingerprints kept), and every key marked
        compromised, so reminders run until each is revoked on its venue. Returns the keys, as now stored."""
        await self._destroy_all(owner_id, "panic", revoke=True)
        return await self._keys.list_live(owner_id)

    async def _destroy_all(self, owner_id: int, action: str, revoke: bool) -> None:
        """Every key of the owner down to its fingerprints, in one transaction; with `revoke`, each key the
        user made is also to be revoked on its venue (a leak record, so the reminders follow it)."""
        now = self._now()
        records = await self._keys.list_live(owner_id)
        async with self._keys.transaction():
            for record in records:
                await self._keys.keep_fingerprints_only(record.id)
                await self._keys.update(owner_id, record.id, storage="fingerprint", rotation_pending=0)
                await self._audit.add(owner_id, record.id, action, now)
                if revoke and record.status != KeyStatus.PENDING:
                    # Whoever holds the session may hold the phone and its other apps too: every key the
                    # user made is to be revoked on its venue, whatever was stored here.
                    await self._keys.update(owner_id, record.id, compromised_at=record.compromised_at or now)
                    await self._leaks.add(owner_id, record.id, "panic", now)
        for record in records:
            await self._changed(record)

    # --- leaks -------------------------------------------------------------------------------------

    async def mark_compromised(self, record: KeyRecord, place: str) -> None:
        """The guard saw this key's secret in a chat: compromised until rotated, deleted or revoked."""
        now = self._now()
        async with self._keys.transaction():
            await self._leaks.add(record.owner_id, record.id, place, now)
            await self._keys.update(record.owner_id, record.id, compromised_at=record.compromised_at or now)
            await self._audit.add(record.owner_id, record.id, "leaked", now, place)
        await self._changed(record)

    async def revoked_on_venue(self, record: KeyRecord) -> bool:
        """The user says the leaked key was revoked on the venue. False when nothing was open."""
        now = self._now()
        async with self._keys.transaction():
            closed = await self._leaks.resolve(record.id, now, "user")
            if not closed and record.compromised_at is None:
                return False
            await self._keys.update(record.owner_id, record.id, compromised_at=None)
            await self._audit.add(record.owner_id, record.id, "leak_revoked", now)
        await self._changed(record)
        return True

    async def leak_stats(self, owner_id: int) -> LeakStats:
        return await self._leaks.stats(owner_id)

    async def history(self, record: KeyRecord, limit: int = 5) -> list[AuditEntry]:
        return await self._audit.last(record.owner_id, record.id, limit)

    async def account_history(self, owner_id: int, limit: int, before: int | None = None
                              ) -> tuple[list[AuditEntry], dict[int, str]]:
        """The owner's audit across keys and the account, newest first, and the names of the keys in it."""
        return await self._audit.recent(owner_id, limit, before), await self._keys.names(owner_id)
