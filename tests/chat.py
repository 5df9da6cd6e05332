"""The one way tests act as a person: `Chat` sends, edits and presses in one chat through the Bot API
emulator, and reads back what that person sees. How the bot's answer arrives is the harness's business
(`Settle`): in-process the queued updates are fed to the dispatcher and the answer is complete when that
returns; against a bot process it is awaited. Either way an `expect` is met only by a *new* message or a
*new version* of one, never by text already on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from bot.sandbox.emulator import Emulator, Message

# Other things people send, as Telegram's JSON for them (for `Chat.send(content=...)`).
STICKER = {"sticker": {"file_id": "st1", "file_unique_id": "st1", "type": "regular", "width": 512, "height": 512,
                       "is_animated": False, "is_video": False}}
PHOTO = {"photo": [{"file_id": "ph1", "file_unique_id": "ph1", "width": 90, "height": 90}]}


class Settle(Protocol):
    async def __call__(self, answered: Callable[[], bool], required: bool) -> None:
        """Let the bot handle what was sent; then `answered()` must hold when `required`."""


class Chat:
    def __init__(self, emu: Emulator, user: int, chat: int, settle: Settle) -> None:
        self.emu, self.user, self.chat, self._settle = emu, user, chat, settle

    # --- acting ------------------------------------------------------------------------------------

    async def send(self, text: str | None = None, *, expect: str | None = None, **kwargs: Any) -> Message:
        """A text, or a document (`document=(name, data)`), or other `content`; see `Emulator.user_send`."""
        seen = self._versions()
        msg = await self.emu.user_send(self.user, self.chat, text, **kwargs)
        await self._settle(self._fresh(seen, expect), required=expect is not None)
        return msg

    async def edit(self, msg: Message, text: str, *, expect: str | None = None) -> Message:
        """The person edits their message `msg` to read `text`."""
        seen = self._versions()
        msg = await self.emu.user_edit(self.user, self.chat, msg.message_id, text)
        await self._settle(self._fresh(seen, expect), required=expect is not None)
        return msg

    async def press(self, label: str, *, expect: str | None = None) -> None:
        """Press the one button whose text contains `label` on the newest bot message with buttons."""
        last = self.last(with_buttons=True)
        matches = [b for b in last.buttons() if label in b["text"]]
        if len(matches) != 1:
            raise AssertionError(f"{len(matches)} buttons match {label!r}: {[b['text'] for b in last.buttons()]}")
        await self._press(last.message_id, matches[0]["callback_data"], forged=False, expect=expect)

    async def press_data(self, data: str, message_id: int | None = None, *, expect: str | None = None) -> None:
        """Send callback data for a message whatever its keyboard shows now: a stale tap or a forged one."""
        await self._press(message_id or self.last().message_id, data, forged=True, expect=expect)

    async def _press(self, message_id: int, data: str, *, forged: bool, expect: str | None) -> None:
        seen = self._versions()
        query = await self.emu.user_press(self.user, self.chat, message_id, data, forged=forged)
        # Every press is answered, or the person's client shows a spinner until it times out.
        await self._settle(lambda: query in self.emu.callback_answers, required=True)
        await self._settle(self._fresh(seen, expect), required=expect is not None)

    # --- reading -----------------------------------------------------------------------------------

    def transcript(self) -> list[Message]:
        """Every message of the chat this person can see, deleted ones included."""
        return [m for m in self.emu.messages.get(self.chat, []) if m.receiver_user_id in (None, self.user)]

    def bot_messages(self) -> list[Message]:
        return [m for m in self.transcript() if m.from_id == self.emu.bot.id and not m.deleted]

    def last(self, with_buttons: bool = False) -> Message:
        shown = [m for m in self.bot_messages() if m.reply_markup or not with_buttons]
        if not shown:
            raise AssertionError("the bot has sent nothing" + (" with buttons" if with_buttons else ""))
        return shown[-1]

    def last_text(self) -> str:
        return text_of(self.last())

    def buttons(self) -> list[dict[str, Any]]:
        return self.last(with_buttons=True).buttons()

    def texts_since(self, index: int) -> str:
        """The bot's messages from position `index` of the transcript on (negative counts from the end)."""
        return "\n---\n".join(text_of(m) for m in self.transcript()[index:] if m.from_id == self.emu.bot.id)

    def _versions(self) -> dict[int, int]:
        return {m.message_id: len(m.edits) for m in self.bot_messages()}

    def _fresh(self, seen: dict[int, int], expect: str | None) -> Callable[[], bool]:
        def answered() -> bool:
            return any((m.message_id not in seen or len(m.edits) > seen[m.message_id])
                       and (expect is None or expect in text_of(m)) for m in self.bot_messages())
        return answered


def text_of(msg: Message) -> str:
    """A message's text or caption as the person sees it (`msg.text` keeps the HTML it was sent in)."""
    return (msg.plain if msg.plain is not None else msg.text) or msg.caption or ""
