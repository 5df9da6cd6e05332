"""Two workers of one bot (the scale-out configuration: PostgreSQL, and Redis for FSM, locks and
cache announcements) serving the same people: a setup walked with every other update on the other
worker, one button tapped twice at once on both, and a preference changed on one seen by the other."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher

from bot.sandbox.session import EmulatorSession
from keybot.app import Services, create_bot, create_dispatcher, open_services
from tests.creds import credentials
from tests.flows import add_key
from tests.harness import USER, Harness, current_state


@dataclass
class Worker:
    services: Services
    dp: Dispatcher
    bot: Bot


@pytest.fixture
async def two(tmp_path: Path, postgres_server: object, redis_url: str) -> AsyncIterator[tuple[Harness, Worker]]:
    """The harness's own worker and a second one on the same database, Redis and Telegram."""
    url = postgres_server.new_database()  # type: ignore[attr-defined]
    h = await Harness(tmp_path, database_url=url, redis_url=redis_url).start()
    async with AsyncExitStack() as stack:
        services = await stack.enter_async_context(
            open_services(h.settings, h.clock, venue_transport=h.venues.transport()))
        bot = create_bot(h.settings, sleep=h.sleep, session=EmulatorSession(h.emu))
        stack.push_async_callback(bot.session.close)
        yield h, Worker(services, create_dispatcher(services), bot)
    await h.stop()


def alternate(h: Harness, other: Worker) -> None:
    """Every other update goes to the other worker, as a load balancer spreading them would."""
    turn = itertools.count()
    workers = [(h.dp, h.bot), (other.dp, other.bot)]

    async def pump() -> None:
        while updates := h.emu.take_updates():
            for update in updates:
                dp, bot = workers[next(turn) % 2]
                await dp.feed_raw_update(bot, update)

    h.pump = pump  # type: ignore[method-assign]


async def test_a_setup_walked_across_two_workers(two: tuple[Harness, Worker]) -> None:
    h, other = two
    alternate(h, other)
    await add_key(h, "xt", "XT.com", "Across")
    [record] = await other.services.keys.list_keys(USER)
    assert record.name == "Across"
    assert sorted((await other.services.keys.credentials(record)).values()) == sorted(credentials("xt"))
    assert [c.params for c in h.emu.calls if c.method == "answerCallbackQuery" and c.status != 200] == []


async def test_one_button_tapped_twice_at_once_on_two_workers(two: tuple[Harness, Worker]) -> None:
    """Both taps reach different workers at the same moment: the per-user lock in Redis lets one run
    at a time, the first moves the setup on, the second finds its button outdated."""
    h, other = two
    await h.me.send("/add")
    await h.me.press("XT.com")
    await h.me.send("Twice", expect="what may this key do")
    screen = h.me.last(with_buttons=True)
    data = next(b["callback_data"] for b in screen.buttons() if "Next" in b["text"])
    first = await h.emu.user_press(USER, USER, screen.message_id, data)
    second = await h.emu.user_press(USER, USER, screen.message_id, data)
    taps = h.emu.take_updates()
    await asyncio.gather(h.dp.feed_raw_update(h.bot, taps[0]), other.dp.feed_raw_update(other.bot, taps[1]))
    assert await current_state(h) == "AddKey:ips"
    answers = [h.emu.callback_answers[q].get("text", "") for q in (first, second)]
    assert sum("outdated" in a for a in answers) == 1, answers
    assert "which IP addresses" in h.me.last_text()


async def test_a_language_changed_on_one_worker_is_used_by_the_other(two: tuple[Harness, Worker]) -> None:
    h, other = two
    await h.me.send("/start", expect="What would you like to do?")
    await other.dp.feed_raw_update(other.bot, await _update(h, "/help"))  # the other worker caches the user
    assert other.services.shared is not None
    heard = other.services.shared.heard
    await h.services.users.set_language(USER, "ru")
    await asyncio.wait_for(other.services.shared.hear_more_than(heard), 10)  # it travels through Redis
    await other.dp.feed_raw_update(other.bot, await _update(h, "/start"))
    assert "Что вы хотите сделать?" in h.me.last_text()


async def _update(h: Harness, text: str) -> dict[str, object]:
    await h.emu.user_send(USER, USER, text)
    [update] = h.emu.take_updates()
    return update


async def test_two_workers_pace_their_sends_as_one(two: tuple[Harness, Worker]) -> None:
    """The scheduled sends of both workers draw turns from one pace in Redis: a 429 heard by one
    worker's reminders holds the other's."""
    h, other = two
    await h.services.reminders.sender.hold(30)
    assert await other.services.reminders.sender.pace.reserve(USER) > 29
