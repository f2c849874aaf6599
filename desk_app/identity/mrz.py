"""Machine-readable zones of passports and travel documents (ICAO 9303 TD1, TD2, TD3).

Every check digit is verified, the composite included. An expired document is
accepted with a warning: the clerk decides. Two-digit years are read as the most
recent past year for a birth date, and within fifty years of today for an expiry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pycountry

from desk_app.identity._fields import two_digit_year
from desk_app.identity.checksums import icao_check
from desk_app.identity.document import Document, DocumentKind, InvalidDocumentError, Problem, Sex
from desk_app.identity.normalize import printable

_KIND = DocumentKind.MRZ
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
# Codes ICAO 9303 part 3 uses besides ISO 3166: Germany, specimens, the UN, stateless
# persons and refugees, British nationality classes, the EU, Kosovo.
_ICAO_CODES = frozenset(
    {
        "D",
        "UTO",
        "UNO",
        "UNA",
        "UNK",
        "XXA",
        "XXB",
        "XXC",
        "XXX",
        "XOM",
        "XPO",
        "XCC",
        "XES",
        "XMP",
        "EUE",
        "GBD",
        "GBN",
        "GBO",
        "GBP",
        "GBS",
        "RKS",
    }
)

_FIELD_NAMES = {
    "document number": "证件号码",
    "birth date": "出生日期",
    "expiry date": "有效期至",
    "personal number": "个人号码",
    "composite": "整体",
}


@dataclass(frozen=True)
class _Layout:
    name: str
    lines: int
    width: int


TD1 = _Layout("TD1", 3, 30)
TD2 = _Layout("TD2", 2, 36)
TD3 = _Layout("TD3", 2, 44)
LAYOUTS = (TD1, TD2, TD3)


def looks_like_mrz(lines: Sequence[str]) -> bool:
    """True when the text is meant as an MRZ: it has filler characters and is long."""
    text = "".join(lines)
    return "<" in text and len(text) >= TD1.width


def _split(lines: Sequence[str]) -> tuple[_Layout, list[str]]:
    text = "".join(lines)
    for layout in LAYOUTS:
        if len(lines) == layout.lines and all(len(x) == layout.width for x in lines):
            return layout, list(lines)
    for layout in LAYOUTS:
        # Run together (a reader that sends no line breaks).
        if len(lines) == 1 and len(text) == layout.lines * layout.width:
            w = layout.width
            return layout, [text[i * w : (i + 1) * w] for i in range(layout.lines)]
    widths = " + ".join(str(len(x)) for x in lines)
    plural = "s" if len(lines) != 1 else ""
    raise InvalidDocumentError(
        [
            Problem.of(
                "mrz_layout",
                shape_zh=f"{len(lines)} 行（{widths} 位）",
                shape_en=f"{len(lines)} line{plural} ({widths} characters)",
            )
        ],
        _KIND,
    )


class _Reader:
    """Collects problems while fields are read from fixed positions."""

    def __init__(self, layout: _Layout, lines: list[str]) -> None:
        self.layout = layout
        self.lines = lines
        self.problems: list[Problem] = []

    def flat(self, line: int, col: int) -> int:
        return line * self.layout.width + col + 1

    def check(self, field: str, line: int, data: str, col: int, allow_empty: bool = False) -> None:
        """Verify the check digit at ``line``/``col`` over ``data``."""
        actual = self.lines[line][col]
        if allow_empty and set(data) == {"<"} and actual in "<0":
            return
        self.verify(field, line, col, icao_check(data), actual)

    def verify(self, field: str, line: int, col: int, expected: str, actual: str) -> None:
        """Record a ``mrz_check`` problem when ``actual`` is not ``expected``."""
        if actual != expected:
            self.problems.append(
                Problem.of(
                    "mrz_check",
                    self.flat(line, col),
                    field_zh=_FIELD_NAMES[field],
                    field_en=field,
                    line=line + 1,
                    column=col + 1,
                    expected=expected,
                    actual=actual,
                )
            )

    def date(self, field: str, line: int, col: int, today: dt.date, future: bool) -> dt.date | None:
        text = self.lines[line][col : col + 6]
        try:
            if not text.isascii() or not text.isdigit():
                raise ValueError(text)
            year = two_digit_year(int(text[:2]), today, future=future)
            return dt.date(year, int(text[2:4]), int(text[4:6]))
        except ValueError:
            self.problems.append(
                Problem.of(
                    "mrz_date",
                    self.flat(line, col),
                    field_zh=_FIELD_NAMES[field],
                    field_en=field,
                    line=line + 1,
                    column=col + 1,
                    text=text,
                )
            )
            return None


def _names(field: str) -> tuple[str, str]:
    surname, _, given = field.strip("<").partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def _document_number(number: str, check: str, optional: str) -> tuple[str, str, str]:
    """(number, its check digit, the data the check covers), long numbers included.

    A number longer than nine characters puts ``<`` in the check position and goes on
    in the optional data, whose last character before the filler is the check digit.
    """
    if check == "<" and optional.strip("<"):
        rest = optional.split("<", 1)[0]
        full = number + rest[:-1]
        return full, rest[-1], full
    return number, check, number


def parse(lines: Sequence[str], today: dt.date) -> Document:
    """Validate an MRZ given as its lines (or as one run-together line).

    Args:
        lines: normalised lines.
        today: reference date for two-digit years and expiry.

    Returns:
        The document; ``number`` is the document number.

    Raises:
        InvalidDocumentError: naming the line, position and field at fault.
    """
    layout, rows = _split(lines)
    bad = [
        Problem.of(
            "mrz_character",
            i * layout.width + j + 1,
            line=i + 1,
            column=j + 1,
            char=printable(ch),
        )
        for i, row in enumerate(rows)
        for j, ch in enumerate(row)
        if ch not in _ALPHABET
    ]
    if bad:
        raise InvalidDocumentError(bad, _KIND)
    r = _Reader(layout, rows)
    first = rows[0]
    code, state = first[0:2].strip("<"), first[2:5].strip("<")
    if layout is TD1:
        data_line, col = 1, 0  # line, column of the birth date
        number, check, covered = _document_number(first[5:14], first[14], first[15:30])
        r.verify("document number", 0, 14, icao_check(covered), check)
        nationality = rows[1][15:18]
        surname, given = _names(rows[2])
        composite_data = first[5:30] + rows[1][0:7] + rows[1][8:15] + rows[1][18:29]
        composite_at = (1, 29)
    else:
        data_line, col = 1, 13
        second = rows[1]
        optional = second[28:35] if layout is TD2 else ""
        number, check, covered = _document_number(second[0:9], second[9], optional)
        r.verify("document number", 1, 9, icao_check(covered), check)
        nationality = second[10:13]
        surname, given = _names(first[5:])
        end = 35 if layout is TD2 else 43
        composite_data = second[0:10] + second[13:20] + second[21:end]
        composite_at = (1, end)
        if layout is TD3:
            r.check("personal number", 1, second[28:42], 42, allow_empty=True)
    line = rows[data_line]
    r.check("birth date", data_line, line[col : col + 6], col + 6)
    r.check("expiry date", data_line, line[col + 8 : col + 14], col + 14)
    # The composite covers the other check digits: when one of them is wrong the
    # composite fails too, and saying so would only add noise.
    if not r.problems:
        r.check("composite", composite_at[0], composite_data, composite_at[1])
    checks = r.problems
    r.problems = []
    birth = r.date("birth date", data_line, col, today, future=False)
    expiry = r.date("expiry date", data_line, col + 8, today, future=True)
    # Causes first: an impossible date explains the check digit that fails with it.
    problems = r.problems + checks
    if problems:
        raise InvalidDocumentError(problems, _KIND)
    sex_char = line[col + 7]
    sex = {"F": Sex.FEMALE, "M": Sex.MALE}.get(sex_char)
    nationality = nationality.strip("<")
    warnings = []
    for c in dict.fromkeys((state, nationality)):
        if c and c not in _ICAO_CODES and pycountry.countries.get(alpha_3=c) is None:
            warnings.append(Problem.of("nationality_unknown", code=c))
    if expiry is not None and expiry < today:
        warnings.append(Problem.of("expired", date=expiry.isoformat()))
    return Document(
        kind=_KIND,
        number=number.replace("<", ""),
        birth_date=birth,
        sex=sex,
        nationality=nationality or None,
        expiry_date=expiry,
        surname=surname or None,
        given_names=given or None,
        document_code=code or None,
        issuing_state=state or None,
        machine_zone="\n".join(rows),
        warnings=tuple(warnings),
    )
