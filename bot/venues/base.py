"""What a venue supports for API keys, as data. The setup flow is driven entirely by these profiles."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class Step(StrEnum):
    """The guided flow, in order."""

    ENVIRONMENT = "env"
    HOST = "host"
    NAME = "name"
    PERMISSIONS = "perms"
    READ_ONLY = "ro"
    IPS = "ips"
    EXPIRY = "exp"
    ACTIVATE = "act"


@dataclass(frozen=True, slots=True)
class Permission:
    id: str
    api_name: str  # the venue's own label, shown in the click-by-click steps
    writes: bool = False  # can place orders or move funds
    danger: bool = False  # withdrawal or transfer: never preselected, always warned
    default: bool = False  # preselected: least privilege
    required: bool = False  # always on at the venue


@dataclass(frozen=True, slots=True)
class IpRules:
    supported: bool
    max_entries: int | None = None  # None: the venue publishes no limit
    ipv6: bool = True
    cidr: bool = False
    required_for: frozenset[str] = frozenset()  # permissions the venue grants only with an IP list
    consequence: str | None = None  # locale id: what the venue does to keys without an IP list
    rules_text: str | None = None  # locale id: the venue's own words for what an entry may be


@dataclass(frozen=True, slots=True)
class VenueAction:
    """Something the venue lets a user do to a key, in the venue's own word for it (docs/venues.md,
    "Revoke actions per venue"). The revoke and fix texts name exactly these."""

    id: str
    label: str
    revokes: bool = False  # stops the key from working


@dataclass(frozen=True, slots=True)
class ExpiryOption:
    id: str
    days: int


@dataclass(frozen=True, slots=True)
class CredentialField:
    id: str  # also the locale id suffix: field-<id>
    pattern: re.Pattern[str]
    public_id: bool = False  # the key's identifier: its masked form is shown on the card
    pem: bool = False  # may arrive as a .pem document
    check: Callable[[str], bool] | None = None  # a deeper check than the pattern (PEM parses, …)
    normalize: Callable[[str], str] = str.strip

    def accepts(self, value: str) -> bool:
        if not self.pattern.fullmatch(value):
            return False
        return self.check is None or self.check(value)


@dataclass(frozen=True, slots=True)
class VenueProfile:
    id: str
    title: str  # brand name, not translated
    environments: tuple[str, ...]
    fields: tuple[CredentialField, ...]
    permissions: tuple[Permission, ...] = ()
    read_only_switch: bool = False
    ip: IpRules = IpRules(supported=False)
    expiry_options: tuple[ExpiryOption, ...] = ()  # empty: no venue expiry ("none" or "remind me")
    asks_activation: bool = False
    needs_host: bool = False
    actions: tuple[VenueAction, ...] = ()
    max_keys: int | None = None
    max_active: int | None = None
    limit_per_environment: bool = False  # xRocket: one token per environment
    has_public_api: bool = True
    full_access_token: bool = False  # one token that can do everything (xRocket): no scopes to narrow
    broker_managed: bool = False  # keys managed on each broker's own host through a session (B2Trader)
    no_ip_expiry_days: int | None = None  # Bybit: keys with no IP bound expire after 90 days
    venue_expiry_label: str | None = None  # locale id ($date): what a date the venue reports means
    unused_hint: str | None = None  # locale id: where the venue shows a key's last use
    # Environments that share another's creation steps (a regional site has the main site's pages).
    steps_variants: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # locale ids
    skip_reasons: dict[Step, str] = field(default_factory=dict)  # locale ids overriding the generic ones

    def permission(self, perm_id: str) -> Permission | None:
        return next((p for p in self.permissions if p.id == perm_id), None)

    def default_permissions(self) -> list[str]:
        return [p.id for p in self.permissions if p.default or p.required]

    def writes(self, perm_ids: list[str]) -> bool:
        return any((p := self.permission(i)) is not None and p.writes for i in perm_ids)

    def dangerous(self, perm_ids: list[str]) -> list[str]:
        return [i for i in perm_ids if (p := self.permission(i)) is not None and p.danger]

    def locale_id(self, suffix: str) -> str:
        return f"venue-{self.id.replace('_', '-')}-{suffix}"

    def perm_locale_id(self, perm_id: str) -> str:
        return self.locale_id(f"perm-{perm_id.replace('_', '-')}")

    def steps_locale_id(self, environment: str) -> str:
        """Click-by-click creation steps; an environment may have its own."""
        if len(self.environments) == 1:
            return self.locale_id("steps")
        return self.locale_id(f"steps-{self.steps_variants.get(environment, environment)}")

    @property
    def public_field(self) -> CredentialField:
        return next((f for f in self.fields if f.public_id), self.fields[0])
