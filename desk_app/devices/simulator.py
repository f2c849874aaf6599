"""A card reader that is not there: the exact bytes a serial "SAM" reader sends.

Used by the tests (through a real virtual serial pair) and by trainers in training mode
(``desk-app reader simulate --port PATH --person NUMBER`` on one end of a socat pair,
the desk's reader on the other). Synthetic people only.

:class:`ReaderSimulator` answers find, select and read (text and photo, with or without
fingerprints) for the person whose card lies on it. Its :class:`Knobs` make it behave
like a bad line or a moody reader: replies split into small fragments, a late copy of
the previous reply in front of each reply (several frames in one read), noise before
frames, corrupted checksums, error statuses, and cards placed and taken away.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

import serial  # type: ignore[import-untyped, unused-ignore]

from desk_app.devices.card import CardType
from desk_app.devices.sam import (
    LAYOUTS,
    LONG_TERM,
    PHOTO_LENGTH,
    PREAMBLE,
    SW3_CARD_FOUND,
    SW3_NO_CARD,
    SW3_SUCCESS,
    TEXT_LENGTH,
    TYPE_LETTERS,
    Command,
    FrameDecoder,
    Reply,
    encode_frame,
)
from desk_app.devices.serial_reader import PORT_ERRORS
from desk_app.identity import DocumentKind, Sex, identify, mask_number

# SW3 the reader answers when the host's frame arrived damaged (public protocol notes).
SW3_BAD_CHECKSUM = 0x10
SW3_UNKNOWN_COMMAND = 0x21
# Select answers with 8 bytes; real readers send zeros (no usable card serial).
SERIAL_LENGTH = 8
_KEEP_COMMANDS = 10_000

# What a noisy line adds: stray bytes, a preamble with an impossible length, a broken
# preamble, and a plausible frame with a wrong checksum that starts inside the noise.
NOISE = (
    b"\x00\xff\x13"
    + PREAMBLE
    + b"\xff\xff"
    + b"\xaa\xaa\x96\x69"
    + PREAMBLE
    + b"\x00\x05\x01\x02\x03\x04\x55"
    + b"\xaa\xaa"
)


@dataclass(frozen=True)
class SyntheticPerson:
    """A synthetic card's contents, as text (dates as ``YYYYMMDD``).

    Attributes:
        card_type: which card.
        number: the card's number.
        name: Chinese name.
        sex_code: GB/T 2261.1 code ("1" male, "2" female).
        birth_date: ``YYYYMMDD``.
        valid_from: ``YYYYMMDD``.
        valid_to: ``YYYYMMDD`` or 长期.
        nation_code: ethnic group (resident card) or ISO alpha-3 nationality.
        address: address (resident card and residence permit).
        authority: issuing authority; accepting office code on a 2017 foreigner's card.
        name_en: English name (foreigners' cards).
        pass_number: travel-pass number (residence permit).
        issue_count: permit issue count, two digits.
        card_version: 2017 card version, two characters.
        renewal_count: 2023 card renewal count, two digits.
        previous_number_link: 2023 card link to an earlier card's number, three characters.
    """

    card_type: CardType
    number: str
    name: str
    sex_code: str
    birth_date: str
    valid_from: str
    valid_to: str
    nation_code: str = ""
    address: str = ""
    authority: str = ""
    name_en: str = ""
    pass_number: str = ""
    issue_count: str = ""
    card_version: str = ""
    renewal_count: str = ""
    previous_number_link: str = ""

    def __repr__(self) -> str:
        """Card type and masked number: a repr may end up in a log."""
        return f"SyntheticPerson({self.card_type.value}, {mask_number(self.number)})"

    def fields(self) -> dict[str, str]:
        """The text of every field of the card type's layout."""
        values = {
            "name": self.name,
            "sex": self.sex_code,
            "nation": self.nation_code,
            "birth_date": self.birth_date,
            "address": self.address,
            "number": self.number,
            "authority": self.authority,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "pass_number": self.pass_number,
            "issue_count": self.issue_count,
            "card_version": self.card_version,
            "renewal_count": self.renewal_count,
            "previous_number_link": self.previous_number_link,
            "card_type": TYPE_LETTERS[self.card_type].strip(),
            "name_en": self.name_en,
        }
        if self.card_type is CardType.FOREIGN_2023:
            # The 2023 layout has 35 characters for the English name and 11 more later.
            values["name_en"], values["name_en_more"] = self.name_en[:35], self.name_en[35:]
        return values

    def text_block(self) -> bytes:
        """The 256-byte text block, UCS-2 little-endian, space-padded.

        Raises:
            ValueError: when a field does not fit its place.
        """
        block = bytearray(" ".encode("utf-16-le") * (TEXT_LENGTH // 2))
        values = self.fields()
        for spec in LAYOUTS[self.card_type]:
            raw = values.get(spec.name, "").encode("utf-16-le")
            if len(raw) > spec.length:
                raise ValueError(f"field {spec.name} does not fit in {spec.length} bytes")
            block[spec.offset : spec.offset + len(raw)] = raw
        return bytes(block)

    def photo(self) -> bytes:
        """1024 synthetic photo bytes (not an image; the real format needs a licence)."""
        seed = hashlib.sha256(b"photo:" + self.number.encode()).digest()
        return (seed * (PHOTO_LENGTH // len(seed) + 1))[:PHOTO_LENGTH]

    def serial(self) -> bytes:
        """A card serial derived from the number (for readers that report one)."""
        return hashlib.sha256(b"serial:" + self.number.encode()).digest()[:SERIAL_LENGTH]


SYNTHETIC_PEOPLE: Mapping[str, SyntheticPerson] = {
    person.number: person
    for person in (
        SyntheticPerson(
            card_type=CardType.RESIDENT,
            number="371602198601115150",
            name="孙明远",
            sex_code="1",
            nation_code="01",
            birth_date="19860111",
            address="山东省滨州市滨城区黄河五路100号",
            authority="滨州市公安局滨城分局",
            valid_from="20160305",
            valid_to="20360305",
        ),
        SyntheticPerson(
            card_type=CardType.HMT_PERMIT,
            number="810000199408230021",
            name="陈嘉欣",
            sex_code="2",
            birth_date="19940823",
            address="山东省滨州市滨城区渤海七路200号",
            authority="滨州市公安局",
            valid_from="20240601",
            valid_to="20290601",
            pass_number="H00000001",
            issue_count="01",
        ),
        SyntheticPerson(
            card_type=CardType.FOREIGN_2017,
            number="KAZ110090123105",
            name="安娜",
            name_en="TESTOVA, ANNA",
            sex_code="2",
            nation_code="KAZ",
            birth_date="19901231",
            valid_from="20170601",
            valid_to="20270601",
            card_version="01",
            authority="1100",
        ),
        SyntheticPerson(
            card_type=CardType.FOREIGN_2023,
            number="911398199012310021",
            name="安娜",
            name_en="TESTOVA ANNA MARIA ALEXANDRA KONSTANTINOVNA",
            sex_code="2",
            nation_code="KAZ",
            birth_date="19901231",
            valid_from="20230601",
            valid_to="20330601",
            renewal_count="01",
            previous_number_link="105",
        ),
    )
}


def person_for(number: str, today: dt.date | None = None) -> SyntheticPerson:
    """The synthetic person with ``number``: one of :data:`SYNTHETIC_PEOPLE`, or one
    made up around any other valid person number (names say it is a test card).

    Args:
        number: a resident, residence permit or foreigner's card number.
        today: reference date for validation; default today.

    Returns:
        The person.

    Raises:
        InvalidDocumentError: when the number is not a valid person number.
        ValueError: when it is valid but not a number a card reader reads (an MRZ).
    """
    known = SYNTHETIC_PEOPLE.get(number.strip().upper())
    if known is not None:
        return known
    today = today or dt.date.today()
    kinds = {k for k in DocumentKind if k is not DocumentKind.USCC}
    document = identify(number, kinds=kinds, today=today)
    birth = document.birth_date or dt.date(1990, 1, 1)
    sex_code = "2" if document.sex is Sex.FEMALE else "1"
    start = today.replace(day=1) - dt.timedelta(days=365)
    common = {
        "number": document.number,
        "sex_code": sex_code,
        "birth_date": birth.strftime("%Y%m%d"),
        "valid_from": start.strftime("%Y%m%d"),
        "valid_to": start.replace(year=start.year + 10).strftime("%Y%m%d"),
    }
    if document.kind is DocumentKind.RESIDENT_ID:
        return SyntheticPerson(
            card_type=CardType.RESIDENT,
            name="测试居民",
            nation_code="01",
            address="山东省滨州市滨城区培训路1号",
            authority="滨州市公安局滨城分局",
            **common,
        )
    if document.kind is DocumentKind.RESIDENCE_PERMIT:
        return SyntheticPerson(
            card_type=CardType.HMT_PERMIT,
            name="测试居民",
            address="山东省滨州市滨城区培训路1号",
            authority="滨州市公安局",
            pass_number="H00000002",
            issue_count="01",
            **common,
        )
    if document.kind is DocumentKind.FOREIGN_PERMANENT_RESIDENCE:
        nationality = document.nationality or "XXX"
        if len(document.number) == 15:
            return SyntheticPerson(
                card_type=CardType.FOREIGN_2017,
                name="测试",
                name_en="TEST, CARD",
                nation_code=nationality,
                card_version="01",
                authority=document.number[3:7],
                **common,
            )
        return SyntheticPerson(
            card_type=CardType.FOREIGN_2023,
            name="测试",
            name_en="TEST CARD",
            nation_code=nationality,
            renewal_count="00",
            **common,
        )
    raise ValueError(f"a {document.kind.value} is not read by a card reader")


def find_reply(present: bool) -> bytes:
    """The reply frame to find: ``9F`` and four zero bytes, or ``80`` (no card)."""
    if present:
        return encode_frame(Reply(0, 0, SW3_CARD_FOUND, bytes(4)).encode())
    return status_reply(SW3_NO_CARD)


def select_reply(card_serial: bytes = bytes(SERIAL_LENGTH)) -> bytes:
    """The reply frame to select: ``90`` and the 8-byte card serial (zeros by default)."""
    return encode_frame(Reply(0, 0, SW3_SUCCESS, card_serial).encode())


def read_reply(person: SyntheticPerson, with_fingerprint: bool = False) -> bytes:
    """The reply frame to read: ``90``, the lengths, the text block and the photo.

    Args:
        person: whose card.
        with_fingerprint: answer :attr:`Command.READ_WITH_FINGERPRINT` (a third length,
            zero: the synthetic card holds no fingerprints).

    Returns:
        The frame.
    """
    text, photo = person.text_block(), person.photo()
    lengths = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
    if with_fingerprint:
        lengths += bytes(2)
    return encode_frame(Reply(0, 0, SW3_SUCCESS, lengths + text + photo).encode())


def status_reply(sw3: int) -> bytes:
    """A reply frame carrying only a status (an error, or ``80`` no card)."""
    return encode_frame(Reply(0, 0, sw3, b"").encode())


@dataclass
class Knobs:
    """How the simulated reader misbehaves. Change them through :meth:`ReaderSimulator.set`.

    Attributes:
        fragment: write each reply in pieces of this many bytes (0: in one write).
        fragment_pause_s: pause between pieces, so that they arrive in separate reads.
        merge: write a late copy of the previous reply in front of each reply, in the
            same write (several frames in one read; the reader must skip the stale one).
        noise: bytes written before each reply.
        corrupt: corrupt the checksum of the next this many replies.
        serials: answer select with a per-card serial instead of zeros.
        quiet_after_read: answer find with ``80`` for a card that was read, until it is
            taken away (what some readers do).
        errors: answer a command with this SW3, ``(sw3, times)``; times None is forever.
    """

    fragment: int = 0
    fragment_pause_s: float = 0.0
    merge: bool = False
    noise: bytes = b""
    corrupt: int = 0
    serials: bool = False
    quiet_after_read: bool = False
    errors: dict[Command, tuple[int, int | None]] = field(default_factory=dict)


class ReaderSimulator:
    """A serial card reader with a card on it (or not).

    Thread-safe: tests and trainers change the card and the knobs while :meth:`serve`
    runs on another thread.

    Args:
        person: the card on the reader, or None.
        knobs: how it misbehaves; default not at all.
    """

    def __init__(self, person: SyntheticPerson | None = None, knobs: Knobs | None = None) -> None:
        self._lock = threading.Condition()
        self._person = person
        self._knobs = knobs or Knobs()
        self._previous_reply = b""
        self._read_this_placement = False
        # The commands answered (recent ones), and how many in all.
        self.commands: list[Command | None] = []
        self.answered = 0
        self.reads = 0

    @property
    def person(self) -> SyntheticPerson | None:
        """The card on the reader."""
        with self._lock:
            return self._person

    def place(self, person: SyntheticPerson | None) -> None:
        """Put ``person``'s card on the reader (None takes the card away)."""
        with self._lock:
            self._person = person
            self._read_this_placement = False

    def remove(self) -> None:
        """Take the card away."""
        self.place(None)

    def set(self, **changes: object) -> None:
        """Change knobs, e.g. ``set(fragment=7, noise=NOISE)``.

        Args:
            **changes: :class:`Knobs` fields and their new values.
        """
        with self._lock:
            self._knobs = dataclasses.replace(self._knobs, **changes)  # type: ignore[arg-type]

    def fail(self, command: Command, sw3: int, times: int | None = None) -> None:
        """Answer ``command`` with the error status ``sw3``.

        Args:
            command: which command.
            sw3: the status.
            times: how many times; None for every time until :meth:`heal`.
        """
        with self._lock:
            self._knobs.errors[command] = (sw3, times)

    def heal(self) -> None:
        """Stop answering with error statuses."""
        with self._lock:
            self._knobs.errors.clear()

    def wait_for(self, commands: int, timeout_s: float) -> bool:
        """Wait until at least ``commands`` commands were answered in all.

        Args:
            commands: the count to reach.
            timeout_s: the longest wait.

        Returns:
            Whether the count was reached.
        """
        with self._lock:
            return self._lock.wait_for(lambda: self.answered >= commands, timeout_s)

    def answer(self, body: bytes) -> bytes:
        """The bytes the reader writes in answer to one command frame's body.

        Args:
            body: the command frame's body (CMD PARA [DATA]).

        Returns:
            Everything written back, knobs applied (noise, merged replies, corruption).
        """
        with self._lock:
            command = _command(body)
            reply = self._reply(command)
            knobs = self._knobs
            if knobs.corrupt:
                knobs.corrupt -= 1
                reply = reply[:-1] + bytes([reply[-1] ^ 0x5A])
            out = knobs.noise
            if knobs.merge:
                out += self._previous_reply
            self._previous_reply = reply
            self.answered += 1
            self.commands.append(command)
            if len(self.commands) > _KEEP_COMMANDS:
                # A trainer's simulator runs for days: keep the recent history only.
                del self.commands[: _KEEP_COMMANDS // 2]
            self._lock.notify_all()
            return out + reply

    def _reply(self, command: Command | None) -> bytes:
        knobs = self._knobs
        if command is None:
            return status_reply(SW3_UNKNOWN_COMMAND)
        error = knobs.errors.get(command)
        if error is not None:
            sw3, times = error
            if times is not None:
                if times <= 1:
                    del knobs.errors[command]
                else:
                    knobs.errors[command] = (sw3, times - 1)
            return status_reply(sw3)
        person = self._person
        if command is Command.FIND_CARD:
            quiet = knobs.quiet_after_read and self._read_this_placement
            return find_reply(person is not None and not quiet)
        if person is None:
            # Select or read without a card: what readers answer when the card has gone.
            return status_reply(0x81 if command is Command.SELECT_CARD else 0x41)
        if command is Command.SELECT_CARD:
            return select_reply(person.serial() if knobs.serials else bytes(SERIAL_LENGTH))
        if command in (Command.READ_TEXT_PHOTO, Command.READ_WITH_FINGERPRINT):
            self.reads += 1
            self._read_this_placement = True
            return read_reply(person, command is Command.READ_WITH_FINGERPRINT)
        if command in (Command.RESET, Command.STATUS) or command.name.startswith("BAUD_"):
            return status_reply(SW3_SUCCESS)
        return status_reply(SW3_UNKNOWN_COMMAND)

    def _pieces(self, data: bytes) -> tuple[list[bytes], float]:
        with self._lock:
            size, pause = self._knobs.fragment, self._knobs.fragment_pause_s
        if size <= 0:
            return [data], 0.0
        return [data[i : i + size] for i in range(0, len(data), size)], pause

    def serve(self, port: serial.Serial, stop: threading.Event) -> None:
        """Answer commands arriving on ``port`` until ``stop`` is set or the port goes away.

        Args:
            port: an open pyserial port with a short read timeout (it bounds how long a
                stop takes to be noticed).
            stop: set it to end serving.
        """
        decoder = FrameDecoder()
        while not stop.is_set():
            try:
                chunk: bytes = port.read(max(1, min(port.in_waiting, 4096)))
                rejected = decoder.rejected
                answers = [self.answer(body) for body in decoder.feed(chunk)]
                if decoder.rejected > rejected:
                    answers.append(status_reply(SW3_BAD_CHECKSUM))
                for data in answers:
                    pieces, pause = self._pieces(data)
                    for index, piece in enumerate(pieces):
                        if index and pause and stop.wait(pause):
                            return
                        port.write(piece)
                        port.flush()
            except PORT_ERRORS:
                return  # the other end is gone (the pair was unplugged)


def serve_port(
    path: str,
    simulator: ReaderSimulator,
    stop: threading.Event,
    baud: int = 115200,
    ready: threading.Event | None = None,
) -> None:
    """Open ``path`` and serve ``simulator`` on it until ``stop`` or the port goes away.

    Args:
        path: the simulator's end of a virtual serial pair.
        simulator: what to answer.
        stop: set it to end serving.
        baud: the line speed (a virtual pair ignores it).
        ready: set once the port is open (opening a port drops what was waiting in it,
            so a command sent before would be lost).

    Raises:
        serial.SerialException: when the port cannot be opened.
    """
    port = serial.Serial(path, baud, timeout=0.02, write_timeout=2.0)
    if ready is not None:
        ready.set()
    try:
        simulator.serve(port, stop)
    finally:
        port.close()


def _command(body: bytes) -> Command | None:
    try:
        return Command(bytes(body[:2]))
    except ValueError:
        return None


def long_term(person: SyntheticPerson) -> SyntheticPerson:
    """``person`` with a card valid without end (长期)."""
    return dataclasses.replace(person, valid_to=LONG_TERM)
