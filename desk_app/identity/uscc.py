"""Unified social credit codes (GB 32100-2015), for enterprise scenarios.

Layout: registration authority (1), organisation type (2), region code (3-8), the
organisation code of GB 11714 (9-17, its own check character at 17), and a mod-31
check character (18). The alphabet leaves out I, O, Z, S and V. The mod-31 check
comes from python-stdnum; stdnum does not check the embedded organisation code,
which is done here and reported as a warning only, since the mod-31 check already
catches any single wrong character.
"""

from __future__ import annotations

import datetime as dt

from stdnum.cn import uscc as stdnum_uscc

from desk_app.identity._fields import character_problems, digit_problems
from desk_app.identity.document import Document, DocumentKind, InvalidDocumentError, Problem

LENGTH = 18
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100 table 1: the departments that register organisations.
REGISTRATION_AUTHORITIES = "123456789ANY"
_KIND = DocumentKind.USCC
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_check(code8: str) -> str:
    """The GB 11714 check character of the first eight organisation-code characters."""
    total = sum(int(ch, 36) * w for ch, w in zip(code8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def parse(number: str, today: dt.date) -> Document:
    """Validate a unified social credit code.

    Args:
        number: normalised text.
        today: unused; every parser takes it.

    Returns:
        The document, with a warning if the embedded organisation code does not check.

    Raises:
        InvalidDocumentError: saying which position breaks which rule.
    """
    del today
    if len(number) != LENGTH:
        raise InvalidDocumentError(
            [
                Problem.of(
                    "length",
                    length=len(number),
                    expected=LENGTH,
                    kind_zh="统一社会信用代码",
                    kind_en="unified social credit code",
                )
            ],
            _KIND,
        )
    problems = character_problems(
        number[0],
        REGISTRATION_AUTHORITIES,
        "登记管理部门代码 1-9、A、N 或 Y",
        "a registration authority code 1-9, A, N or Y",
    )
    problems += character_problems(
        number[1], "123456789", "机构类别代码 1-9", "an organisation type 1-9", first=2
    )
    problems += digit_problems(number[2:8], first=3)
    problems += character_problems(
        number[8:],
        ALPHABET,
        "数字或除 I、O、Z、S、V 以外的大写字母",
        "a digit or a capital letter other than I, O, Z, S, V",
        first=9,
    )
    if problems:
        raise InvalidDocumentError(problems, _KIND)
    expected = stdnum_uscc.calc_check_digit(number[:17])
    if number[17] != expected:
        raise InvalidDocumentError(
            [Problem.of("check", 18, expected=expected, actual=number[17])], _KIND
        )
    warnings = []
    org_expected = organisation_check(number[8:16])
    if number[16] != org_expected:
        warnings.append(Problem.of("organisation_code_check", 17, expected=org_expected))
    return Document(kind=_KIND, number=number, region_code=number[2:8], warnings=tuple(warnings))
