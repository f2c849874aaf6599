"""The serial "SAM" protocol of desktop ID card readers, byte by byte. No I/O, no Qt.

Frames (both directions)::

    AA AA AA 96 69 | LEN_HI LEN_LO | BODY ... | CHK

``LEN`` is big-endian and counts everything after it, the checksum included. ``CHK`` is
the XOR of every byte after the preamble except itself (the length bytes and the body).
A command's body is ``CMD PARA``; a reply's body is ``SW1 SW2 SW3 DATA...``, where SW3 is
the reader's own status (``90`` success, ``9F`` card found, anything else an error with
its own meaning: :data:`STATUSES`).

:class:`FrameDecoder` takes bytes in whatever chunks the port hands over and returns whole
frames. It resynchronises on the preamble after noise, and **skips** a frame whose
checksum is wrong (counting it in :attr:`FrameDecoder.rejected`) instead of raising: one
damaged frame must not hide a good one that arrived in the same read, and the commands
are safe to resend, so the reader resends when it sees the count go up
(:mod:`desk_app.devices.serial_reader`).

:func:`parse_card` reads the 256-byte text block of all four card types; the layouts
(byte offsets) are in :data:`LAYOUTS` and in ``docs/card-reader.md``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from desk_app.devices.card import (
    CardContentError,
    CardRead,
    CardReaderError,
    CardType,
    Nation,
    ReaderProtocolError,
    sex_of,
)
from desk_app.errors import Fault
from desk_app.identity import (
    PERSON_KINDS,
    Document,
    DocumentKind,
    InvalidDocumentError,
    Problem,
    identify,
)

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
_HEADER = len(PREAMBLE) + 2
# The smallest frame is a command (CMD PARA CHK); the largest a reply with text, photo and
# fingerprints (3 + 6 + 256 + 1024 + 1024 + 1 bytes). A length outside these bounds is noise
# that happens to contain a preamble, not a frame worth waiting for.
MIN_FRAME_LENGTH = 3
MAX_FRAME_LENGTH = 4096

TEXT_LENGTH = 256
PHOTO_LENGTH = 1024
CARD_TYPE_OFFSET = 248


class Command(Enum):
    """Commands (CMD, PARA) of the protocol; the value is the command's body."""

    RESET = b"\x10\xff"
    STATUS = b"\x11\xff"
    READ_SAM_ID = b"\x12\xff"
    FIND_CARD = b"\x20\x01"
    SELECT_CARD = b"\x20\x02"
    READ_TEXT_PHOTO = b"\x30\x01"
    READ_NEW_ADDRESS = b"\x30\x03"
    READ_WITH_FINGERPRINT = b"\x30\x10"
    BAUD_115200 = b"\x60\x00"
    BAUD_57600 = b"\x60\x01"
    BAUD_38400 = b"\x60\x02"
    BAUD_19200 = b"\x60\x03"
    BAUD_9600 = b"\x60\x04"


SUPPORTED_BAUD_RATES = (115200, 57600, 38400, 19200, 9600)

SW3_SUCCESS = 0x90
SW3_CARD_FOUND = 0x9F
SW3_NO_CARD = 0x80
SW3_SELECT_FAILED = 0x81


def checksum(data: bytes | bytearray) -> int:
    """XOR of ``data`` (the length bytes and the body of a frame).

    Args:
        data: the bytes after the preamble, without the checksum.

    Returns:
        The checksum byte.
    """
    value = 0
    for byte in data:
        value ^= byte
    return value


def encode_frame(body: bytes) -> bytes:
    """A whole frame around ``body``.

    Args:
        body: a command (CMD PARA [DATA]) or a reply (SW1 SW2 SW3 [DATA]).

    Returns:
        Preamble, length, body and checksum.

    Raises:
        ValueError: when the body is too long for a frame.
    """
    length = len(body) + 1
    if length > MAX_FRAME_LENGTH:
        raise ValueError(f"a frame body holds at most {MAX_FRAME_LENGTH - 1} bytes")
    covered = length.to_bytes(2, "big") + body
    return PREAMBLE + covered + bytes([checksum(covered)])


def command_frame(command: Command) -> bytes:
    """The frame that sends ``command``, e.g. ``AA AA AA 96 69 00 03 20 01 22`` for find.

    Args:
        command: the command.

    Returns:
        The frame's bytes.
    """
    return encode_frame(command.value)


