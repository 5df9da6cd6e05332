"""B2Trader key management with the user's session token: create a key from the setup's answers,
reconcile the bot's records with the broker's list, delete on the broker. The token is used for the
operation and forgotten, unless the user asks to keep it (then it is encrypted like a secret)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.keys import KeyService
from bot.vault import Sealed, Vault
from bot.venues.b2trader import B2TraderManager, VenueKey
from bot.venues.registry import VenueRegistry
from domain.clock import Clock
from domain.models import KeyRecord, SealedField
from domain.ports import SessionRepo

VENUE = "b2trader"


@dataclass(frozen=True, slots=True)
class SyncResult:
    matched: int
    adopted: list[str] = field(default_factory=list)  # names of keys found only on the broker
    gone: list[KeyRecord] = field(default_factory=list)  # the bot's keys the broker no longer has


class BrokerKeys:
    def __init__(self, manager: B2TraderManager, keys: KeyService, sessions: SessionRepo,
                 vault: Vault, venues: VenueRegistry, clock: Clock) -> None:
        self._manager = manager
        self._keys = keys
        self._sessions = sessions
        self._vault = vault
        self._venues = venues
        self._clock = clock

    def _now(self) -> int:
        return int(self._clock.now().timestamp())

    # --- the session token -------------------------------------------------------------------------

    async def remember(self, owner_id: int, host: str, token: str) -> None:
        field_id = f"session:{VENUE}:{host}"
        sealed = await self._vault.seal(owner_id, 0, field_id, token)
        await self._sessions.put(owner_id, VENUE, host,
                                 SealedField(field_id, sealed.data_key_id, sealed.nonce, sealed.ciphertext, b""),
                                 self._now())

    async def remembered(self, owner_id: int, host: str) -> str | None:
        stored = await self._sessions.get(owner_id, VENUE, host)
        if stored is None:
            return None
        return await self._vault.open_sealed(owner_id, 0, stored.field,
                                             Sealed(stored.data_key_id, stored.nonce, stored.ciphertext))

    async def forget(self, owner_id: int, host: str) -> None:
        await self._sessions.forget(owner_id, VENUE, host)

    # --- operations --------------------------------------------------------------------------------

    async def create(self, record: KeyRecord, token: str) -> KeyRecord:
        """Create on the broker exactly the key the user set up, and store the returned pair."""
        assert record.host is not None
        created = await self._manager.create_key(record.host, token, name=record.name,
                                                 is_info="info" in record.permissions,
                                                 is_trade="trade" in record.permissions, ips=record.ip_allowlist)
        assert created.private_key is not None
        profile = self._venues[VENUE]
        values = {"public_key": created.public_key, "private_key": created.private_key}
        for fld in profile.fields:
            await self._keys.stage_field(record, fld, values[fld.id])
        return await self._keys.commit_credentials(record, activate=True)

    async def sync(self, owner_id: int, host: str, token: str) -> SyncResult:
        remote = {k.public_key.lower(): k for k in await self._manager.list_keys(host, token)}
        mine = [r for r in await self._keys.list_keys(owner_id) if r.venue == VENUE and r.host == host]
        known: set[str] = set()
        gone: list[KeyRecord] = []
        for record in mine:
            public = (await self._keys.public_id(record) or "").lower()
            if not public:
                continue  # not pasted yet: nothing to match on
            known.add(public)
            if public not in remote:
                gone.append(record)
        adopted = [await self._adopt(owner_id, host, key)
                   for key in remote.values() if key.public_key.lower() not in known]
        return SyncResult(matched=len(known) - len(gone), adopted=adopted, gone=gone)

    async def _adopt(self, owner_id: int, host: str, key: VenueKey) -> str:
        """Record a key found only on the broker. Its private half was shown once, on the broker: the
        bot keeps the public key, and the user can paste the private one to complete it."""
        name = key.name or f"B2Trader {key.public_key[:8]}"
        base, n = name, 1
        while await self._keys.name_taken(owner_id, VENUE, name):
            n += 1
            name = f"{base} ({n})"
        profile = self._venues[VENUE]
        await self._keys.adopt(owner_id, profile, host, name, ["info", *(["trade"] if key.is_trade else [])],
                               list(key.ips), key.public_key)
        return name

    async def delete_remote(self, record: KeyRecord, token: str) -> bool:
        assert record.host is not None
        public = await self._keys.public_id(record)
        if not public:
            return False
        return await self._manager.delete_key(record.host, token, public)

