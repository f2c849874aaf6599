"""The typed result of reading a document, and the typed error when it cannot be read.

A :class:`Problem` (an error or a warning) has a stable ``code``, the position it is
about (1-based, in the normalised text) and a message for the clerk in Chinese and
English. The messages are built here, from one catalogue, so every document kind
speaks the same words for the same rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, TypedDict

from desk_app.errors import BadInputError


class DocumentKind(StrEnum):
    """The kinds of document a counter sees. The values are the JSON contract."""

    RESIDENT_ID = "resident_id"
    RESIDENCE_PERMIT = "residence_permit"
    FOREIGN_PERMANENT_RESIDENCE = "foreign_permanent_residence"
    MRZ = "mrz"
    USCC = "uscc"


PERSON_KINDS: frozenset[DocumentKind] = frozenset(
    {
        DocumentKind.RESIDENT_ID,
        DocumentKind.RESIDENCE_PERMIT,
        DocumentKind.FOREIGN_PERMANENT_RESIDENCE,
        DocumentKind.MRZ,
    }
)
ALL_KINDS: frozenset[DocumentKind] = frozenset(DocumentKind)

KIND_NAMES: Mapping[DocumentKind, tuple[str, str]] = {
    DocumentKind.RESIDENT_ID: ("居民身份证号码", "resident identity number"),
    DocumentKind.RESIDENCE_PERMIT: ("港澳台居民居住证号码", "residence permit number"),
    DocumentKind.FOREIGN_PERMANENT_RESIDENCE: (
        "外国人永久居留身份证号码",
        "foreigner's permanent residence card number",
    ),
    DocumentKind.MRZ: ("护照/旅行证件机读区", "passport machine-readable zone"),
    DocumentKind.USCC: ("统一社会信用代码", "unified social credit code"),
}


class Sex(StrEnum):
    """Sex as printed on the document."""

    FEMALE = "F"
    MALE = "M"


# code -> (Chinese template, English template). Templates use str.format fields.
_MESSAGES: Mapping[str, tuple[str, str]] = {
    "empty": (
        "没有读到号码，请重新扫描或输入。",
        "Nothing was read. Scan or type the number again.",
    ),
    "too_long": (
        "输入太长（超过 {limit} 个字符），不是证件号码。请清空后重新扫描。",
        "The input is too long (over {limit} characters) to be a document number. "
        "Clear it and scan again.",
    ),
    "unrecognised": (
        "无法识别的号码（{length} 位）：不是身份证、居住证、永久居留证、"
        "护照机读区或统一社会信用代码。",
        "Not a recognised document ({length} character(s)): not an identity number, residence "
        "permit, permanent residence card, passport MRZ or unified social credit code.",
    ),
    "not_accepted_here": (
        "这里需要{expected_zh}，读到的是{kind_zh}。",
        "This needs a {expected_en}; what was read is a {kind_en}.",
    ),
    "incomplete": (
        "只读到 {length} 位，{kind_zh}应为 {expected} 位：扫描不完整，请重新扫描。",
        "Only {length} character(s) were read; a {kind_en} has {expected}. "
        "The scan is incomplete: scan again.",
    ),
    "length": (
        "长度为 {length} 位，{kind_zh}应为 {expected} 位。",
        "{length} character(s); a {kind_en} has {expected}.",
    ),
    "character": (
        "第 {position} 位“{char}”不对：这一位应为{rule_zh}。",
        "Character {position} '{char}' is wrong: this position takes {rule_en}.",
    ),
    "date": (
        "第 {position}-{end} 位的日期 {text} 不是有效日期。",
        "Characters {position}-{end}, date {text}, are not a valid date.",
    ),
    "date_future": (
        "第 {position}-{end} 位的出生日期 {text} 在今天之后。",
        "Characters {position}-{end}, birth date {text}, are after today.",
    ),
    "date_too_early": (
        "第 {position}-{end} 位的出生日期 {text} 早于 1800 年，不可能是有效号码。",
        "Characters {position}-{end}, birth date {text}, are before 1800: not a valid number.",
    ),
    "check": (
        "第 {position} 位校验码应为 {expected}，读到的是 {actual}：号码有误，请核对证件。",
        "Check character {position} should be {expected} but is {actual}: the number is wrong. "
        "Compare it with the document.",
    ),
    "mrz_check": (
        "机读区{field_zh}的校验位（第 {line} 行第 {column} 位）应为 {expected}，"
        "读到的是 {actual}。",
        "The MRZ check digit for the {field_en} (line {line}, character {column}) should be "
        "{expected} but is {actual}.",
    ),
    "mrz_character": (
        "机读区第 {line} 行第 {column} 位“{char}”不对：机读区只有 A-Z、0-9 和 <。",
        "MRZ line {line}, character {column} '{char}' is wrong: an MRZ holds only A-Z, 0-9 and <.",
    ),
    "mrz_date": (
        "机读区{field_zh}（第 {line} 行第 {column} 位起）{text} 不是有效日期。",
        "The MRZ {field_en} (line {line} from character {column}), {text}, is not a valid date.",
    ),
    "mrz_layout": (
        "机读区格式不对：读到 {shape_zh}，应为 2 行各 44 位（护照）、2 行各 36 位或 3 行各 30 位。",
        "The MRZ layout is wrong: read {shape_en}; expected 2 lines of 44 (passport), "
        "2 of 36 or 3 of 30.",
    ),
    "nationality": (
        "第 {position}-{end} 位国籍代码 {code} 不存在。",
        "Characters {position}-{end}, nationality code {code}, do not exist.",
    ),
    # Warnings: the document is accepted, the clerk is told.
    "region_unknown": (
        "地区代码 {code} 不在行政区划代码表中；号码校验正确，已接受，请核对证件。",
        "Region code {code} is not in the division code table; the check character is "
        "right, so the number is accepted. Compare it with the document.",
    ),
    "legacy_upgraded": (
        "15 位旧号码已升为 18 位：{number}。",
        "The legacy 15-digit number was upgraded to 18 digits: {number}.",
    ),
    "expired": (
        "证件已于 {date} 过期，请经办人决定是否接受。",
        "The document expired on {date}. The clerk decides whether to accept it.",
    ),
    "organisation_code_check": (
        "统一社会信用代码中的组织机构代码校验位不符（应为 {expected}），请核对营业执照。",
        "The organisation code inside this credit code has a wrong check character "
        "(should be {expected}). Compare it with the business licence.",
    ),
    "could_be_person_number": (
        "这串数字按统一社会信用代码校验正确，但也像一个输错的身份证号码，请核对。",
        "These digits are a valid unified social credit code, but they also look like a "
        "mistyped identity number. Check the document.",
    ),
    "nationality_unknown": (
        "机读区国籍或签发国代码 {code} 不在 ISO 3166 表中。",
        "MRZ nationality or issuing-state code {code} is not in the ISO 3166 table.",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with (error) or worth telling about (warning) a document.

    Attributes:
        code: stable machine-readable code, part of the JSON contract.
        message_zh: the clerk's message in Simplified Chinese.
        message_en: the same in English.
        position: 1-based position in the normalised text the problem is about, if any.
    """

    code: str
    message_zh: str
    message_en: str
    position: int | None = None

    @classmethod
    def of(cls, code: str, /, position: int | None = None, **values: Any) -> Problem:
        """Build a problem from the message catalogue.

        Args:
            code: a key of the catalogue.
            position: 1-based position the problem is about.
            **values: the template's fields.

        Returns:
            The problem with both messages filled in.
        """
        zh, en = _MESSAGES[code]
        if position is not None:
            values.setdefault("position", position)
        return cls(code, zh.format(**values), en.format(**values), position)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``code``, ``message`` (Chinese), ``message_en``, ``position``."""
        return {
            "code": self.code,
            "message": self.message_zh,
            "message_en": self.message_en,
            "position": self.position,
        }


class KindWords(TypedDict):
    """Template values naming a document kind in both languages."""

    kind_zh: str
    kind_en: str


def kind_values(kind: DocumentKind) -> KindWords:
    """Template values naming ``kind`` in both languages."""
    zh, en = KIND_NAMES[kind]
    return {"kind_zh": zh, "kind_en": en}


# A clerk reads three problems; past that the text is not the document they think.
_PROBLEMS_IN_MESSAGE = 3


class InvalidDocumentError(BadInputError):
    """The text is not a valid document. ``problems`` says exactly what is wrong.

    Args:
        problems: at least one error, the most useful first.
        kind: the kind the text was read as, when it could be told.
    """

    def __init__(self, problems: list[Problem], kind: DocumentKind | None = None) -> None:
        if not problems:
            raise ValueError("an invalid document needs at least one problem")
        shown = problems[:_PROBLEMS_IN_MESSAGE]
        more = len(problems) - len(shown)
        super().__init__(
            " ".join(p.message_zh for p in shown) + (f"（另有 {more} 处错误）" if more else ""),
            " ".join(p.message_en for p in shown) + (f" ({more} more errors)" if more else ""),
        )
        self.problems = tuple(problems)
        self.kind = kind


@dataclass(frozen=True)
class Document:
    """A document that was read and validated.

    Attributes:
        kind: which kind of document.
        number: the normalised number (for an MRZ, the document number).
        birth_date: date of birth, a calendar date with no time zone.
        sex: as printed.
        region_code: 6-digit GB/T 2260 code of an identity number.
        region_name: the region's name from the versioned table, if known.
        nationality: ISO 3166-1 alpha-3 code, for foreigners and MRZ.
        expiry_date: end of validity, where the document carries it.
        surname: MRZ primary identifier.
        given_names: MRZ secondary identifier.
        document_code: MRZ document code (``P``, ``I``, ``ID``...).
        issuing_state: MRZ issuing state or organisation.
        upgraded_from: the legacy 15-digit number this 18-digit number was upgraded from.
        machine_zone: an MRZ's normalised lines, joined by newlines (what the platform
            needs to verify a passport holder).
        warnings: accepted, but the clerk should know.
    """

    kind: DocumentKind
    number: str
    birth_date: dt.date | None = None
    sex: Sex | None = None
    region_code: str | None = None
    region_name: str | None = None
    nationality: str | None = None
    expiry_date: dt.date | None = None
    surname: str | None = None
    given_names: str | None = None
    document_code: str | None = None
    issuing_state: str | None = None
    upgraded_from: str | None = None
    machine_zone: str | None = None
    warnings: tuple[Problem, ...] = field(default=())

    @property
    def subject_id(self) -> str:
        """Who this is, as one string: the number, or for a passport the issuing state and
        the document number (numbers are unique only within one issuing state)."""
        if self.kind is DocumentKind.MRZ:
            return f"{self.issuing_state or ''}<{self.number}"
        return self.number

    @property
    def platform_number(self) -> str:
        """What the platform contract's ``subject.number`` carries: the number, or for an
        MRZ the whole zone, so that the platform can verify it too."""
        return self.machine_zone if self.machine_zone is not None else self.number

    def is_expired(self, today: dt.date) -> bool | None:
        """Whether the document had expired by ``today``; None when it has no expiry date."""
        if self.expiry_date is None:
            return None
        return self.expiry_date < today

    @property
    def masked_number(self) -> str:
        """The number for display: first four and last four characters, the rest as ``*``.

        Short numbers (a passport's nine characters) keep two at each end.
        """
        return mask_number(self.number)

    def to_dict(self, today: dt.date) -> dict[str, Any]:
        """The JSON form of the ``desk-app identify`` contract (plus extra fields)."""
        out: dict[str, Any] = {"valid": True}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "warnings":
                value = [w.to_dict() for w in value]
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, StrEnum):
                value = value.value
            out[f.name] = value
        out["expired"] = self.is_expired(today)
        return out


def mask_number(number: str) -> str:
    """Mask a document number for display, e.g. ``3716**********5150``.

    Args:
        number: the normalised number.

    Returns:
        The number with all but the first and last few characters replaced by ``*``.
    """
    keep = 4 if len(number) >= 12 else 2
    if len(number) <= 2 * keep:
        return "*" * len(number)
    return number[:keep] + "*" * (len(number) - 2 * keep) + number[-keep:]


Parser = Callable[[str, dt.date], Document]
"""A validator of one document kind: normalised text and today in, a document out."""
