"""The ID card reader at the counter: poll for a card, read it once per placement.

Two layers:

* :class:`SamSerialDriver` speaks the serial "SAM" protocol (:mod:`desk_app.devices.sam`)
  over pyserial: 115200 8N1 by default, one command at a time, resent when the reply is
  lost or damaged. It implements :class:`~desk_app.devices.vendor.ReaderDriver`, the
  same small interface a vendor SDK adapter implements.
* :class:`CardReader` polls any driver: find, select, read; a card is read once per
  placement (a card left on the reader is not read again until it is taken away); a
  reader that goes away is reopened (the port path asked again from a callable, since a
  USB-serial reader plugged back may get another device name); without a card it polls
  at a bounded interval, for hours, without busy-waiting.

The UI runs :meth:`CardReader.run` on its own worker thread; nothing here touches Qt.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import serial  # type: ignore[import-untyped, unused-ignore]

from desk_app.devices.card import (
    CardContentError,
    CardRead,
    CardReaderError,
    ReaderProtocolError,
    ReaderSettingsError,
    ReaderTimeoutError,
    ReaderUnavailableError,
)
from desk_app.devices.sam import (
    SUPPORTED_BAUD_RATES,
    SW3_CARD_FOUND,
    SW3_NO_CARD,
    SW3_SELECT_FAILED,
    SW3_SUCCESS,
    TEXT_LENGTH,
    CardData,
    Command,
    FrameDecoder,
    ReaderStatusError,
    Reply,
    command_frame,
    parse_card,
    split_read_data,
    status_info,
)
from desk_app.devices.vendor import ReaderDriver
from desk_app.errors import Fault

log = logging.getLogger(__name__)

try:
    import termios

    # pyserial lets termios errors through (tcflush on a pty whose other end is gone).
    PORT_ERRORS: tuple[type[Exception], ...] = (serial.SerialException, OSError, termios.error)
except ImportError:  # pragma: no cover - Windows
    PORT_ERRORS = (serial.SerialException, OSError)

# pyserial says ValueError for settings the port refuses.
_OPEN_ERRORS: tuple[type[Exception], ...] = (*PORT_ERRORS, ValueError)

PortProvider = Callable[[], str | None]
"""Says which port the reader is on now; None when no reader is found."""

# The reader says our command arrived damaged: resend it.
_RESEND_STATUSES = frozenset({0x10, 0x11})
# What a reply carries besides its data: preamble, length, SW1-SW3, checksum.
_REPLY_OVERHEAD = 11
_READ_REPLY_BYTES = _REPLY_OVERHEAD + 4 + TEXT_LENGTH + 1024


def fixed_port(path: str) -> PortProvider:
    """A provider that always names ``path``.

    Args:
        path: a device path (``/dev/ttyUSB0``, ``COM3``).

    Returns:
        The provider.
    """
    return lambda: path


def glob_port(*patterns: str) -> PortProvider:
    """A provider that names the first existing match of ``patterns``, looked up anew
    at each (re)connection, e.g. ``glob_port("/dev/ttyUSB*", "/dev/ttyACM*")``.

    Args:
        *patterns: glob patterns, tried in order; matches of one are tried sorted.

    Returns:
        The provider.
    """

    def provide() -> str | None:
        for pattern in patterns:
            matches = sorted(glob.glob(pattern))
            if matches:
                return matches[0]
        return None

    return provide


@dataclass(frozen=True)
class ReaderTimings:
    """How long to wait for what. The defaults suit real readers.

    Attributes:
        poll_interval_s: pause between two polls (no card, or a card already read).
        reconnect_interval_s: pause between two tries to reopen a reader that went away.
        reply_timeout_s: how long a reader may think before answering find or select.
        read_timeout_s: the same for read (the reader talks to the card first).
        quiet_gap_s: after a damaged frame, how long the line must stay quiet before the
            command is resent (a good reply may still follow the damaged one).
        resends: how many times a command is resent after a lost or damaged reply.
        read_chunk_s: the longest a single port read blocks (bounds stop latency).
    """

    poll_interval_s: float = 0.3
    reconnect_interval_s: float = 1.0
    reply_timeout_s: float = 1.0
    read_timeout_s: float = 3.0
    quiet_gap_s: float = 0.1
    resends: int = 2
    read_chunk_s: float = 0.05


class SamSerialDriver:
    """The serial "SAM" protocol over pyserial, one command at a time.

    Args:
        port: a path, or a callable that names the current path (asked at each open).
        baud: one of :data:`~desk_app.devices.sam.SUPPORTED_BAUD_RATES`; 8N1.
        timings: timeouts and resends.

    Raises:
        ReaderSettingsError: for a baud rate readers do not speak.
    """

    def __init__(
        self,
        port: str | PortProvider,
        baud: int = 115200,
        timings: ReaderTimings | None = None,
    ) -> None:
        if baud not in SUPPORTED_BAUD_RATES:
            rates = ", ".join(map(str, SUPPORTED_BAUD_RATES))
            raise ReaderSettingsError(
                f"身份证阅读器不支持波特率 {baud}：可用 {rates}。",
                f"ID card readers do not speak {baud} baud; use one of {rates}.",
            )
        self._provider = fixed_port(port) if isinstance(port, str) else port
        self._baud = baud
        self._timings = timings or ReaderTimings()
        self._port: serial.Serial | None = None
        self._path: str | None = None
        self._decoder = FrameDecoder()

    @property
    def description(self) -> str:
        """The port in use (or last tried)."""
        return self._path or "?"

    @property
    def is_open(self) -> bool:
        """Whether the port is open."""
        return self._port is not None

    def open(self) -> None:
        """Open the port the provider names now.

        Raises:
            ReaderUnavailableError: when no port is named or it cannot be opened.
        """
        self.close()
        path = self._provider()
        self._path = path
        if not path:
            raise ReaderUnavailableError(None, "no reader port found")
        try:
            # 8N1 is pyserial's default; the write timeout keeps a wedged port from
            # blocking the worker thread for ever.
            self._port = serial.Serial(
                path,
                self._baud,
                timeout=self._timings.read_chunk_s,
                write_timeout=self._timings.reply_timeout_s,
            )
        except _OPEN_ERRORS as error:
            raise ReaderUnavailableError(path, str(error)) from None

    def close(self) -> None:
        """Close the port; safe when it is not open."""
        port, self._port = self._port, None
        self._decoder.reset()
        if port is not None:
            # A port that went away cannot be closed cleanly; it is gone anyway.
            with contextlib.suppress(*PORT_ERRORS):
                port.close()

    def find_card(self) -> bool:
        """Send find.

        Returns:
            True when a card was found, False when there is none.

        Raises:
            ReaderStatusError: any other status.
            ReaderTimeoutError: no reply after the resends.
            ReaderProtocolError: only damaged replies.
            ReaderUnavailableError: the port went away.
        """
        reply = self.transact(Command.FIND_CARD)
        if reply.sw3 == SW3_CARD_FOUND:
            return True
        if reply.sw3 == SW3_NO_CARD:
            return False
        raise ReaderStatusError(reply.sw3, Command.FIND_CARD, reply.sw1, reply.sw2)

    def select_card(self) -> bytes:
        """Send select.

        Returns:
            The serial the reader reports (zeros for most readers).

        Raises:
            ReaderStatusError: the card could not be selected.
            ReaderTimeoutError: no reply after the resends.
            ReaderProtocolError: only damaged replies.
            ReaderUnavailableError: the port went away.
        """
        reply = self.transact(Command.SELECT_CARD)
        if reply.sw3 != SW3_SUCCESS:
            raise ReaderStatusError(reply.sw3, Command.SELECT_CARD, reply.sw1, reply.sw2)
        return reply.data

    def read_card(self) -> CardData:
        """Send read (text and photo).

        Returns:
            The text block and the photo.

        Raises:
            ReaderStatusError: the card could not be read.
            ReaderTimeoutError: no reply after the resends.
            ReaderProtocolError: only damaged replies.
            ReaderUnavailableError: the port went away.
        """
        reply = self.transact(Command.READ_TEXT_PHOTO)
        if reply.sw3 != SW3_SUCCESS:
            raise ReaderStatusError(reply.sw3, Command.READ_TEXT_PHOTO, reply.sw1, reply.sw2)
        return split_read_data(reply.data)

    def transact(self, command: Command) -> Reply:
        """Send ``command`` and return its reply, resending when it is lost or damaged.

        Replies that cannot answer this command (a late copy of an earlier reply) are
        skipped; stale bytes are dropped before each send.

        Args:
            command: the command.

        Returns:
            The reply (any status).

        Raises:
            ReaderTimeoutError: no reply after the resends.
            ReaderProtocolError: only damaged replies came back.
            ReaderStatusError: the reader kept saying our command arrived damaged.
            ReaderUnavailableError: the port is not open or went away.
        """
        port = self._port
        if port is None:
            raise ReaderUnavailableError(self._path, "the port is not open")
        frame = command_frame(command)
        timeout = self._reply_timeout(command)
        damaged = 0
        garbled: Reply | None = None
        try:
            for _ in range(1 + self._timings.resends):
                port.reset_input_buffer()
                self._decoder.reset()
                port.write(frame)
                reply, rejected = self._await_reply(port, command, timeout)
                damaged += rejected
                if reply is None:
                    continue
                if reply.sw3 in _RESEND_STATUSES:
                    garbled = reply
                    continue
                return reply
        except PORT_ERRORS as error:
            self.close()
            raise ReaderUnavailableError(self._path, str(error)) from None
        if garbled is not None:
            raise ReaderStatusError(garbled.sw3, command, garbled.sw1, garbled.sw2)
        if damaged:
            raise ReaderProtocolError(f"{command.name}: {damaged} damaged replies")
        raise ReaderTimeoutError(f"{command.name}: no reply in {timeout:.1f} s")

    def _reply_timeout(self, command: Command) -> float:
        timings = self._timings
        if command in (Command.READ_TEXT_PHOTO, Command.READ_WITH_FINGERPRINT):
            # At 9600 baud the reply alone takes 1.35 s on the wire.
            return timings.read_timeout_s + 2 * _READ_REPLY_BYTES * 10 / self._baud
        return timings.reply_timeout_s

    def _await_reply(
        self, port: serial.Serial, command: Command, timeout: float
    ) -> tuple[Reply | None, int]:
        """Read until a reply to ``command`` arrives, the time is up, or the line goes
        quiet after a damaged frame. Returns the reply (or None) and the damaged count."""
        decoder = self._decoder
        rejected_before = decoder.rejected
        start = last_byte = time.monotonic()
        while (now := time.monotonic()) - start < timeout:
            rejected = decoder.rejected - rejected_before
            if rejected and now - last_byte > self._timings.quiet_gap_s:
                return None, rejected
            waiting: int = port.in_waiting
            chunk: bytes = port.read(max(1, min(waiting, 4096)))
            if not chunk:
                continue
            last_byte = time.monotonic()
            for body in decoder.feed(chunk):
                try:
                    reply = Reply.parse(body)
                except ReaderProtocolError:
                    continue
                if _answers(command, reply):
                    return reply, decoder.rejected - rejected_before
        return None, decoder.rejected - rejected_before


def _answers(command: Command, reply: Reply) -> bool:
    """Whether ``reply`` can be the answer to ``command`` (and not a late copy of the
    answer to an earlier one: each success has its own shape, 80 answers only find, 81
    only select, and card-side errors never answer find)."""
    if command is Command.FIND_CARD:
        # Find answers 9F, 80 or a reader-side error; a card-side error is a late copy of
        # a select or read reply.
        return reply.sw3 in (SW3_CARD_FOUND, SW3_NO_CARD) or (
            status_info(reply.sw3).fault is Fault.ENVIRONMENT and reply.sw3 != SW3_SUCCESS
        )
    if reply.sw3 in (SW3_CARD_FOUND, SW3_NO_CARD):
        return False
    if command is Command.SELECT_CARD:
        return reply.sw3 != SW3_SUCCESS or len(reply.data) < TEXT_LENGTH
    if reply.sw3 == SW3_SELECT_FAILED:
        return False
    if reply.sw3 != SW3_SUCCESS:
        return True
    try:
        split_read_data(reply.data, command is Command.READ_WITH_FINGERPRINT)
    except ReaderProtocolError:
        return False
    return True


class ReaderState(StrEnum):
    """Where the reader stands, for the UI's status line."""

    DISCONNECTED = "disconnected"
    WAITING = "waiting"
    CARD_READ = "card_read"


