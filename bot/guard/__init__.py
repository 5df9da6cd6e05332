"""Secret detection: rules with validators and a scanner that also knows the user's own secrets."""

from bot.guard.detector import Detector, Finding

__all__ = ["Detector", "Finding"]
