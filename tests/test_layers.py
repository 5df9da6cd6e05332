"""Layers that only point down: the application (keybot) wires handlers, services and storage; handlers use
only the services; the services (bot) use the domain's interfaces to storage (domain.ports), never the
SQLite package itself; storage implements them and uses nothing above it; the domain's records, clock and
interfaces (domain) use nothing of the project. Checked on every import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.harness import Harness

ROOT = Path(__file__).resolve().parent.parent
# package → the project packages it must never import
FORBIDDEN = {
    "domain": {"bot", "storage", "handlers", "keybot"},
    "bot": {"handlers", "keybot", "storage"},
    "storage": {"bot", "handlers", "keybot"},
    "handlers": {"keybot", "storage"},
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_arrow_points_up(package: str) -> None:
    wrong = {str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
             for path in (ROOT / package).rglob("*.py")}
    assert not {p: w for p, w in wrong.items() if w}


async def test_handlers_are_not_handed_the_settings(h: Harness) -> None:
    """Settings carry the bot token and the master key: the dispatcher gives handlers only what they use."""
    from bot.config import Settings
    from handlers.middlewares import ServicesByName

    handed = [m.services for o in h.dp.observers.values() for m in o.middleware if isinstance(m, ServicesByName)]
    assert handed  # the services reach handlers this way...
    for given in [h.dp.workflow_data, *handed]:
        assert not any(isinstance(value, Settings) for value in given.values())  # ...without the settings
