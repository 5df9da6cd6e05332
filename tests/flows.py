"""Walk the setup flow through the real dispatcher, answering whatever step is shown."""

from __future__ import annotations

from tests.creds import credentials
from tests.harness import USER, Harness, current_state


async def walk_to_credentials(h: Harness, venue_title: str, name: str = "Main key", user: int = USER,
                              ips: str = "8.8.8.8", env_label: str | None = None,
                              host: str = "exchange.mybroker.com") -> None:
    await h.send("/add", user)
    await h.press(venue_title, user)
    for _ in range(20):
        state = await current_state(h, user)
        match state:
            case "AddKey:env":
                await h.press(env_label or "Mainnet", user)
            case "AddKey:host":
                await h.send(host, user)
            case "AddKey:name":
                await h.send(name, user)
            case "AddKey:perms":
                await h.press("Next", user)
            case "AddKey:ro":
                await h.press("Yes, view only", user)
            case "AddKey:ips":
                await h.send(ips, user)
            case "AddKey:exp":
                first = h.buttons(user)[0]["text"]
                await h.press(first, user)
            case "AddKey:act":
                await h.press("Activate now", user)
            case "AddKey:summary":
                await h.press("Confirm", user)
            case "Credentials:paste":
                return
            case _:
                raise AssertionError(f"unexpected state {state}: {h.last_text(user)}")
    raise AssertionError("the flow did not reach the credentials step")


async def bybit_without_ip(h: Harness, name: str = "No IP key", user: int = USER) -> None:
    """The Bybit setup up to the expiry step, read-only and allowed from any IP."""
    await h.send("/add", user)
    await h.press("Bybit", user)
    await h.press("Mainnet", user)
    await h.send(name, user)
    await h.press("Next", user)
    await h.press("Yes, view only", user)
    await h.press("Allow all IPs", user)
    if await current_state(h, user) == "AddKey:ips":  # a confirmation that any IP is meant
        await h.press("any IP", user)


def register_with_venue(h: Harness, venue_id: str, **kwargs: object) -> None:
    """The mock venue learns this test key, so verification after pasting succeeds."""
    from bot.venues.registry import default_registry

    profile = default_registry()[venue_id]
    values = {f.id: f.normalize(v) for f, v in zip(profile.fields, credentials(venue_id), strict=True)}
    if profile.needs_host:
        values["host"] = "exchange.mybroker.com"
    h.venues.register(venue_id, values[profile.public_field.id], fields=values, **kwargs)


async def add_key(h: Harness, venue_id: str, venue_title: str, name: str = "Main key", user: int = USER,
                  **kwargs: str) -> None:
    register_with_venue(h, venue_id)
    await walk_to_credentials(h, venue_title, name, user, **kwargs)
    for value in credentials(venue_id):
        await h.send(value, user)
    assert await current_state(h, user) is None, h.last_text(user)
