from tests.harness import Harness


async def test_start_shows_menu(h: Harness) -> None:
    await h.me.send("/start")
    assert "What would you like to do?" in h.me.last_text()
    assert any("Add key" in b["text"] for b in h.me.buttons())