class FrameDecoder:
    """Turns bytes arriving in arbitrary chunks into frame bodies.

    Noise before a preamble is dropped; a preamble followed by an impossible length is
    taken for noise; a frame with a wrong checksum is dropped and counted, and the search
    starts again one byte after its preamble (it may have been noise that swallowed the
    start of a real frame).

    Args:
        max_length: the largest length field taken for a frame.
    """

    def __init__(self, max_length: int = MAX_FRAME_LENGTH) -> None:
        self._buffer = bytearray()
        self._max_length = max_length
        self.rejected = 0
        self.discarded = 0

    @property
    def pending(self) -> int:
        """How many bytes are held, waiting for the rest of a frame."""
        return len(self._buffer)

    def reset(self) -> None:
        """Forget held bytes (before a command is resent: what is held is stale)."""
        self._buffer.clear()

    def feed(self, data: bytes) -> list[bytes]:
        """Take the next chunk.

        Args:
            data: bytes as they arrived, any length, possibly empty.

        Returns:
            The bodies (without preamble, length and checksum) of the frames completed
            by this chunk, in order.
        """
        buffer = self._buffer
        buffer.extend(data)
        bodies: list[bytes] = []
        while True:
            start = buffer.find(PREAMBLE)
            if start < 0:
                keep = _partial_preamble(buffer)
                self.discarded += len(buffer) - keep
                del buffer[: len(buffer) - keep]
                return bodies
            if start:
                self.discarded += start
                del buffer[:start]
            if len(buffer) < _HEADER:
                return bodies
            length = int.from_bytes(buffer[len(PREAMBLE) : _HEADER], "big")
            if not MIN_FRAME_LENGTH <= length <= self._max_length:
                self.discarded += 1
                del buffer[:1]
                continue
            end = _HEADER + length
            if len(buffer) < end:
                # Noise with a preamble and a plausible length would make us wait for
                # bytes that never come; a whole good frame behind it proves it noise.
                later = self._complete_frame_after(1)
                if later is None:
                    return bodies
                self.discarded += later
                del buffer[:later]
                continue
            if checksum(buffer[len(PREAMBLE) : end - 1]) != buffer[end - 1]:
                self.rejected += 1
                self.discarded += 1
                del buffer[:1]
                continue
            bodies.append(bytes(buffer[_HEADER : end - 1]))
            del buffer[:end]

    def _complete_frame_after(self, start: int) -> int | None:
        """Where the first whole frame with a good checksum begins at or after ``start``."""
        buffer = self._buffer
        position = buffer.find(PREAMBLE, start)
        while position >= 0:
            header_end = position + _HEADER
            if header_end <= len(buffer):
                length = int.from_bytes(buffer[header_end - 2 : header_end], "big")
                end = header_end + length
                if (
                    MIN_FRAME_LENGTH <= length <= self._max_length
                    and end <= len(buffer)
                    and checksum(buffer[position + len(PREAMBLE) : end - 1]) == buffer[end - 1]
                ):
                    return position
            position = buffer.find(PREAMBLE, position + 1)
        return None


def _partial_preamble(buffer: bytearray) -> int:
    """How many bytes at the end of ``buffer`` could be the start of a preamble."""
    for keep in range(min(len(PREAMBLE) - 1, len(buffer)), 0, -1):
        if buffer.endswith(PREAMBLE[:keep]):
            return keep
    return 0


@dataclass(frozen=True)
class StatusInfo:
    """What one SW3 code means, for the log and for the clerk.

    Attributes:
        code: the SW3 byte.
        name: the public protocol notes' name for it (Chinese), for the log and the docs.
        message_zh: what the clerk reads.
        message_en: the same in English.
        fault: whose fault it is.
        transient: whether trying again (the card placed again) may well succeed.
    """

    code: int
    name: str
    message_zh: str
    message_en: str
    fault: Fault
    transient: bool


def _statuses(*rows: StatusInfo) -> Mapping[int, StatusInfo]:
    return {row.code: row for row in rows}


_ENV = Fault.ENVIRONMENT
_CARD = Fault.INPUT
_PLACE_AGAIN_ZH = "请把证件取下，重新平放在阅读器上，不要移动。"
_PLACE_AGAIN_EN = "Take the card off and lay it flat on the reader again; keep it still."

