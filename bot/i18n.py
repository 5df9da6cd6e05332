"""Texts from Fluent (.ftl) files in bot/locales/<lang>/, English as the fallback.

Every message is sent with HTML parse mode, so string arguments are HTML-escaped here, once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

LANGUAGES = ("en", "ru")
DEFAULT = "en"
_TAG = re.compile(r"<[^<>]{0,200}>")


class Html(str):
    """An argument that is already safe HTML (another rendered text): not escaped again."""

    __slots__ = ()


def pick_language(language_code: str | None) -> str:
    """The user's Telegram language when we speak it, English otherwise."""
    code = (language_code or "").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT


class Translator:
    """Texts of one language, and the time zone times are shown in."""

    def __init__(self, language: str, bundle: FluentBundle, fallback: FluentBundle | None,
                 tz: str = "UTC") -> None:
        self.language = language
        self.tz = tz
        self._bundle = bundle
        self._fallback = fallback

    def __call__(self, msg_id: str, **args: Any) -> str:
        safe = {
            k: html.escape(v, quote=False) if isinstance(v, str) and not isinstance(v, Html) else v
            for k, v in args.items()
        }
        for bundle in (self._bundle, self._fallback):
            if bundle is not None and bundle.has_message(msg_id):
                pattern = bundle.get_message(msg_id).value
                if pattern is None:
                    break
                text, errors = bundle.format_pattern(pattern, safe)
                if errors:
                    raise KeyError(f"{msg_id}: {errors[0]}")
                return str(text)
        raise KeyError(f"no text {msg_id!r} in {self.language}")

    def plain(self, msg_id: str, **args: Any) -> str:
        """The same text for places that show no HTML (button labels, callback alerts): markup removed
        and entities decoded, so "Tom & Jerry" reads as typed, never as "Tom &amp; Jerry"."""
        return html.unescape(_TAG.sub("", self(msg_id, **args)))


class Locales:
    """All languages, loaded once at start-up."""

    def __init__(self, languages: Iterable[str] = LANGUAGES) -> None:
        self._bundles: dict[str, FluentBundle] = {}
        root = resources.files("bot") / "locales"
        for lang in languages:
            bundle = FluentBundle([lang], use_isolating=False)
            for entry in sorted((root / lang).iterdir(), key=lambda e: e.name):
                if entry.name.endswith(".ftl"):
                    bundle.add_resource(FluentResource(entry.read_text(encoding="utf-8")))
            self._bundles[lang] = bundle

        # One immutable translator per language, so views can memoise on it.
        self._zoned: dict[tuple[str, str], Translator] = {}
        self._translators = {
            lang: Translator(lang, bundle, self._bundles[DEFAULT] if lang != DEFAULT else None)
            for lang, bundle in self._bundles.items()
        }

    def get(self, language: str, tz: str = "UTC") -> Translator:
        """Shared, immutable translators: one per language and time zone in use."""
        base = self._translators.get(language, self._translators[DEFAULT])
        if tz == "UTC":
            return base
        key = (base.language, tz)
        if key not in self._zoned:
            self._zoned[key] = Translator(base.language, self._bundles[base.language],
                                          self._bundles[DEFAULT] if base.language != DEFAULT else None, tz)
        return self._zoned[key]

    def message_ids(self, language: str) -> set[str]:
        return set(self._bundles[language]._messages)
