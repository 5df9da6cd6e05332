"""A logging filter that removes anything the secret detector flags from every record."""

from __future__ import annotations

import logging

from bot.guard.detector import Detector


class RedactingFilter(logging.Filter):
    def __init__(self, detector: Detector) -> None:
        super().__init__()
        self._detector = detector

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self._detector.redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Exception texts are rendered by the formatter; render and redact them here instead.
            formatter = logging.Formatter()
            redacted += "\n" + self._detector.redact(formatter.formatException(record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg = redacted
        record.args = None
        return True


def install(detector: Detector, level: str) -> None:
    """Root logging with redaction on every handler. aiogram's line per update ("Update id=… is handled")
    is left out unless LOG_LEVEL is DEBUG: at INFO it is most of the log and each one passes the redactor."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter(detector))
    if logging.getLevelName(level) > logging.DEBUG:
        logging.getLogger("aiogram.event").setLevel(logging.WARNING)
