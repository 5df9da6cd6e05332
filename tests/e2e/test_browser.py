"""The README's first command, `python -m keybot sandbox`, driven by a person in a real headless Chromium:
add a key, paste a secret, see the message removed. Saves a screenshot as a test artefact."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import sys
from pathlib import Path

import pytest

from keybot.sandbox import GROUP_ID
from tests.creds import credentials

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR", Path(__file__).resolve().parents[2] / "artifacts"))

try:
    from playwright.async_api import Page, async_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    async_playwright = None  # type: ignore[assignment]

pytestmark = pytest.mark.skipif(
    (CHROMIUM is None or async_playwright is None) and not os.environ.get("REQUIRE_BROWSER"),
    reason="needs Debian's chromium and the playwright package (CI installs both)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _wait_http(url: str, seconds: float = 60) -> None:
    import aiohttp

    deadline = asyncio.get_running_loop().time() + seconds
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(f"{url}/_sandbox/calls") as resp:
                    if resp.status == 200 and any(c["method"] == "getUpdates" for c in await resp.json()):
                        return
            except aiohttp.ClientError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the sandbox did not come up")
            await asyncio.sleep(0.2)


async def _say(page: Page, text: str) -> None:
    await page.fill("#text", text)
    await page.press("#text", "Enter")


async def _click(page: Page, label: str) -> None:
    await page.locator(".msg").last.locator("button", has_text=label).click()


async def test_sandbox_in_a_real_browser(tmp_path: Path) -> None:
    assert CHROMIUM is not None
    assert async_playwright is not None
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "MASTER_KEY", "MASTER_KEY_FILE"}}
    log = (tmp_path / "sandbox.log").open("wb")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "keybot", "sandbox", "--port", str(port), cwd=tmp_path, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_http(url)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            page = await browser.new_page(viewport={"width": 1100, "height": 900})
            await page.goto(url)
            await page.wait_for_selector(".chat-item")
            await _say(page, "/start")
            await page.get_by_text("What would you like to do?").wait_for()
            await _click(page, "Add key")
            await page.get_by_text("Which venue is it for?").wait_for()
            await _click(page, "XT.com")
            await page.get_by_text("send a name for this key").wait_for()
            await _say(page, "Browser key")
            await page.get_by_text("what may this key do?").wait_for()
            await _click(page, "Next")
            await page.get_by_text("which IP addresses may use this key?").wait_for()
            await _say(page, "8.8.8.8")
            await page.get_by_text("1 address saved").wait_for()
            await _click(page, "No expiry")
            await page.get_by_text("Check your new key").wait_for()
            await _click(page, "Confirm")
            await page.get_by_text("Paste the Access key").wait_for()
            await _say(page, credentials("xt")[0])
            await page.get_by_text("Access key stored").wait_for()
            await _say(page, credentials("xt")[1])
            await page.get_by_text("Credentials stored encrypted").wait_for()
            removed = page.get_by_text("This message was removed by the bot.")
            await removed.nth(1).wait_for()
            assert await removed.count() == 2
            content = await page.content()
            assert credentials("xt")[1] not in content
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "sandbox-chat.png"), full_page=False)

            # The group: Борис leaks a key, the bot removes it and tells only him.
            await page.goto(f"{url}/?user=1002&chat={GROUP_ID}")
            await page.wait_for_selector("#title:has-text('Trading desk')")
            await _say(page, "мой binance secret " + credentials("binance")[1])
            await page.get_by_text("This message was removed by the bot.").wait_for()
            await page.get_by_text("only you can see this").wait_for()
            await page.screenshot(path=str(ARTIFACTS / "sandbox-group.png"), full_page=False)
            assert credentials("binance")[1] not in await page.content()
            await page.goto(f"{url}/?user=1001&chat={GROUP_ID}")
            await page.get_by_text("This message was removed by the bot.").wait_for()
            assert await page.get_by_text("only you can see this").count() == 0
            await browser.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(proc.wait(), 20)
        except TimeoutError:
            proc.kill()
            code = await proc.wait()
        log.close()
    assert code == 0, "the sandbox stops cleanly on SIGTERM"
