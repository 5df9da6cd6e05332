"""Pasting credentials, one field at a time: each message is deleted at once and its content goes
straight into the vault. Used after the setup flow, for a pending key, and for rotation."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.crashpoint import crashpoint
from bot.i18n import Html, Translator
from bot.keys import KeyGone, KeyService, NotStaged, SameCredentials
from bot.setup_flow import Draft
from bot.venues.base import CredentialField, VenueProfile
from bot.venues.formats import RSA_MAX_BITS, rsa_key_bits
from bot.venues.registry import VenueRegistry
from bot.verification import VerificationService
from domain.models import KeyRecord
from handlers import key_views
from handlers.callbacks import KeyCb
from handlers.keyboards import button, rows
from handlers.states import BrokerSession, Credentials, KeyEdit
from handlers.ui import delete_quietly, show

PEM_MAX_BYTES = 16 * 1024


def _prompt(t: Translator, profile: VenueProfile, record: KeyRecord, index: int) -> str:
    fld = profile.fields[index]
    text = t("paste-field", field=t(f"field-{fld.id}"), n=index + 1, total=len(profile.fields),
             venue=profile.title, name=record.name)
    if fld.pem:
        text += "\n" + t("paste-pem-hint")
    return text


async def begin_credentials(event: Message | CallbackQuery, state: FSMContext, t: Translator,
                            profile: VenueProfile, record: KeyRecord, mode: str,
                            draft: Draft | None = None) -> None:
    """Show where to click on the venue, then ask for the first field."""
    activate = draft.activate is not False if draft else record.status != "disabled"
    await state.set_state(Credentials.paste)
    await state.set_data({"key_id": record.id, "index": 0, "mode": mode, "activate": activate})
    intro = t("rotate-intro", venue=profile.title) if mode == "rotate" else t("create-intro", venue=profile.title)
    steps = key_views.venue_steps(t, profile, record, activate)
    await show(event, f"{intro}\n\n{steps}\n\n{_prompt(t, profile, record, 0)}", _cancel(t, record, profile))


def _cancel(t: Translator, record: KeyRecord, profile: VenueProfile) -> InlineKeyboardMarkup:
    lines = [[button(t("btn-cancel"), KeyCb(id=record.id, action="pcancel"))]]
    if profile.broker_managed and record.status == "pending":
        lines.insert(0, [button(t("broker-create"), KeyCb(id=record.id, action="bcreate", v=record.version))])
    return rows(*lines)


async def _read_value(message: Message, bot: Bot, fld: CredentialField) -> str | None:
    if message.text is not None:
        return message.text
    doc = message.document
    if doc is not None and fld.pem and (doc.file_size or 0) <= PEM_MAX_BYTES:
        buffer = await bot.download(doc.file_id)
        if buffer is None:
            return None
        try:
            return buffer.read(PEM_MAX_BYTES + 1).decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


async def on_paste(message: Message, bot: Bot, state: FSMContext, t: Translator, user_id: int,
                   keys: KeyService, venues: VenueRegistry, verifier: VerificationService) -> None:
    # Whatever arrives here was meant to be a secret: remove it before anything else.
    deleted = await delete_quietly(message)
    if not deleted:
        await message.answer(t("paste-undeleted"))
    data = await state.get_data()
    record = await keys.get(user_id, int(data.get("key_id", 0)))
    if record is None:
        await state.clear()
        await message.answer(t("key-not-found"))
        return
    profile = venues[record.venue]
    index = int(data.get("index", 0))
    if not 0 <= index < len(profile.fields):
        index = 0
    fld = profile.fields[index]
    value = await _read_value(message, bot, fld)
    if value is None:
        await message.answer(t("paste-need-text" if not fld.pem else "paste-need-text-or-pem")
                             + "\n" + _prompt(t, profile, record, index), reply_markup=_cancel(t, record, profile))
        return
    if fld.pem and (rsa_key_bits(value) or 0) > RSA_MAX_BITS:
        await message.answer(t("paste-rsa-too-large", bits=str(rsa_key_bits(value)), max=str(RSA_MAX_BITS)) + "\n"
                             + _prompt(t, profile, record, index), reply_markup=_cancel(t, record, profile))
        return
    if not fld.accepts(fld.normalize(value)):
        await message.answer(t("paste-bad-format", field=t(f"field-{fld.id}"), venue=profile.title,
                               expected=Html(t(f"format-{profile.id.replace('_', '-')}-{fld.id.replace('_', '-')}")))
                             + "\n" + _prompt(t, profile, record, index), reply_markup=_cancel(t, record, profile))
        return
    await keys.stage_field(record, fld, value)
    del value
    if index + 1 < len(profile.fields):
        await state.update_data(index=index + 1)
        await message.answer(t("paste-field-ok", field=t(f"field-{fld.id}")) + "\n"
                             + _prompt(t, profile, record, index + 1), reply_markup=_cancel(t, record, profile))
        return
    rotating = data.get("mode") == "rotate"
    crashpoint("paste:staged")
    try:
        updated = await keys.commit_credentials(record, activate=bool(data.get("activate", True)), rotating=rotating)
    except SameCredentials:
        await state.update_data(index=0)
        await message.answer(t("rotate-same-credentials") + "\n" + _prompt(t, profile, record, 0),
                             reply_markup=_cancel(t, record, profile))
        return
    except KeyGone:
        await state.clear()
        await message.answer(t("key-not-found"))
        return
    except NotStaged as exc:
        first = next(i for i, f in enumerate(profile.fields) if f.id in exc.missing)
        await state.update_data(index=first)
        await message.answer(_prompt(t, profile, record, first), reply_markup=_cancel(t, record, profile))
        return
    crashpoint("paste:committed")
    await state.clear()
    notes = [t("rotate-saved") if rotating else t("credentials-saved")]
    if verifier.supported(updated):
        # Right away: a key typed in is only a hope until the venue accepts it.
        notes.append(key_views.check_note(t, await verifier.check(updated), verifier.egress_ip))
        updated = await keys.get(user_id, updated.id) or updated
        crashpoint("paste:verified")
    if rotating:
        notes.append(t("rotate-revoke-old", action=Html(key_views.revoke_advice(t, profile))))
    text, markup = await key_views.card(t, keys, profile, updated)
    await message.answer("\n\n".join([*notes, text]), reply_markup=markup)


async def leave_pasting(state: FSMContext, keys: KeyService, user_id: int) -> None:
    """End a pasting, key edit or token prompt in progress; staged fields are destroyed. A setup draft stays."""
    current = await state.get_state()
    if current in (KeyEdit.rename.state, KeyEdit.exp_date.state, BrokerSession.token.state):
        await state.clear()
    if current != Credentials.paste.state:
        return
    data = await state.get_data()
    record = await keys.get(user_id, int(data.get("key_id", 0)))
    if record is not None:
        await keys.discard_staged(record)
    await state.clear()


def create_router() -> Router:
    router = Router(name="credentials")
    router.message.register(on_paste, StateFilter(Credentials.paste))
    return router
