"""Typed errors that say whose fault a failure is.

Every failure the core raises is a :class:`DeskError` carrying a message for the
clerk in Chinese and English. The subclass says who is at fault, so that the one
error handler in the UI (and the command line) can decide what to show: bad input
is corrected by the clerk, an unreachable platform is waited out, an environment
fault (disk full, locked keyring) needs IT, and a bug gets a crash report.
"""

from __future__ import annotations

from enum import StrEnum


class Fault(StrEnum):
    """Who is at fault for a failure."""

    INPUT = "input"
    PLATFORM_UNREACHABLE = "platform_unreachable"
    PLATFORM_REFUSED = "platform_refused"
    PLATFORM_BAD_ANSWER = "platform_bad_answer"
    ENVIRONMENT = "environment"
    BUG = "bug"


class DeskError(Exception):
    """Base of every error the desk's core raises on purpose.

    Args:
        message_zh: what the clerk reads, in Simplified Chinese.
        message_en: the same in English.
    """

    fault: Fault = Fault.BUG

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, language: str = "zh") -> str:
        """The clerk's message in ``language`` ("zh" or "en")."""
        return self.message_en if language.startswith("en") else self.message_zh


class BadInputError(DeskError):
    """The clerk or the customer gave something that cannot be used."""

    fault = Fault.INPUT