STATUSES: Mapping[int, StatusInfo] = _statuses(
    StatusInfo(0x90, "操作成功", "操作成功。", "Done.", _CARD, False),
    StatusInfo(0x9F, "寻找证卡成功", "找到证件。", "A card was found.", _CARD, False),
    StatusInfo(
        0x10,
        "接收业务终端数据的校验和错",
        "阅读器收到的命令校验错误（线路干扰）：请检查连接线。",
        "The reader received a command with a checksum error (line noise): check the cable.",
        _ENV,
        True,
    ),
    StatusInfo(
        0x11,
        "接收业务终端数据的长度错",
        "阅读器收到的命令长度错误（线路干扰）：请检查连接线。",
        "The reader received a command with a length error (line noise): check the cable.",
        _ENV,
        True,
    ),
    StatusInfo(
        0x21,
        "接收业务终端的命令错误",
        "阅读器不支持这条命令：请确认阅读器型号，或联系技术支持。",
        "The reader does not recognise the command: check the reader model, or call support.",
        _ENV,
        False,
    ),
    StatusInfo(
        0x23,
        "越权操作",
        "阅读器拒绝了这个操作（越权）：请联系技术支持。",
        "The reader refused the operation (not permitted): call support.",
        _ENV,
        False,
    ),
    StatusInfo(
        0x24,
        "无法识别的错误",
        "阅读器报告了无法识别的错误：请重新放置证件；反复出现请重新插拔阅读器。",
        "The reader reports an unrecognised error: place the card again; if it keeps "
        "happening, unplug the reader and plug it in again.",
        _ENV,
        True,
    ),
    StatusInfo(
        0x31,
        "证卡认证阅读器失败",
        "证件与阅读器认证失败。" + _PLACE_AGAIN_ZH,
        "The card did not accept the reader. " + _PLACE_AGAIN_EN,
        _CARD,
        True,
    ),
    StatusInfo(
        0x32,
        "阅读器认证证卡失败",
        "阅读器无法认证这张证件。" + _PLACE_AGAIN_ZH + "仍失败时请核验证件真伪。",
        "The reader could not authenticate this card. "
        + _PLACE_AGAIN_EN
        + " If it still fails, check that the card is genuine.",
        _CARD,
        True,
    ),
    StatusInfo(
        0x33,
        "信息验证错误",
        "证件信息验证失败。" + _PLACE_AGAIN_ZH,
        "The card's information failed verification. " + _PLACE_AGAIN_EN,
        _CARD,
        True,
    ),
    StatusInfo(
        0x37,
        "指纹信息验证错误",
        "证件中的指纹信息验证失败。" + _PLACE_AGAIN_ZH,
        "The card's fingerprint data failed verification. " + _PLACE_AGAIN_EN,
        _CARD,
        True,
    ),
    StatusInfo(
        0x3F,
        "信息长度错误",
        "证件信息长度错误。" + _PLACE_AGAIN_ZH,
        "The card's information has a wrong length. " + _PLACE_AGAIN_EN,
        _CARD,
        True,
    ),
    StatusInfo(
        0x40,
        "无法识别的证卡类型（错误的卡）",
        "这张卡不是阅读器能读的证件：请确认是身份证、居住证或永久居留身份证。",
        "This is not a card the reader can read: use an identity card, a residence permit "
        "or a permanent residence card.",
        _CARD,
        False,
    ),
    StatusInfo(
        0x41,
        "读证卡操作失败",
        "读卡失败。" + _PLACE_AGAIN_ZH,
        "The card could not be read. " + _PLACE_AGAIN_EN,
        _CARD,
        True,
    ),
    StatusInfo(
        0x47,
        "取随机数失败",
        "证件没有应答（取随机数失败）。" + _PLACE_AGAIN_ZH,
        "The card did not answer (random number failed). " + _PLACE_AGAIN_EN,
        _CARD,
        True,
    ),
    StatusInfo(
        0x60,
        "安全模块自检失败，不能接收命令",
        "阅读器内部安全模块自检失败：请重新插拔阅读器；仍不行请联系技术支持。",
        "The reader's security module failed its self-test: unplug the reader and plug it "
        "in again; if that does not help, call support.",
        _ENV,
        False,
    ),
    StatusInfo(
        0x66,
        "安全模块未经授权，无法使用",
        "阅读器未经授权，无法使用：请联系技术支持更换阅读器。",
        "The reader is not authorised and cannot be used: call support for another reader.",
        _ENV,
        False,
    ),
    StatusInfo(
        0x80,
        "寻找证卡失败",
        "阅读器上没有证件：请把证件平放在阅读器上。",
        "There is no card on the reader: lay the card flat on it.",
        _CARD,
        True,
    ),
    StatusInfo(
        0x81,
        "选取证卡失败",
        "选卡失败。" + _PLACE_AGAIN_ZH,
        "The card could not be selected. " + _PLACE_AGAIN_EN,
        _CARD,
        True,
    ),
    StatusInfo(
        0x91,
        "证卡中此项无内容",
        "证件中没有这项内容。",
        "The card holds no such content.",
        _CARD,
        False,
    ),
)


