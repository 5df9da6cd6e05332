"""aiogram talking to the emulator in the same process: each call is serialised as aiogram's HTTP session
would post it (form fields, JSON-encoded objects, uploads as `attach://`), run by the emulator, and its
answer parsed by aiogram's own response check. No socket, the same rules: tests and benchmarks that do not
need a port use this, the sandbox and the end-to-end tests reach the same emulator over HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile

from bot.sandbox.emulator import ApiError, Emulator
from bot.sandbox.spec import UploadedFile, attach_uploads
from bot.telegram import KeepsResponseModels


class EmulatorSession(KeepsResponseModels):
    def __init__(self, emulator: Emulator) -> None:
        super().__init__()
        self.emulator = emulator

    async def close(self) -> None:
        pass

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType],
                           timeout: int | None = None) -> TelegramType:  # noqa: ASYNC109 (aiogram's signature)
        files: dict[str, InputFile] = {}
        form: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared is not None:
                form[key] = prepared
        uploads = {name: UploadedFile(file.filename or name, b"".join([c async for c in file.read(bot)]))
                   for name, file in files.items()}
        try:
            result = await self.emulator.call(method.__api_method__, attach_uploads(form, uploads))
        except ApiError as exc:
            status, body = exc.code, {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
        else:
            status, body = 200, {"ok": True, "result": result}
        response = self.check_response(bot, method, status, json.dumps(body, ensure_ascii=False))
        return response.result  # type: ignore[return-value]

    async def stream_content(self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,  # noqa: ASYNC109
                             chunk_size: int = 65536, raise_for_status: bool = True
                             ) -> AsyncGenerator[bytes, None]:
        upload = self.emulator.files.get(url.rsplit("/", 1)[-1])
        if upload is None:
            raise ValueError(f"no file at {url}")
        yield upload.data
