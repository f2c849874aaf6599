"""Resident identity numbers (GB 11643): 18 characters, and the legacy 15 digits.

Layout of the 18: region code (1-6), birth date YYYYMMDD (7-14), sequence (15-17,
odd for men, even for women), ISO 7064 MOD 11-2 check character (18, 0-9 or X).
The legacy 15 has a two-digit year and no check character; it is upgraded to 18 with
the century 19, except sequences 996-999, which were given to people born in the
1800s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desk_app.identity import regions
from desk_app.identity._fields import (
    CHECK_RULE,
    character_problems,
    digit_problems,
    parse_birth_date,
)
from desk_app.identity.checksums import mod11_2_check
from desk_app.identity.document import (
    Document,
    DocumentKind,
    InvalidDocumentError,
    Problem,
    Sex,
    kind_values,
)

LENGTH = 18
LEGACY_LENGTH = 15
_CENTENARIAN_SEQUENCES = frozenset({"996", "997", "998", "999"})


@dataclass(frozen=True)
class Gb11643Fields:
    """What every GB 11643-shaped number carries (identity numbers, permits, 2023 card)."""

    birth_date: dt.date
    sex: Sex


def read_gb11643(number: str, kind: DocumentKind, today: dt.date) -> Gb11643Fields:
    """Check the shape shared by 18-character GB 11643 numbers.

    Checks the characters, the birth date at positions 7-14 and the check character.

    Args:
        number: 18 normalised characters.
        kind: the kind being read, for the messages.
        today: a birth date may not be after it.

    Returns:
        Birth date and sex.

    Raises:
        InvalidDocumentError: with every problem found, the most basic first.
    """
    problems = digit_problems(number[:17])
    problems += character_problems(number[17], "0123456789X", *CHECK_RULE, first=18)
    if problems:
        raise InvalidDocumentError(problems, kind)
    birth, date_problems = parse_birth_date(number[6:14], 7, today)
    expected = mod11_2_check(number[:17])
    if number[17] != expected:
        # After any date problem: a typo in the date is the cause, the check the symptom.
        date_problems.append(Problem.of("check", 18, expected=expected, actual=number[17]))
    if date_problems or birth is None:
        raise InvalidDocumentError(date_problems, kind)
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return Gb11643Fields(birth, sex)


def upgrade_legacy(number: str) -> str:
    """The 18-character form of a 15-digit legacy number (digits already checked).

    Args:
        number: 15 ASCII digits.

    Returns:
        The number with the century inserted and the check character appended.
    """
    century = "18" if number[12:15] in _CENTENARIAN_SEQUENCES else "19"
    body = number[:6] + century + number[6:]
    return body + mod11_2_check(body)


def parse(number: str, today: dt.date) -> Document:
    """Validate a resident identity number, 18 characters or the legacy 15 digits.

    Args:
        number: normalised text of length 15 or 18.
        today: reference date for the birth date.

    Returns:
        The document, with region and any warnings.

    Raises:
        InvalidDocumentError: saying which position breaks which rule.
    """
    kind = DocumentKind.RESIDENT_ID
    warnings: list[Problem] = []
    upgraded_from = None
    if len(number) == LEGACY_LENGTH:
        problems = digit_problems(number)
        if problems:
            raise InvalidDocumentError(problems, kind)
        legacy = number
        number = upgrade_legacy(number)
        # Validate the 18-digit form, but report date positions in the 15 the clerk sees.
        birth, problems = parse_birth_date(number[6:14], 7, today)
        if problems or birth is None:
            raise InvalidDocumentError(
                [Problem.of("date", position=7, end=12, text=legacy[6:12])], kind
            )
        upgraded_from = legacy
        warnings.append(Problem.of("legacy_upgraded", number=number))
    elif len(number) != LENGTH:
        raise InvalidDocumentError(
            [Problem.of("length", length=len(number), expected=LENGTH, **kind_values(kind))],
            kind,
        )
    fields = read_gb11643(number, kind, today)
    region_code = number[:6]
    region_name = regions.region_name(region_code, fields.birth_date.year)
    if region_name is None:
        warnings.append(Problem.of("region_unknown", 1, code=region_code))
    return Document(
        kind=kind,
        number=number,
        birth_date=fields.birth_date,
        sex=fields.sex,
        region_code=region_code,
        region_name=region_name,
        nationality="CHN",
        upgraded_from=upgraded_from,
        warnings=tuple(warnings),
    )
