"""SQLite persistence: schema and migrations, repositories and the FSM storage. No aiogram handlers."""

from storage.db import Database

__all__ = ["Database"]
