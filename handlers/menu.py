"""/start, /help, /language, /cancel and the main menu."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import Locales, Translator
from bot.keys import KeyService
from bot.setup_flow import Draft
from bot.users import UserService
from bot.venues.registry import VenueRegistry
from domain.models import User
from handlers.callbacks import LangCb, MenuCb
from handlers.credentials import leave_pasting
from handlers.filters import CommandOrState
from handlers.keyboards import languages, main_menu
from handlers.states import AddKey
from handlers.ui import show


async def draft_label(state: FSMContext, venues: VenueRegistry) -> str | None:
    """A short label of the unfinished setup, if there is one."""
    current = await state.get_state()
    if not current or not current.startswith(f"{AddKey.__name__}:"):
        return None
    draft = Draft.from_data(await state.get_data())
    profile = venues.get(draft.venue) if draft else None
    if draft is None or profile is None:
        return None
    return f"{profile.title} · {draft.name or '…'}"


async def show_menu(event: Message | CallbackQuery, state: FSMContext, t: Translator,
                    venues: VenueRegistry, note: str | None = None) -> None:
    label = await draft_label(state, venues)
    text = t("menu-draft" if label else "menu")
    await show(event, f"{note}\n\n{text}" if note else text, main_menu(t, label))


async def cmd_start(message: Message, state: FSMContext, t: Translator, user_id: int, keys: KeyService,
                    venues: VenueRegistry) -> None:
    await leave_pasting(state, keys, user_id)
    await show_menu(message, state, t, venues, t("welcome"))


async def menu_home(query: CallbackQuery, state: FSMContext, t: Translator, venues: VenueRegistry) -> None:
    await show_menu(query, state, t, venues)


async def cmd_help(message: Message, t: Translator) -> None:
    await message.answer(t("help"))


async def menu_help(query: CallbackQuery, t: Translator) -> None:
    await show(query, t("help"), main_menu(t))


async def cmd_cancel(message: Message, state: FSMContext, t: Translator, user_id: int,
                     keys: KeyService) -> None:
    if await state.get_state() is None:
        await message.answer(t("nothing-to-cancel"), reply_markup=main_menu(t))
        return
    await leave_pasting(state, keys, user_id)
    await state.clear()
    await message.answer(t("flow-cancelled"), reply_markup=main_menu(t))


async def cmd_language(message: Message, t: Translator) -> None:
    await message.answer(t("language-pick"), reply_markup=languages())


async def menu_language(query: CallbackQuery, t: Translator) -> None:
    await show(query, t("language-pick"), languages())


async def set_language(query: CallbackQuery, callback_data: LangCb, user: User, users: UserService,
                       locales: Locales, state: FSMContext, venues: VenueRegistry) -> None:
    t = locales.get(callback_data.code, user.timezone)
    user_id = user.id
    if t.language != callback_data.code:
        await query.answer()
        return
    await users.set_language(user_id, t.language)
    await show_menu(query, state, t, venues, t("language-set"))


def create_router() -> Router:
    router = Router(name="menu")
    router.message.filter(CommandOrState())
    router.message.register(cmd_start, CommandStart())
    router.callback_query.register(menu_home, MenuCb.filter(F.action == "home"))
    router.message.register(cmd_help, Command("help"))
    router.callback_query.register(menu_help, MenuCb.filter(F.action == "help"))
    router.message.register(cmd_cancel, Command("cancel"))
    router.message.register(cmd_language, Command("language"))
    router.callback_query.register(menu_language, MenuCb.filter(F.action == "lang"))
    router.callback_query.register(set_language, LangCb.filter())
    return router