def status_info(code: int) -> StatusInfo:
    """What SW3 ``code`` means; a code not in :data:`STATUSES` gets a generic entry.

    Args:
        code: the SW3 byte.

    Returns:
        The status's meaning and messages.
    """
    known = STATUSES.get(code)
    if known is not None:
        return known
    return StatusInfo(
        code,
        "未知状态",
        f"阅读器报告错误（代码 0x{code:02X}）：请重新放置证件；反复出现请联系技术支持。",
        f"The reader reports error 0x{code:02X}: place the card again; if it keeps "
        "happening, call support.",
        _ENV,
        False,
    )


class ReaderStatusError(CardReaderError):
    """The reader answered a command with an error status (SW3).

    Args:
        status: the SW3 byte.
        command: the command it answered, for the log.
        sw1: the card's SW1, passed on by the reader.
        sw2: the card's SW2.
    """

    def __init__(
        self, status: int, command: Command | None = None, sw1: int = 0, sw2: int = 0
    ) -> None:
        info = status_info(status)
        what = command.name if command is not None else "command"
        super().__init__(
            info.message_zh,
            info.message_en,
            f"{what}: SW1 {sw1:02X} SW2 {sw2:02X} SW3 {status:02X} ({info.name})",
        )
        self.fault = info.fault
        self.status = status
        self.transient = info.transient
        self.command = command


@dataclass(frozen=True)
class Reply:
    """A reply frame's body.

    Attributes:
        sw1: the card's status byte 1, passed on by the reader.
        sw2: the card's status byte 2.
        sw3: the reader's status.
        data: what follows.
    """

    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @classmethod
    def parse(cls, body: bytes) -> Reply:
        """Read a reply body.

        Args:
            body: the frame's body.

        Returns:
            The reply.

        Raises:
            ReaderProtocolError: when the body is too short to be a reply.
        """
        if len(body) < 3:
            raise ReaderProtocolError(f"a reply of {len(body)} bytes has no status")
        return cls(body[0], body[1], body[2], body[3:])

    def encode(self) -> bytes:
        """The body's bytes (for the simulator)."""
        return bytes([self.sw1, self.sw2, self.sw3]) + self.data


@dataclass(frozen=True)
class CardData:
    """The data of a successful read reply.

    Attributes:
        text: the text block (256 bytes).
        photo: the photo as the card holds it (1024 bytes).
        fingerprint: fingerprint data (only for :attr:`Command.READ_WITH_FINGERPRINT`).
    """

    text: bytes
    photo: bytes
    fingerprint: bytes = b""


def split_read_data(data: bytes, with_fingerprint: bool = False) -> CardData:
    """Split a read reply's data: the lengths, then the text, photo (and fingerprints).

    Args:
        data: the reply's data after SW1-SW3.
        with_fingerprint: whether the reply answers :attr:`Command.READ_WITH_FINGERPRINT`
            (a third length and the fingerprints after the photo).

    Returns:
        The parts.

    Raises:
        ReaderProtocolError: when the lengths do not add up, or the text block is not
            the 256 bytes every card layout has.
    """
    heads = 3 if with_fingerprint else 2
    if len(data) < 2 * heads:
        raise ReaderProtocolError(f"a read reply of {len(data)} bytes has no lengths")
    lengths = [int.from_bytes(data[2 * i : 2 * i + 2], "big") for i in range(heads)]
    if 2 * heads + sum(lengths) != len(data):
        raise ReaderProtocolError(f"read reply lengths {lengths} do not add up to {len(data)}")
    if lengths[0] != TEXT_LENGTH:
        raise ReaderProtocolError(f"a text block of {lengths[0]} bytes")
    text_end = 2 * heads + lengths[0]
    photo_end = text_end + lengths[1]
    return CardData(data[2 * heads : text_end], data[text_end:photo_end], data[photo_end:])


