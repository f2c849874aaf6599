"""Logging that never writes an identity number.

The formatter of every handler masks anything shaped like a document number: 15 to 18
ID characters, MRZ runs, credit codes. urllib3's debug lines (which print URLs with
their query strings) are kept at WARNING.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from pathlib import Path

# 15-18 characters of digits (with an X) or MRZ-like runs with fillers.
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{14,17}[\dXx]|[0-9A-Z<]{9,}<[0-9A-Z<]*|[0-9A-Z]{2}\d{6}[0-9A-Z]{10}"
    # The 2017 foreigner card: three letters and twelve digits.
    r"|[A-Za-z]{3}\d{12})"
    r"(?![0-9A-Za-z])"
)


def redact(text: str) -> str:
    """``text`` with every number-shaped run masked."""
    return _NUMBER.sub(lambda m: "*" * len(m.group(0)), text)


class RedactingFormatter(logging.Formatter):
    """Formats a record, traceback included, then masks every number-shaped run."""

    def format(self, record: logging.LogRecord) -> str:
        """The formatted record, redacted."""
        return redact(super().format(record))


def configure(level: int = logging.WARNING, log_file: Path | None = None) -> None:
    """Log to stderr (and ``log_file``), every handler behind the redacting filter."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        # Rotated: a counter runs for years; five files of 5 MB are plenty for support.
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_file, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8"
            )
        )
    for handler in handlers:
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=handlers, force=True)
    logging.getLogger("urllib3").setLevel(logging.WARNING)
