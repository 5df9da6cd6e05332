"""The Bot API's rules from its machine-readable reference: methods, fields, types, required flags
and the size limits stated in the descriptions ("1-4096 characters", "1-64 bytes", …).

The reference is vendored, trimmed, as `botapi.json` (MIT, © 2020 Paul Larsen, see NOTICE-botapi.md).
`python -m bot.sandbox.spec SOURCE` regenerates it from the full api.json.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

_LIMIT = re.compile(r"(\d+)-(\d+)\s+(characters|bytes|identifiers)")
_INT_RANGE = re.compile(r"[Vv]alues between (\d+)-(\d+)")
# Fields of InlineKeyboardButton that are not its action.
BUTTON_DECORATION = {"text", "icon_custom_emoji_id", "style"}


def trim(full: dict[str, Any]) -> dict[str, Any]:
    """Keep names, types, required flags and parsed limits; drop the prose."""

    def fields(entry: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for f in entry.get("fields", []):
            item: dict[str, Any] = {"types": f["types"], "required": f["required"]}
            desc = f.get("description", "")
            if m := _LIMIT.search(desc):
                item["limit"] = [int(m.group(1)), int(m.group(2)), m.group(3)]
            elif m := _INT_RANGE.search(desc):
                item["range"] = [int(m.group(1)), int(m.group(2))]
            out[f["name"]] = item
        return out

    return {
        "version": full["version"],
        "methods": {name: {"fields": fields(m), "returns": m.get("returns", [])}
                    for name, m in full["methods"].items()},
        "types": {name: {"fields": fields(t), "subtypes": t.get("subtypes", [])} for name, t in full["types"].items()},
    }


class Spec:
    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.methods: dict[str, Any] = data["methods"]
        self.types: dict[str, Any] = data["types"]
        self._lower = {name.lower(): name for name in self.methods}

    @classmethod
    @cache
    def load(cls) -> Spec:
        folder = resources.files("bot.sandbox")
        data = json.loads((folder / "botapi.json").read_text(encoding="utf-8"))
        overlay = json.loads((folder / "botapi-overlay.json").read_text(encoding="utf-8"))
        for kind in ("methods", "types"):
            for name, entry in overlay[kind].items():
                if name in data[kind]:
                    data[kind][name]["fields"].update(entry["fields"])
                else:
                    data[kind][name] = entry
        return cls(data)

    def method_name(self, name: str) -> str | None:
        """Telegram matches method names case-insensitively."""
        return self._lower.get(name.lower())

    def check(self, method: str, params: dict[str, Any]) -> list[str]:
        """Every rule of `method` that `params` breaks, as Telegram-like descriptions."""
        spec = self.methods[method]
        problems: list[str] = []
        for name, field in spec["fields"].items():
            if name not in params or params[name] is None:
                if field["required"]:
                    problems.append(f"Bad Request: parameter \"{name}\" is required")
                continue
            problems += self._check_value(f"{name}", params[name], field)
        return problems

    def unknown(self, method: str, params: dict[str, Any]) -> list[str]:
        """Parameters the method does not have: Telegram ignores them, so they are only reported."""
        return [name for name in params if name not in self.methods[method]["fields"]]

    def _check_value(self, path: str, value: Any, field: dict[str, Any]) -> list[str]:
        if isinstance(value, UploadedFile) and path.endswith(".media"):
            return []  # InputMedia.media is a String: a file_id, a URL, or the "attach://" of this upload
        errors = [e for t in field["types"] if (e := self._check_type(path, value, t)) is not None]
        if len(errors) == len(field["types"]):
            return [errors[0]]
        return self._check_limit(path, value, field)

    @staticmethod
    def _check_limit(path: str, value: Any, field: dict[str, Any]) -> list[str]:
        if "limit" in field:
            low, high, unit = field["limit"]
            if unit == "identifiers" and isinstance(value, list):
                size = len(value)
            elif isinstance(value, str):
                size = len(value.encode()) if unit == "bytes" else len(value)
            else:
                return []
            if not low <= size <= high:
                return [f"Bad Request: {path} must be {low}-{high} {unit}, got {size}"]
        if "range" in field and isinstance(value, int) and not field["range"][0] <= value <= field["range"][1]:
            return [f"Bad Request: {path} must be between {field['range'][0]} and {field['range'][1]}"]
        return []

    def _check_type(self, path: str, value: Any, type_name: str) -> str | None:
        """None when `value` is a `type_name`, else why not."""
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                return f"Bad Request: {path} must be an array"
            inner = type_name[len("Array of "):]
            for i, item in enumerate(value):
                if (err := self._check_type(f"{path}[{i}]", item, inner)) is not None:
                    return err
            return None
        simple = {
            "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "String": lambda v: isinstance(v, str),
            "Boolean": lambda v: isinstance(v, bool),
            "InputFile": lambda v: isinstance(v, bytes | UploadedFile),
        }
        if type_name in simple:
            return None if simple[type_name](value) else f"Bad Request: {path} must be {type_name}"
        return self._check_object(path, value, type_name)

    def _check_object(self, path: str, value: Any, type_name: str) -> str | None:
        spec = self.types.get(type_name)
        if spec is None:
            return f"Bad Request: unknown type {type_name}"
        if not isinstance(value, dict):
            return f"Bad Request: {path} must be an object of type {type_name}"
        if spec["subtypes"]:
            errors = [self._check_object(path, value, sub) for sub in spec["subtypes"]]
            return None if any(e is None for e in errors) else errors[0]
        for name, field in spec["fields"].items():
            if name not in value:
                if field["required"]:
                    return f"Bad Request: {path}.{name} is required in {type_name}"
                continue
            if problems := self._check_value(f"{path}.{name}", value[name], field):
                return problems[0]
        unknown = set(value) - set(spec["fields"])
        if unknown:
            return f"Bad Request: {path} has fields {sorted(unknown)} unknown to {type_name}"
        if type_name == "InlineKeyboardButton":
            actions = [k for k in value if k not in BUTTON_DECORATION]
            if len(actions) != 1:
                return f"Bad Request: {path} must have exactly one action, has {actions}"
        return None


@dataclass(frozen=True, slots=True)
class UploadedFile:
    filename: str
    data: bytes


def attach_uploads(form: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
    """A multipart request's fields with each `attach://name` replaced by the uploaded file, as Telegram
    reads them: a whole field (sendDocument) or the `media` inside editMessageMedia's JSON object."""
    params: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = files.get(value[len("attach://"):], value)
        elif key == "media" and isinstance(value, str):
            media = json.loads(value)
            ref = str(media.get("media", ""))
            if ref.startswith("attach://"):
                media["media"] = files.get(ref[len("attach://"):], ref)
            params[key] = media
        else:
            params[key] = value
    for key, upload in files.items():
        if key not in params and key in ("document", "photo", "thumbnail"):
            params[key] = upload
    return params


def main(argv: list[str]) -> int:
    source = Path(argv[0])
    target = Path(__file__).with_name("botapi.json")
    target.write_text(json.dumps(trim(json.loads(source.read_text(encoding="utf-8"))), separators=(",", ":")),
                      encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size} bytes)")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
