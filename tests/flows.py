"""Walk the setup flow through the real dispatcher, answering whatever step is shown."""

from __future__ import annotations

from tests.creds import credentials
from tests.harness import USER, Harness, current_state


async def walk_to_credentials(h: Harness, venue_title: str, name: str = "Main key", user: int = USER,
                              ips: str = "8.8.8.8", env_label: str | None = None,
                              host: str = "exchange.mybroker.com") -> None:
    await h.chat(user).send("/add")
    await h.chat(user).press(venue_title)
    for _ in range(20):
        state = await current_state(h, user)
        match state:
            case "AddKey:env":
                await h.chat(user).press(env_label or "Mainnet")
            case "AddKey:host":
                await h.chat(user).send(host)
            case "AddKey:name":
                await h.chat(user).send(name)
            case "AddKey:perms":
                await h.chat(user).press("Next")
            case "AddKey:ro":
                await h.chat(user).press("Yes, view only")
            case "AddKey:ips":
                await h.chat(user).send(ips)
            case "AddKey:exp":
                first = h.chat(user).buttons()[0]["text"]
                await h.chat(user).press(first)
            case "AddKey:act":
                await h.chat(user).press("Activate now")
            case "AddKey:summary":
                await h.chat(user).press("Confirm")
            case "Credentials:paste":
                return
            case _:
                raise AssertionError(f"unexpected state {state}: {h.chat(user).last_text()}")
    raise AssertionError("the flow did not reach the credentials step")


async def bybit_without_ip(h: Harness, name: str = "No IP key", user: int = USER) -> None:
    """The Bybit setup up to the expiry step, read-only and allowed from any IP."""
    await h.chat(user).send("/add")
    await h.chat(user).press("Bybit")
    await h.chat(user).press("Mainnet")
    await h.chat(user).send(name)
    await h.chat(user).press("Next")
    await h.chat(user).press("Yes, view only")
    await h.chat(user).press("Allow all IPs")
    if await current_state(h, user) == "AddKey:ips":  # a confirmation that any IP is meant
        await h.chat(user).press("any IP")


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
        await h.chat(user).send(value)
    assert await current_state(h, user) is None, h.chat(user).last_text()
