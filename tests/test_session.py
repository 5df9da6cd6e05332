"""The JSON session against the emulator over loopback HTTP: a call with nested objects goes as one
JSON body and arrives typed; an upload still goes as multipart; Telegram's refusals come back as
aiogram's exceptions."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from bot.sandbox.emulator import Emulator
from bot.sandbox.server import create_app, serve
from keybot.session import JsonSession

TOKEN = "4242:SESSION"


@pytest.fixture
async def live() -> AsyncIterator[tuple[Emulator, Bot]]:
    emu = Emulator(TOKEN)
    emu.add_user(7, "Ann")
    runner, port = await serve(create_app(emu))
    bot = Bot(TOKEN, session=JsonSession(api=TelegramAPIServer.from_base(f"http://127.0.0.1:{port}")))
    yield emu, bot
    await bot.session.close()
    await runner.cleanup()


async def test_nested_objects_go_as_one_json_body(live: tuple[Emulator, Bot]) -> None:
    emu, bot = live
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Ok", callback_data="k:1")]])
    sent = await bot.send_message(7, "<b>hi</b>", parse_mode="HTML", reply_markup=keyboard,
                                  disable_notification=False)
    assert sent.text == "hi"
    call = emu.calls[-1]
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "Ok", "callback_data": "k:1"}]]}
    assert call.params["disable_notification"] is False
    assert emu.violations == []


async def test_an_upload_still_goes_as_multipart(live: tuple[Emulator, Bot]) -> None:
    emu, bot = live
    sent = await bot.send_document(7, BufferedInputFile(b"data", filename="f.txt"), caption="file")
    assert sent.document is not None
    assert sent.document.file_name == "f.txt"
    assert emu.violations == []


async def test_refusals_are_aiograms_exceptions(live: tuple[Emulator, Bot]) -> None:
    _emu, bot = live
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(99, "nobody")


async def test_the_bots_defaults_are_sent_as_objects(live: tuple[Emulator, Bot]) -> None:
    from aiogram.client.default import DefaultBotProperties
    from aiogram.types import LinkPreviewOptions

    emu, plain = live
    bot = Bot(TOKEN, session=plain.session, default=DefaultBotProperties(
        parse_mode="HTML", link_preview=LinkPreviewOptions(is_disabled=True)))
    await bot.send_message(7, "see https://example.com <i>now</i>")
    params = emu.calls[-1].params
    assert params["parse_mode"] == "HTML"
    assert params["link_preview_options"] == {"is_disabled": True}
    assert emu.violations == []


@pytest.mark.parametrize("session", ["json", "emulator"])
async def test_answer_models_outlive_the_garbage_collector(live: tuple[Emulator, Bot], session: str) -> None:
    """pydantic caches `Response[bool]` weakly; the sessions hold it, so a collection between two calls
    does not make the next call rebuild it (a few ms each time, seen as ~100 µs per setup button)."""
    import gc
    import weakref

    from aiogram.methods import Response, SetMyCommands
    from aiogram.types import BotCommand

    from bot.sandbox.session import EmulatorSession

    emu, bot = live
    if session == "emulator":
        bot = Bot(TOKEN, session=EmulatorSession(emu))
    assert await bot.set_my_commands([BotCommand(command="start", description="Start")]) is True
    model = weakref.ref(Response[SetMyCommands.__returning__])  # type: ignore[valid-type]
    gc.collect()
    assert model() is not None
