"""What a card reader hands over, whatever the route: a card that was read, or a typed error.

Both routes (the serial "SAM" protocol in :mod:`desk_app.devices.sam`, and a vendor's SDK
behind :class:`desk_app.devices.vendor.VendorReader`) produce a :class:`CardRead`. Its
``document`` is the card's number validated by :func:`desk_app.identity.identify`, so the
counter screen treats a card exactly like a scan.

A :class:`CardRead` holds personal data. Its ``repr`` shows the card type and the masked
number only, so that an accidental log line never carries a number, name or address.
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

import pycountry

from desk_app.devices.nations import ethnic_group
from desk_app.errors import DeskError, Fault
from desk_app.identity import Document, DocumentKind, Problem, Sex, mask_number


class CardType(StrEnum):
    """The four cards a reader reads. The values are the JSON contract (``card_type``)."""

    RESIDENT = "resident"
    HMT_PERMIT = "hmt_permit"
    FOREIGN_2017 = "foreign_2017"
    FOREIGN_2023 = "foreign_2023"


CARD_TYPE_NAMES: dict[CardType, tuple[str, str]] = {
    CardType.RESIDENT: ("居民身份证", "resident identity card"),
    CardType.HMT_PERMIT: (
        "港澳台居民居住证",
        "residence permit for Hong Kong, Macao and Taiwan residents",
    ),
    CardType.FOREIGN_2017: (
        "外国人永久居留身份证（2017 版）",
        "foreigner's permanent residence card (2017)",
    ),
    CardType.FOREIGN_2023: (
        "外国人永久居留身份证（2023 版）",
        "foreigner's permanent residence card (2023)",
    ),
}

# GB/T 2261.1 sex codes, as the chip carries them.
_SEX_BY_CODE: dict[str, tuple[Sex | None, str, str]] = {
    "0": (None, "未知", "unknown"),
    "1": (Sex.MALE, "男", "male"),
    "2": (Sex.FEMALE, "女", "female"),
    "9": (None, "未说明", "not stated"),
}


@dataclass(frozen=True)
class Nation:
    """An ethnic group (resident cards) or a nationality (foreigners' cards).

    Attributes:
        code: the code as the chip carries it ("01", "KAZ"); shown raw when unknown.
        name_zh: the Chinese name, or None when the code is not known.
        name_en: the English name, or None when the code is not known.
    """

    code: str
    name_zh: str | None
    name_en: str | None

    @property
    def known(self) -> bool:
        """Whether the code is in the table."""
        return self.name_zh is not None

    @property
    def display(self) -> str:
        """What the clerk sees: the Chinese name, or the raw code when it is not known."""
        return self.name_zh if self.name_zh is not None else self.code

    @classmethod
    def ethnic(cls, code: str) -> Nation:
        """An ethnic group by its GB 3304 code (unknown codes kept raw).

        Args:
            code: the code from the chip.

        Returns:
            The nation, named when the code is in the table.
        """
        group = ethnic_group(code)
        if group is None:
            return cls(code.strip(), None, None)
        return cls(group.code, group.name_zh, group.name_en)

    @classmethod
    def country(cls, code: str) -> Nation:
        """A nationality by its ISO 3166-1 alpha-3 code (unknown codes kept raw).

        Args:
            code: the code from the chip.

        Returns:
            The nation, named when pycountry knows the code.
        """
        code = code.strip().upper()
        country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
        if country is None:
            return cls(code, None, None)
        name = str(country.name)
        return cls(code, _chinese_country_names().gettext(name), name)


@cache
def _chinese_country_names() -> gettext.NullTranslations:
    # pycountry ships the iso-codes translations; fall back to English when they are missing.
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True
    )


def sex_of(code: str) -> tuple[Sex | None, str, str]:
    """Read a GB/T 2261.1 sex code.

    Args:
        code: the code from the chip ("1", "2"...).

    Returns:
        ``(sex, name_zh, name_en)``; for a code not in the table, ``(None, code, code)``.
    """
    code = code.strip()
    return _SEX_BY_CODE.get(code, (None, code, code))


@dataclass(frozen=True)
class CardRead:
    """One card, read and validated.

    Attributes:
        card_type: which of the four cards.
        number: the card's number, as :func:`~desk_app.identity.identify` normalised it.
        name: the Chinese name; on a foreigner's card without one, the English name.
        name_en: the English name (foreigners' cards), else None.
        sex: the sex, None when the code is not 1 or 2.
        sex_code: the code as the chip carries it.
        nation: ethnic group (resident card), nationality (foreigners' cards), or None
            when the card carries none (a residence permit).
        birth_date: date of birth.
        address: the address (resident card and residence permit), else None.
        authority: the issuing authority; on a 2017 foreigner's card the code of the
            accepting office; None where the card carries none (2023 foreigner's card).
        valid_from: first day of validity.
        valid_to: last day of validity; None for a long-term card (长期).
        valid_to_text: the validity end as the chip carries it (a date or 长期).
        photo: the photo as the chip carries it (a compressed format that needs the
            licensed decoder; kept, never decoded).
        document: the number validated as a document, exactly as a scan would give it.
        pass_number: the permit's travel-pass number (residence permit).
        issue_count: how many times the permit was issued (residence permit).
        card_version: the card version (2017 foreigner's card).
        renewal_count: how many times the card was renewed (2023 foreigner's card).
        previous_number_link: what the 2023 card carries to link to the number of an
            earlier card, as it is.
    """

    card_type: CardType
    number: str = field(repr=False)
    name: str = field(repr=False)
    name_en: str | None = field(repr=False)
    sex: Sex | None
    sex_code: str
    nation: Nation | None
    birth_date: dt.date = field(repr=False)
    address: str | None = field(repr=False)
    authority: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    valid_to_text: str
    photo: bytes = field(repr=False)
    document: Document = field(repr=False)
    pass_number: str | None = field(default=None, repr=False)
    issue_count: int | None = None
    card_version: str | None = None
    renewal_count: int | None = None
    previous_number_link: str | None = field(default=None, repr=False)

    @property
    def kind(self) -> DocumentKind:
        """The document kind, as :func:`~desk_app.identity.identify` tells it."""
        return self.document.kind

    @property
    def masked_number(self) -> str:
        """The number for display and logs, e.g. ``3716**********5150``."""
        return mask_number(self.number)

    @property
    def long_term(self) -> bool:
        """Whether the card is valid without end (长期)."""
        return self.valid_to is None

    def __repr__(self) -> str:
        """Card type and masked number only: a repr may end up in a log."""
        return f"CardRead(card_type={self.card_type.value!r}, number={self.masked_number!r})"

    def to_json(self) -> dict[str, Any]:
        """The ``desk-app reader read`` JSON object.

        The contract's fields are ``kind``, ``number``, ``name``, ``sex`` ("M", "F", or
        the raw code), ``nation`` (the Chinese name, or the raw code when unknown),
        ``birth_date``, ``address``, ``authority``, ``valid_from``, ``valid_to`` (ISO
        dates; ``valid_to`` is null for 长期) and ``card_type``. Extra fields say more;
        the photo's bytes are never included, only their count.

        Returns:
            A JSON-ready dict.
        """
        _, sex_zh, sex_en = sex_of(self.sex_code)
        return {
            "kind": self.kind.value,
            "number": self.number,
            "name": self.name,
            "sex": self.sex.value if self.sex is not None else self.sex_code,
            "nation": self.nation.display if self.nation is not None else None,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address,
            "authority": self.authority,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to is not None else None,
            "card_type": self.card_type.value,
            # Extras.
            "name_en": self.name_en,
            "sex_name": sex_zh,
            "sex_name_en": sex_en,
            "nation_code": self.nation.code if self.nation is not None else None,
            "nation_en": self.nation.name_en if self.nation is not None else None,
            "long_term": self.long_term,
            "valid_to_text": self.valid_to_text,
            "pass_number": self.pass_number,
            "issue_count": self.issue_count,
            "card_version": self.card_version,
            "renewal_count": self.renewal_count,
            "photo_bytes": len(self.photo),
            "warnings": [w.to_dict() for w in self.document.warnings],
        }


class CardReaderError(DeskError):
    """Any failure reading a card. Subclasses say whose fault it is.

    Args:
        message_zh: the clerk's message in Chinese.
        message_en: the same in English.
        detail: what happened, for the log (never a number or a name).
    """

    fault = Fault.ENVIRONMENT

    def __init__(self, message_zh: str, message_en: str, detail: str = "") -> None:
        super().__init__(message_zh, message_en)
        self.detail = detail


class ReaderUnavailableError(CardReaderError):
    """The reader's port cannot be opened, or the reader went away (unplugged).

    Args:
        port: the port that was tried, or None when no port was found.
        detail: the operating system's words, for the log.
    """

    def __init__(self, port: str | None, detail: str = "") -> None:
        where_zh = f"（{port}）" if port else ""
        where_en = f" ({port})" if port else ""
        super().__init__(
            f"找不到身份证阅读器{where_zh}：请检查连接线，或重新插拔阅读器。",
            f"The ID card reader cannot be reached{where_en}: check the cable, "
            "or unplug the reader and plug it in again.",
            detail,
        )
        self.port = port


class ReaderTimeoutError(CardReaderError):
    """The reader did not answer a command in time.

    Args:
        detail: which command, for the log.
    """

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "身份证阅读器没有应答：请检查连接线和端口设置（波特率），或重新插拔阅读器。",
            "The ID card reader does not answer: check the cable and the port settings "
            "(baud rate), or unplug the reader and plug it in again.",
            detail,
        )


class ReaderProtocolError(CardReaderError):
    """The reader answers, but what it sends cannot be read (checksums, lengths, shapes).

    Args:
        detail: what was wrong, for the log.
    """

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "身份证阅读器的数据无法识别（校验错误）：请检查连接线，或更换阅读器。",
            "The ID card reader's data cannot be read (checksum errors): check the cable, "
            "or use another reader.",
            detail,
        )


class ReaderSettingsError(CardReaderError):
    """The reader was asked for something it cannot do (a baud rate it does not speak).

    Args:
        message_zh: the clerk's message in Chinese.
        message_en: the same in English.
    """

    fault = Fault.INPUT


class CardContentError(CardReaderError):
    """The card was read, but what it holds does not make sense (a forged or damaged
    card, or a layout this desk does not know).

    Args:
        detail: what was wrong, for the log (never the number).
        problems: the identity problems when the number itself is invalid.
    """

    fault = Fault.INPUT

    def __init__(self, detail: str, problems: tuple[Problem, ...] = ()) -> None:
        zh = "证件芯片中的信息无法识别：请核对证件，或改用扫描、手工输入。"
        en = (
            "The information in the card's chip cannot be read: check the card, "
            "or scan or type the number instead."
        )
        if problems:
            zh += " " + " ".join(p.message_zh for p in problems[:3])
            en += " " + " ".join(p.message_en for p in problems[:3])
        super().__init__(zh, en, detail)
        self.problems = problems
