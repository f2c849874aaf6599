"""Field checks shared by the validators: each returns problems rather than raising."""

from __future__ import annotations

import datetime as dt

from desk_app.identity.document import Problem
from desk_app.identity.normalize import printable

EARLIEST_BIRTH_YEAR = 1800


def character_problems(
    text: str, allowed: str, rule_zh: str, rule_en: str, first: int = 1
) -> list[Problem]:
    """One ``character`` problem per character of ``text`` not in ``allowed``.

    Args:
        text: the characters to check.
        allowed: the characters this field takes.
        rule_zh: what the field takes, for the Chinese message.
        rule_en: the same in English.
        first: the 1-based position of ``text[0]`` in the whole number.

    Returns:
        The problems, in position order.
    """
    return [
        Problem.of("character", first + i, char=printable(ch), rule_zh=rule_zh, rule_en=rule_en)
        for i, ch in enumerate(text)
        if ch not in allowed
    ]


DIGITS = "0123456789"
DIGIT_RULE = ("数字 0-9", "a digit 0-9")
CHECK_RULE = ("数字 0-9 或 X", "a digit 0-9 or X")


def digit_problems(text: str, first: int = 1) -> list[Problem]:
    """``character`` problems for everything in ``text`` that is not an ASCII digit."""
    return character_problems(text, DIGITS, *DIGIT_RULE, first=first)


def parse_birth_date(
    digits: str, first: int, today: dt.date
) -> tuple[dt.date | None, list[Problem]]:
    """Read an 8-digit ``YYYYMMDD`` birth date.

    Args:
        digits: the eight characters (already checked to be ASCII digits).
        first: 1-based position of the first of them.
        today: the date a birth date may not be after.

    Returns:
        The date, or None and the problem that says why not.
    """
    try:
        birth = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        code = "date"
    else:
        if birth.year < EARLIEST_BIRTH_YEAR:
            code = "date_too_early"
        elif birth > today:
            code = "date_future"
        else:
            return birth, []
    return None, [Problem.of(code, first, end=first + 7, text=digits)]


def two_digit_year(yy: int, today: dt.date, future: bool = False) -> int:
    """The full year of a two-digit year.

    Args:
        yy: 0-99.
        today: the reference date.
        future: True for expiry dates (the next 50 years come first); False for birth
            dates (the most recent year not after today).

    Returns:
        A four-digit year.
    """
    century = today.year - today.year % 100
    year = century + yy
    if future:
        if year < today.year - 50:
            year += 100
        elif year > today.year + 50:
            year -= 100
    elif year > today.year:
        year -= 100
    return year
