"""B2Trader key management in the chat: create the key on the broker, sync with the broker's list,
delete on the broker. The session token is deleted from the chat at once and kept only if asked."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.brokers import BrokerKeys
from bot.i18n import Translator
from bot.keys import KeyService
from bot.venues.b2trader import BrokerRefused, SessionRejected
from bot.venues.http import HostRefused, VenueUnreachable
from bot.venues.registry import VenueRegistry
from bot.verification import VerificationService
from domain.models import KeyRecord
from handlers import key_views
from handlers.callbacks import KeyCb
from handlers.keyboards import button, rows
from handlers.states import BrokerSession
from handlers.ui import delete_quietly, show

OPS = {"bcreate": "create", "bsync": "sync", "bdel": "delete"}


async def start(query: CallbackQuery, record: KeyRecord, action: str, state: FSMContext, t: Translator,
                brokers: BrokerKeys, keys: KeyService, venues: VenueRegistry,
                verifier: VerificationService) -> None:
    """A key-card button for a broker operation: run it with a remembered token, or ask for one."""
    assert record.host is not None
    op = OPS[action]
    token = await brokers.remembered(record.owner_id, record.host)
    if token is not None:
        await show(query, await _run(op, record, token, t, brokers, keys, venues, verifier))
        return
    await state.set_state(BrokerSession.token)
    await state.set_data({"key_id": record.id, "op": op, "remember": False})
    await show(query, t("broker-token-prompt", host=record.host), _prompt_keyboard(t, record, remember=False))


def _prompt_keyboard(t: Translator, record: KeyRecord, remember: bool) -> InlineKeyboardMarkup:
    label = t("broker-remember-on") if remember else t("broker-remember-off")
    return rows([button(label, KeyCb(id=record.id, action="bremember"))],
                [button(t("btn-cancel"), KeyCb(id=record.id, action="card"))])


async def toggle_remember(query: CallbackQuery, record: KeyRecord, state: FSMContext, t: Translator) -> None:
    if await state.get_state() != BrokerSession.token.state:
        await query.answer(t.plain("button-outdated"), show_alert=True)
        return
    remember = not (await state.get_data()).get("remember", False)
    await state.update_data(remember=remember)
    await show(query, t("broker-token-prompt", host=record.host or ""), _prompt_keyboard(t, record, remember))


async def on_token(message: Message, state: FSMContext, t: Translator, user_id: int, brokers: BrokerKeys,
                   keys: KeyService, venues: VenueRegistry, verifier: VerificationService) -> None:
    deleted = await delete_quietly(message)
    data = await state.get_data()
    await state.clear()
    record = await keys.get(user_id, int(data.get("key_id", 0)))
    if record is None or record.host is None or not message.text:
        await message.answer(t("key-not-found" if record is None else "paste-need-text"))
        return
    token = message.text.strip()
    note = await _run(str(data.get("op")), record, token, t, brokers, keys, venues, verifier)
    if data.get("remember") and "❌" not in note:
        await brokers.remember(user_id, record.host, token)
        note += "\n" + t("broker-token-kept")
    if not deleted:
        note = t("paste-undeleted") + "\n" + note
    await message.answer(note, reply_markup=rows([button(t("btn-key-list"), KeyCb(id=record.id, action="card"))]))


async def _run(op: str, record: KeyRecord, token: str, t: Translator, brokers: BrokerKeys, keys: KeyService,
               venues: VenueRegistry, verifier: VerificationService) -> str:
    try:
        if op == "create":
            created = await brokers.create(record, token)
            check = key_views.check_note(t, await verifier.check(created), verifier.egress_ip)
            return t("broker-created", host=record.host or "") + "\n" + check
        if op == "sync":
            result = await brokers.sync(record.owner_id, record.host or "", token)
            lines = [t("broker-sync-result", host=record.host or "", matched=result.matched)]
            lines += [t("broker-sync-adopted", name=name) for name in result.adopted]
            lines += [t("broker-sync-gone", name=gone.name) for gone in result.gone]
            return "\n".join(lines)
        if op == "delete":
            on_venue = await brokers.delete_remote(record, token)
            await keys.delete(record, "deleted_on_venue" if on_venue else "deleted")
            return t("broker-deleted-both" if on_venue else "broker-deleted-not-found", name=record.name)
    except SessionRejected:
        return t("broker-token-rejected")
    except HostRefused:
        return t("host-private")
    except VenueUnreachable:
        return t("broker-unreachable", host=record.host or "")
    except BrokerRefused as exc:
        if op == "delete":
            return t("broker-delete-refused", status=exc.status, name=record.name)
        return t("broker-refused-create" if op == "create" else "broker-refused", status=exc.status)
    except ValueError:
        return t("broker-error")
    return t("button-outdated")


def create_router() -> Router:
    router = Router(name="broker")
    router.message.register(on_token, StateFilter(BrokerSession.token))
    return router
