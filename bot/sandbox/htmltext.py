"""Telegram's HTML parse mode: which tags it accepts, and the plain text a message has after parsing."""

from __future__ import annotations

import html
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                          "tg-spoiler", "span", "blockquote", "tg-emoji"})


class EntityError(ValueError):
    """Telegram's "can't parse entities" error."""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise EntityError(f"Unsupported start tag \"{tag}\"")
        if tag == "span" and ("class", "tg-spoiler") not in attrs:
            raise EntityError("Unsupported start tag \"span\"")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise EntityError(f"Unexpected end tag \"{tag}\"")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(text: str, parse_mode: str | None) -> str:
    """The text as the user sees it; raises EntityError where Telegram would refuse the markup."""
    if (parse_mode or "").upper() != "HTML":
        return text
    for i, ch in enumerate(text):
        if ch == "<" and not (text[i + 1:i + 2].isalpha() or text[i + 1:i + 2] == "/"):
            raise EntityError(f"Unsupported start tag at byte offset {len(text[:i].encode())}")
        if ch == "&":
            tail = text[i:i + 10]
            if not any(tail.startswith(e) for e in ("&lt;", "&gt;", "&amp;", "&quot;", "&#")):
                offset = len(text[:i].encode())
                raise EntityError(f"Character '&' is reserved and must be escaped at byte offset {offset}")
    parser = _Parser()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise EntityError(f"Can't find end tag corresponding to start tag \"{parser.stack[-1]}\"")
    return html.unescape("".join(parser.parts))