class CardReader:
    """Polls a reader and reads each card once per placement.

    Args:
        source: a port path, a :data:`PortProvider` (asked at each connection), or any
            :class:`~desk_app.devices.vendor.ReaderDriver` (a vendor SDK adapter).
        baud: the serial line speed (ignored for a driver).
        timings: intervals and timeouts.
        today: the reference date for validation; default today's date.

    Raises:
        ReaderSettingsError: for a baud rate readers do not speak.
    """

    def __init__(
        self,
        source: str | PortProvider | ReaderDriver,
        baud: int = 115200,
        *,
        timings: ReaderTimings | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        self._timings = timings or ReaderTimings()
        if isinstance(source, ReaderDriver):
            self._driver: ReaderDriver = source
        else:
            self._driver = SamSerialDriver(source, baud, self._timings)
        self._today = today
        self._connected = False
        # The serial of the card read in this placement: None when no card was read (or
        # it was taken away); empty when the reader reports no usable serial.
        self._read_serial: bytes | None = None
        self._state = ReaderState.DISCONNECTED

    @property
    def state(self) -> ReaderState:
        """Disconnected, waiting for a card, or a card read and still on the reader."""
        return self._state

    @property
    def timings(self) -> ReaderTimings:
        """The intervals and timeouts in use."""
        return self._timings

    def open(self) -> None:
        """Connect now (:meth:`poll_once` connects by itself when needed).

        Raises:
            ReaderUnavailableError: when the reader cannot be reached.
        """
        self._driver.open()
        self._connected = True
        if not self._read_serial:
            # Without a serial a card left on the reader cannot be told from one placed
            # while it was away: read whatever lies there.
            self._read_serial = None
        self._state = ReaderState.CARD_READ if self._read_serial else ReaderState.WAITING

    def close(self) -> None:
        """Disconnect; safe to call at any time."""
        self._driver.close()
        self._connected = False
        self._state = ReaderState.DISCONNECTED

    def __enter__(self) -> CardReader:
        """The reader, to be closed at the end of the block."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the reader."""
        self.close()

    def poll_once(self) -> CardRead | None:
        """Look once: find, select and, for a card not read in this placement, read.

        Returns:
            The card, when a new one was read; None when there is no card or the card
            on the reader was already read.

        Raises:
            ReaderUnavailableError: the reader cannot be reached or went away (the next
                call tries to reconnect).
            ReaderStatusError: the reader answered with an error status.
            ReaderTimeoutError: the reader did not answer.
            ReaderProtocolError: the reader's replies cannot be read.
            CardContentError: the card was read but makes no sense (it is not read
                again until taken away).
        """
        if not self._connected:
            self.open()
        try:
            return self._poll()
        except ReaderUnavailableError:
            self.close()
            raise
        except (ReaderTimeoutError, ReaderProtocolError):
            # The reader stopped answering: it may have been reset, or the card swapped
            # meanwhile. Forget the card read, so the one there when it answers again is
            # read (at worst the same card once more); and say it is not connected.
            self._read_serial = None
            self._state = ReaderState.DISCONNECTED
            raise

    def _poll(self) -> CardRead | None:
        driver = self._driver
        if not driver.find_card():
            self._read_serial = None
            self._state = ReaderState.WAITING
            return None
        try:
            card_serial = driver.select_card()
        except ReaderStatusError as error:
            if error.status == SW3_SELECT_FAILED and self._read_serial is not None:
                return None  # readers refuse to select a card they already read
            raise
        known = card_serial if any(card_serial) else b""
        if self._read_serial is not None and (not known or known == self._read_serial):
            return None
        data = driver.read_card()
        try:
            card = parse_card(
                data.text, data.photo, today=self._today() if self._today is not None else None
            )
        except CardContentError:
            # Reading it again gives the same bytes: report once, wait for removal.
            self._mark_read(known)
            raise
        self._mark_read(known)
        log.info("card read: %s", card.card_type.value)
        return card

    def _mark_read(self, card_serial: bytes) -> None:
        self._read_serial = card_serial
        self._state = ReaderState.CARD_READ

    def run(
        self,
        on_card: Callable[[CardRead], None],
        on_error: Callable[[CardReaderError], None],
        stop: threading.Event,
        on_state: Callable[[ReaderState], None] | None = None,
    ) -> None:
        """Poll until ``stop`` is set; for the UI's worker thread.

        Each card is handed to ``on_card`` once per placement. An error is handed to
        ``on_error`` once, not at every poll while it lasts (a reader unplugged for an
        hour is one message); it is reported again after something went right in
        between. A reader that went away is reopened every ``reconnect_interval_s``.
        The reader is closed when the loop ends.

        Args:
            on_card: called with each card read.
            on_error: called with each new error.
            stop: set it from any thread to end the loop (within one poll).
            on_state: called when :attr:`state` changes.
        """
        last_error: tuple[type[CardReaderError], int | None] | None = None
        last_state: ReaderState | None = None
        try:
            while not stop.is_set():
                pause = self._timings.poll_interval_s
                try:
                    card = self.poll_once()
                except CardReaderError as error:
                    key = (type(error), getattr(error, "status", None))
                    if key != last_error:
                        on_error(error)
                        last_error = key
                    if self._state is ReaderState.DISCONNECTED:
                        pause = self._timings.reconnect_interval_s
                else:
                    last_error = None
                    if card is not None:
                        on_card(card)
                if on_state is not None and self._state is not last_state:
                    on_state(self._state)
                last_state = self._state
                stop.wait(pause)
        finally:
            self.close()