# --- The text block --------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """One field of a text layout: byte offset and length, UCS-2 little-endian."""

    name: str
    offset: int
    length: int


def _layout(*fields: tuple[str, int]) -> tuple[FieldSpec, ...]:
    specs: list[FieldSpec] = []
    offset = 0
    for name, length in fields:
        specs.append(FieldSpec(name, offset, length))
        offset += length
    if offset != TEXT_LENGTH:
        raise AssertionError(f"a layout covers {offset} bytes, not {TEXT_LENGTH}")
    return tuple(specs)


# Offsets from public reader SDK notes (GA 467-derived structures); the number is at 122
# in every layout and the type letter at 248. docs/card-reader.md has the tables.
LAYOUTS: Mapping[CardType, tuple[FieldSpec, ...]] = {
    CardType.RESIDENT: _layout(
        ("name", 30),
        ("sex", 2),
        ("nation", 4),
        ("birth_date", 16),
        ("address", 70),
        ("number", 36),
        ("authority", 30),
        ("valid_from", 16),
        ("valid_to", 16),
        ("reserved", 36),
    ),
    CardType.HMT_PERMIT: _layout(
        ("name", 30),
        ("sex", 2),
        ("nation", 4),
        ("birth_date", 16),
        ("address", 70),
        ("number", 36),
        ("authority", 30),
        ("valid_from", 16),
        ("valid_to", 16),
        ("pass_number", 18),
        ("issue_count", 4),
        ("reserved", 6),
        ("card_type", 2),
        ("reserved_2", 6),
    ),
    CardType.FOREIGN_2017: _layout(
        ("name_en", 120),
        ("sex", 2),
        ("number", 30),
        ("nation", 6),
        ("name", 30),
        ("valid_from", 16),
        ("valid_to", 16),
        ("birth_date", 16),
        ("card_version", 4),
        ("authority", 8),
        ("card_type", 2),
        ("reserved", 6),
    ),
    CardType.FOREIGN_2023: _layout(
        ("name", 30),
        ("sex", 2),
        ("renewal_count", 4),
        ("birth_date", 16),
        ("name_en", 70),
        ("number", 36),
        ("reserved", 30),
        ("valid_from", 16),
        ("valid_to", 16),
        ("name_en_more", 22),
        ("nation", 6),
        ("card_type", 2),
        ("previous_number_link", 6),
    ),
}

TYPE_LETTERS: Mapping[CardType, str] = {
    CardType.RESIDENT: " ",
    CardType.HMT_PERMIT: "J",
    CardType.FOREIGN_2017: "I",
    CardType.FOREIGN_2023: "Y",
}
_TYPES_BY_BYTE: Mapping[int, CardType] = {
    **{ord(letter): card_type for card_type, letter in TYPE_LETTERS.items()},
    0x00: CardType.RESIDENT,
}
_KINDS: Mapping[CardType, DocumentKind] = {
    CardType.RESIDENT: DocumentKind.RESIDENT_ID,
    CardType.HMT_PERMIT: DocumentKind.RESIDENCE_PERMIT,
    CardType.FOREIGN_2017: DocumentKind.FOREIGN_PERMANENT_RESIDENCE,
    CardType.FOREIGN_2023: DocumentKind.FOREIGN_PERMANENT_RESIDENCE,
}
LONG_TERM = "长期"
# What a chip pads with: ASCII spaces, sometimes NULs or ideographic spaces.
_PADDING = " \x00\u3000"


def card_type_of(text_block: bytes) -> CardType:
    """Which card a text block comes from, by its byte 248.

    Args:
        text_block: the 256-byte text block.

    Returns:
        The card type.

    Raises:
        CardContentError: when the block is not 256 bytes or the type byte is unknown.
    """
    if len(text_block) != TEXT_LENGTH:
        raise CardContentError(f"a text block of {len(text_block)} bytes")
    card_type = _TYPES_BY_BYTE.get(text_block[CARD_TYPE_OFFSET])
    if card_type is None:
        raise CardContentError(f"unknown card type byte 0x{text_block[CARD_TYPE_OFFSET]:02X}")
    return card_type


