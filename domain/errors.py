"""Errors every layer may name."""

from __future__ import annotations


class StorageError(Exception):
    """The database cannot be opened or written; the message is safe to show an operator."""


class NameTaken(Exception):
    """Another live key of this user and venue has the same name."""
