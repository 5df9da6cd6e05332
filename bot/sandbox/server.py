"""HTTP for the emulator: the Bot API at /bot<token>/<method>, files at /file/bot<token>/<path>,
the driver API under /_sandbox/ and the web chat page at /."""

from __future__ import annotations

import asyncio
import json
from importlib import resources
from typing import Any

from aiohttp import web

from bot.sandbox.emulator import ApiError, Emulator
from bot.sandbox.spec import UploadedFile, attach_uploads

ANSWER_WAIT_STEPS = 60  # × 50 ms: how long a press waits for the bot's callback answer
EMULATOR: web.AppKey[Emulator] = web.AppKey("emulator", Emulator)


def _envelope(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result}, dumps=lambda o: json.dumps(o, ensure_ascii=False))


def _error(exc: ApiError) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
    if exc.retry_after is not None:
        body["parameters"] = {"retry_after": exc.retry_after}
    return web.json_response(body, status=exc.code)


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
        return params
    if request.method == "POST" and request.can_read_body:
        form = await request.post()
        files = {k: UploadedFile(v.filename, v.file.read()) for k, v in form.items()
                 if isinstance(v, web.FileField)}
        params.update(attach_uploads({k: v for k, v in form.items() if not isinstance(v, web.FileField)}, files))
    return params


async def bot_api(request: web.Request) -> web.Response:
    emu = request.app[EMULATOR]
    if request.match_info["token"] != emu.token:
        return _error(ApiError(401, "Unauthorized"))
    try:
        result = await emu.call(request.match_info["method"], await _params(request))
    except ApiError as exc:
        return _error(exc)
    return _envelope(result)


async def file_download(request: web.Request) -> web.StreamResponse:
    emu = request.app[EMULATOR]
    if request.match_info["token"] != emu.token:
        raise web.HTTPUnauthorized
    file_id = request.match_info["path"].rsplit("/", 1)[-1]
    upload = emu.files.get(file_id)
    if upload is None:
        raise web.HTTPNotFound
    return web.Response(body=upload.data, content_type="application/octet-stream")


async def sandbox_photo(request: web.Request) -> web.StreamResponse:
    """A photo the bot sent, for the web page (which does not know the bot's token); photos only."""
    emu = request.app[EMULATOR]
    file_id = request.match_info["file_id"]
    upload = emu.files.get(file_id) if file_id.startswith("P") else None
    if upload is None:
        raise web.HTTPNotFound
    kind = "image/png" if upload.data.startswith(b"\x89PNG") else "image/jpeg"
    return web.Response(body=upload.data, content_type=kind)


# --- driver API for tests and the web page ---------------------------------------------------------


def _world(emu: Emulator) -> dict[str, Any]:
    return {
        "version": emu.version,
        "bot": emu.bot.json(),
        "users": [u.json() for u in emu.users.values()],
        "chats": [{"id": c.id, "type": c.type, "title": c.title,
                   "members": {str(uid): m.status for uid, m in c.members.items()}} for c in emu.chats.values()],
    }


async def state(request: web.Request) -> web.Response:
    emu = request.app[EMULATOR]
    chat_id = int(request.query.get("chat", "0"))
    return web.json_response({**_world(emu), "messages": emu.transcript(chat_id) if chat_id else []},
                             dumps=lambda o: json.dumps(o, ensure_ascii=False))


async def wait(request: web.Request) -> web.Response:
    emu = request.app[EMULATOR]
    version = await emu.wait_change(int(request.query.get("version", "-1")), seconds=20)
    return web.json_response({"version": version})


async def _driver(request: web.Request, action: str) -> web.Response:
    emu = request.app[EMULATOR]
    try:
        if action == "upload":
            form = await request.post()
            upload = form["file"]
            if not isinstance(upload, web.FileField):
                raise ValueError("file is required")
            msg = await emu.user_send(int(str(form["user"])), int(str(form["chat"])),
                                      document=(upload.filename, upload.file.read()),
                                      caption=str(form.get("caption") or "") or None)
            return web.json_response({"message_id": msg.message_id})
        body = await request.json()
        user, chat = int(body["user"]), int(body["chat"])
        if action == "send":
            msg = await emu.user_send(user, chat, str(body["text"]), forwarded_from=body.get("forwarded_from"),
                                      as_chat=body.get("as_chat"), reply_to=body.get("reply_to"))
            return web.json_response({"message_id": msg.message_id})
        if action == "edit":
            msg = await emu.user_edit(user, chat, int(body["message_id"]), str(body["text"]))
            return web.json_response({"message_id": msg.message_id})
        if action == "press":
            query_id = await emu.user_press(user, chat, int(body["message_id"]), str(body["data"]))
            # Wait briefly for the bot's answer, so the page can show its toast or alert like Telegram.
            for _ in range(ANSWER_WAIT_STEPS):
                if query_id in emu.callback_answers:
                    break
                await asyncio.sleep(0.05)
            answer = emu.callback_answers.get(query_id) or {}
            return web.json_response({"query_id": query_id, "text": answer.get("text") or "",
                                      "show_alert": str(answer.get("show_alert", "")).lower() == "true"})
    except (ValueError, KeyError) as exc:
        return web.json_response({"error": str(exc)}, status=400)
    raise web.HTTPNotFound


async def calls(request: web.Request) -> web.Response:
    emu = request.app[EMULATOR]
    rows = [{"method": c.method, "status": c.status, "description": c.description}
            for c in (emu.violations if request.query.get("violations") else emu.calls)]
    return web.json_response(rows)


async def page(request: web.Request) -> web.Response:
    html = (resources.files("bot.sandbox") / "web" / "chat.html").read_text(encoding="utf-8")
    return web.Response(text=html, content_type="text/html")


async def serve(app: web.Application, host: str = "127.0.0.1", port: int = 0,
                **runner_options: Any) -> tuple[web.AppRunner, int]:
    """Start `app` on host:port (0: any free port); returns the runner to clean up and the port."""
    runner = web.AppRunner(app, access_log=None, **runner_options)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


def create_app(emulator: Emulator) -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app[EMULATOR] = emulator
    app.router.add_route("*", "/bot{token}/{method}", bot_api)
    app.router.add_get("/file/bot{token}/{path:.+}", file_download)
    app.router.add_get("/", page)
    app.router.add_get("/_sandbox/state", state)
    app.router.add_get("/_sandbox/photo/{file_id}", sandbox_photo)
    app.router.add_get("/_sandbox/wait", wait)
    app.router.add_get("/_sandbox/calls", calls)
    for action in ("send", "edit", "press", "upload"):
        app.router.add_post(f"/_sandbox/{action}", _driver_route(action))
    return app


def _driver_route(action: str) -> Any:
    async def handler(request: web.Request) -> web.Response:
        return await _driver(request, action)

    return handler