def read_fields(text_block: bytes, card_type: CardType) -> dict[str, str]:
    """Decode every field of ``card_type``'s layout, padding stripped.

    Args:
        text_block: the 256-byte text block.
        card_type: the layout to use.

    Returns:
        Field name to text.

    Raises:
        CardContentError: when a field is not valid UCS-2.
    """
    out: dict[str, str] = {}
    for spec in LAYOUTS[card_type]:
        raw = text_block[spec.offset : spec.offset + spec.length]
        try:
            out[spec.name] = raw.decode("utf-16-le").strip(_PADDING)
        except UnicodeDecodeError:
            raise CardContentError(f"field {spec.name} is not UCS-2") from None
    return out


def _date(fields: Mapping[str, str], name: str) -> dt.date:
    text = fields[name]
    if len(text) == 8 and text.isascii() and text.isdigit():
        try:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    raise CardContentError(f"field {name} is not a date (YYYYMMDD), {len(text)} characters")


def _count(fields: Mapping[str, str], name: str) -> int | None:
    text = fields.get(name, "")
    return int(text) if text.isascii() and text.isdigit() else None


def parse_card(text_block: bytes, photo: bytes, *, today: dt.date | None = None) -> CardRead:
    """Read a card from a read reply's text block and photo.

    The card type comes from byte 248 (space: resident card; ``J``: residence permit for
    Hong Kong, Macao and Taiwan residents; ``I``: 2017 foreigner's permanent residence
    card; ``Y``: the 2023 one). The number is validated with
    :func:`~desk_app.identity.identify`; the document's ``expiry_date`` is the card's end
    of validity, with an ``expired`` warning when it has passed.

    Args:
        text_block: the 256-byte text block.
        photo: the photo bytes, kept as they are.
        today: reference date for validation; default today.

    Returns:
        The card.

    Raises:
        CardContentError: when the block cannot be read, a date is not a date, or the
            number is not a valid number of the card's kind.
    """
    today = today or dt.date.today()
    card_type = card_type_of(text_block)
    fields = read_fields(text_block, card_type)
    document = _validated(fields["number"], card_type, today)
    valid_to_text = fields["valid_to"]
    valid_to = None if valid_to_text == LONG_TERM else _date(fields, "valid_to")
    sex, _, _ = sex_of(fields["sex"])
    warnings = document.warnings
    if valid_to is not None and valid_to < today:
        # The same warning an expired passport gets, so the counter treats both alike.
        warnings = (*warnings, Problem.of("expired", date=valid_to.isoformat()))
    document = dataclasses.replace(
        document, expiry_date=valid_to, sex=document.sex or sex, warnings=warnings
    )

    name_en: str | None = None
    nation: Nation | None
    address: str | None = fields.get("address") or None
    authority: str | None = fields.get("authority") or None
    if card_type is CardType.FOREIGN_2017:
        name_en = fields["name_en"]
        nation = Nation.country(fields["nation"])
    elif card_type is CardType.FOREIGN_2023:
        name_en = (fields["name_en"] + fields["name_en_more"]).strip(_PADDING)
        nation = Nation.country(fields["nation"])
    else:
        # A residence permit keeps the ethnic group's bytes but leaves them blank.
        nation = Nation.ethnic(fields["nation"]) if fields["nation"] else None
    return CardRead(
        card_type=card_type,
        number=document.number,
        name=fields["name"] or (name_en or ""),
        name_en=name_en or None,
        sex=sex,
        sex_code=fields["sex"],
        nation=nation,
        birth_date=_date(fields, "birth_date"),
        address=address,
        authority=authority,
        valid_from=_date(fields, "valid_from"),
        valid_to=valid_to,
        valid_to_text=valid_to_text,
        photo=bytes(photo),
        document=document,
        pass_number=fields.get("pass_number") or None,
        issue_count=_count(fields, "issue_count"),
        card_version=fields.get("card_version") or None,
        renewal_count=_count(fields, "renewal_count"),
        previous_number_link=fields.get("previous_number_link") or None,
    )


def _validated(number: str, card_type: CardType, today: dt.date) -> Document:
    if not number:
        raise CardContentError("the card carries no number")
    try:
        document = identify(number, kinds=PERSON_KINDS, today=today)
    except InvalidDocumentError as error:
        raise CardContentError(
            f"the number on a {card_type.value} card is invalid", error.problems
        ) from None
    expected_length = 15 if card_type is CardType.FOREIGN_2017 else 18
    if document.kind is not _KINDS[card_type] or len(document.number) != expected_length:
        raise CardContentError(f"a {card_type.value} card carries a {document.kind.value} number")
    return document
