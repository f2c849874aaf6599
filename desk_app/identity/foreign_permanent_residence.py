"""Foreigners' permanent residence identity cards.

Two generations are in circulation:

* 2017 card, 15 characters: ISO 3166 alpha-3 nationality (1-3), issuing office code
  (4-7), birth date YYMMDD (8-13), sequence (14), and an ICAO 7-3-1 check digit (15).
* 2023 card, 18 characters in the GB 11643 shape: ``9`` (1), province of the issuing
  office (2-3), ISO 3166 numeric nationality (4-6), birth date YYYYMMDD (7-14),
  sequence (15-17), MOD 11-2 check character (18).

Nationality codes come from pycountry (the ISO 3166 tables); an unknown code is an
error, since nothing else on the card can tell a mistyped letter from a real code.
"""

from __future__ import annotations

import datetime as dt

import pycountry

from desk_app.identity import regions
from desk_app.identity._fields import character_problems, digit_problems, two_digit_year
from desk_app.identity.checksums import icao_check
from desk_app.identity.document import Document, DocumentKind, InvalidDocumentError, Problem
from desk_app.identity.resident_id import read_gb11643

LENGTH_2017 = 15
LENGTH_2023 = 18
_KIND = DocumentKind.FOREIGN_PERMANENT_RESIDENCE
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _alpha3(code: str) -> str | None:
    country = pycountry.countries.get(alpha_3=code)
    return None if country is None else str(country.alpha_3)


def _numeric_to_alpha3(code: str) -> str | None:
    country = pycountry.countries.get(numeric=code)
    return None if country is None else str(country.alpha_3)


def parse_2017(number: str, today: dt.date) -> Document:
    """Validate a 2017 15-character card number.

    Raises:
        InvalidDocumentError: saying which position breaks which rule.
    """
    problems = character_problems(number[:3], _LETTERS, "英文字母 A-Z", "a letter A-Z")
    problems += digit_problems(number[3:], first=4)
    if problems:
        raise InvalidDocumentError(problems, _KIND)
    expected = icao_check(number[:14])
    if number[14] != expected:
        problems.append(Problem.of("check", 15, expected=expected, actual=number[14]))
    nationality = _alpha3(number[:3])
    if nationality is None:
        problems.append(Problem.of("nationality", 1, end=3, code=number[:3]))
    yy, mm, dd = int(number[7:9]), int(number[9:11]), int(number[11:13])
    try:
        birth = dt.date(two_digit_year(yy, today), mm, dd)
    except ValueError:
        problems.append(Problem.of("date", 8, end=13, text=number[7:13]))
    if problems:
        raise InvalidDocumentError(problems, _KIND)
    return Document(kind=_KIND, number=number, birth_date=birth, nationality=nationality)


def parse_2023(number: str, today: dt.date) -> Document:
    """Validate a 2023 18-digit card number (leading ``9``).

    Raises:
        InvalidDocumentError: saying which position breaks which rule.
    """
    fields = read_gb11643(number, _KIND, today)
    nationality = _numeric_to_alpha3(number[3:6])
    if nationality is None:
        raise InvalidDocumentError([Problem.of("nationality", 4, end=6, code=number[3:6])], _KIND)
    province = regions.region_name(number[1:3] + "0000", fields.birth_date.year)
    return Document(
        kind=_KIND,
        number=number,
        birth_date=fields.birth_date,
        sex=fields.sex,
        region_name=province,
        nationality=nationality,
    )


def parse(number: str, today: dt.date) -> Document:
    """Validate either generation, told apart by length.

    Raises:
        InvalidDocumentError: saying which position breaks which rule.
    """
    if len(number) == LENGTH_2017:
        return parse_2017(number, today)
    if len(number) == LENGTH_2023:
        return parse_2023(number, today)
    raise InvalidDocumentError(
        [
            Problem.of(
                "length",
                length=len(number),
                expected=f"{LENGTH_2017} / {LENGTH_2023}",
                kind_zh="外国人永久居留身份证号码",
                kind_en="foreigner's permanent residence card number",
            )
        ],
        _KIND,
    )
