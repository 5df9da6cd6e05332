"""/panic: for when the Telegram account or the phone is in someone else's hands. After the passphrase
(when one is set), every stored secret is destroyed at once (fingerprints kept, so the guard still knows
them), and the user gets each key with its venue's own way to revoke it; reminders follow until each is."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from bot.keys import KeyService
from bot.stepup import StepUp
from bot.venues.registry import VenueRegistry
from handlers.callbacks import PanicCb
from handlers.key_views import panic_confirm, panic_done
from handlers.stepup import ask_unlock
from handlers.ui import show


async def cmd_panic(message: Message, state: FSMContext, t: Translator, keys: KeyService, stepup: StepUp,
                    user_id: int) -> None:
    if await stepup.required(user_id):
        await ask_unlock(message, state, t, stepup, "panic")
        return
    await state.clear()
    await show(message, *panic_confirm(t, await keys.list_keys(user_id)))


async def on_go(query: CallbackQuery, state: FSMContext, t: Translator, keys: KeyService, venues: VenueRegistry,
                stepup: StepUp, user_id: int) -> None:
    if await stepup.required(user_id):  # a confirmation from an unlocked period that has ended
        await ask_unlock(query, state, t, stepup, "panic")
        return
    records = await keys.panic(user_id)
    await show(query, *panic_done(t, venues, records))


def create_router() -> Router:
    router = Router(name="panic")
    router.message.register(cmd_panic, Command("panic"))
    router.callback_query.register(on_go, PanicCb.filter(F.action == "go"))
    return router
