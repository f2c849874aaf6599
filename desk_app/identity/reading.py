"""The one entry point: whatever text arrived in, a typed document or a typed error out."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection

from desk_app.identity import foreign_permanent_residence, mrz, residence_permit, resident_id, uscc
from desk_app.identity.document import (
    ALL_KINDS,
    KIND_NAMES,
    Document,
    DocumentKind,
    InvalidDocumentError,
    Parser,
    Problem,
    kind_values,
)
from desk_app.identity.normalize import MAX_INPUT_LENGTH, is_ascii_digit, normalize

_CHECK_CHARACTERS = "0123456789X"
_BIRTH_CENTURIES = frozenset({"18", "19", "20"})


def _likelier(
    text: str, person_error: InvalidDocumentError, code_error: InvalidDocumentError
) -> InvalidDocumentError:
    """Of two readings that both failed, the one whose explanation helps the clerk.

    Digits 7-8 that carry a birth century (18, 19, 20) mean a person number with a
    typo, whatever else is wrong. Otherwise the reading with fewer wrong characters
    is what the clerk meant.
    """
    if text[6:8] in _BIRTH_CENTURIES:
        return person_error

    def character_faults(error: InvalidDocumentError) -> int:
        return sum(p.code == "character" for p in error.problems)

    if character_faults(code_error) <= character_faults(person_error):
        return code_error
    return person_error


def _person_shaped(text: str) -> bool:
    """17 ASCII digits and a check character: the GB 11643 shape."""
    return all(is_ascii_digit(c) for c in text[:17]) and text[17] in _CHECK_CHARACTERS


def _gb11643_parser(text: str) -> tuple[DocumentKind, Parser]:
    if text[:6] in residence_permit.PREFIXES:
        return DocumentKind.RESIDENCE_PERMIT, residence_permit.parse
    if text[0] == "9":
        return DocumentKind.FOREIGN_PERMANENT_RESIDENCE, foreign_permanent_residence.parse
    return DocumentKind.RESIDENT_ID, resident_id.parse


def _read_18(text: str, kinds: Collection[DocumentKind], today: dt.date) -> Document:
    """An 18-character text: a GB 11643-shaped person number or a credit code."""
    kind, parser = _gb11643_parser(text)
    person_allowed = kind in kinds
    if person_allowed and _person_shaped(text):
        try:
            return parser(text, today)
        except InvalidDocumentError as person_error:
            if DocumentKind.USCC not in kinds:
                raise
            # All-digit credit codes exist (public institutions: 12...). When the digits
            # also carry a plausible birth century they may be a mistyped identity
            # number, and the code is accepted only with a warning that says so.
            try:
                code = uscc.parse(text, today)
            except InvalidDocumentError:
                raise person_error from None
            if text[6:8] not in _BIRTH_CENTURIES:
                return code
            warning = Problem.of("could_be_person_number")
            return dataclasses.replace(code, warnings=(*code.warnings, warning))
    if DocumentKind.USCC not in kinds:
        return parser(text, today)
    if not person_allowed:
        return uscc.parse(text, today)
    try:
        return uscc.parse(text, today)
    except InvalidDocumentError as code_error:
        try:
            return parser(text, today)
        except InvalidDocumentError as person_error:
            raise _likelier(text, person_error, code_error) from None


def _dispatch(
    lines: tuple[str, ...], text: str, kinds: Collection[DocumentKind], today: dt.date
) -> Document:
    if mrz.looks_like_mrz(lines):
        return mrz.parse(lines, today)
    length = len(text)
    digits = sum(map(is_ascii_digit, text))
    if length == foreign_permanent_residence.LENGTH_2017 and text[:3].isalpha():
        return foreign_permanent_residence.parse_2017(text, today)
    if length == resident_id.LEGACY_LENGTH:
        return resident_id.parse(text, today)
    if length == resident_id.LENGTH:
        return _read_18(text, kinds, today)
    kind = DocumentKind.USCC if kinds == {DocumentKind.USCC} else DocumentKind.RESIDENT_ID
    if (digits and digits >= length - 1) or kind is DocumentKind.USCC:
        # A dropped character is an incomplete scan, never a legacy number.
        code = "incomplete" if length in (16, 17) else "length"
        raise InvalidDocumentError(
            [Problem.of(code, length=length, expected=18, **kind_values(kind))], kind
        )
    raise InvalidDocumentError([Problem.of("unrecognised", length=length)])


def identify(
    text: str,
    *,
    kinds: Collection[DocumentKind] = ALL_KINDS,
    today: dt.date | None = None,
) -> Document:
    """Read a document from what was typed, pasted or scanned.

    Args:
        text: the raw input, including any scanner terminator.
        kinds: the kinds this place accepts; person scenarios pass
            :data:`~desk_app.identity.document.PERSON_KINDS`, enterprise scenarios
            ``{DocumentKind.USCC}``.
        today: reference date (birth dates may not be after it; expiry); default today.

    Returns:
        The validated document.

    Raises:
        InvalidDocumentError: with the problems, each naming the position and the rule.
    """
    today = today or dt.date.today()
    if len(text) > MAX_INPUT_LENGTH:
        raise InvalidDocumentError([Problem.of("too_long", limit=MAX_INPUT_LENGTH)])
    normalized = normalize(text)
    if not normalized.text:
        raise InvalidDocumentError([Problem.of("empty")])
    try:
        document = _dispatch(normalized.lines, normalized.text, kinds, today)
    except InvalidDocumentError as error:
        if set(kinds) >= ALL_KINDS:
            raise
        # A valid document of another kind deserves "wrong kind", not its parse errors.
        try:
            document = _dispatch(normalized.lines, normalized.text, ALL_KINDS, today)
        except InvalidDocumentError:
            raise error from None
    if document.kind not in kinds:
        raise _not_accepted_here(document.kind, kinds)
    return document


def _not_accepted_here(kind: DocumentKind, kinds: Collection[DocumentKind]) -> InvalidDocumentError:
    if len(kinds) == 1:
        expected_zh, expected_en = KIND_NAMES[next(iter(kinds))]
    else:
        expected_zh, expected_en = "个人证件", "personal document"
    problem = Problem.of(
        "not_accepted_here",
        expected_zh=expected_zh,
        expected_en=expected_en,
        **kind_values(kind),
    )
    return InvalidDocumentError([problem], kind)
