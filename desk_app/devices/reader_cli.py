"""``desk-app reader read|simulate``: the card reader from the command line.

``desk_app/cli.py`` parses the arguments and calls these two functions:

* :func:`read_command` reads one card and returns ``(exit code, object)``:

  - ``0`` and the card's JSON object (:meth:`~desk_app.devices.card.CardRead.to_json`),
    to print on stdout;
  - ``3`` when no card came within the timeout, and
  - ``4`` on a reader or protocol error (the port cannot be opened, the reader does not
    answer or answers garbage, an error status, a card whose content makes no sense),

  both with an object ``{"error": Chinese message, "error_en": English message,
  "fault": ..., "status": SW3 or null}``; print ``error`` and ``error_en`` on stderr
  and nothing on stdout. The function never raises a :class:`DeskError`.
* :func:`simulate_command` serves a simulated reader on one end of a virtual serial pair
  until interrupted (Ctrl-C) and returns the exit code.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import serial  # type: ignore[import-untyped, unused-ignore]

from desk_app.devices.card import CardReaderError
from desk_app.devices.sam import SUPPORTED_BAUD_RATES, ReaderStatusError
from desk_app.devices.serial_reader import CardReader, ReaderTimings
from desk_app.devices.simulator import ReaderSimulator, person_for
from desk_app.errors import Fault
from desk_app.identity import InvalidDocumentError, mask_number

EXIT_CARD = 0
EXIT_USAGE = 2
EXIT_NO_CARD = 3
EXIT_READER_ERROR = 4


def error_json(error: CardReaderError) -> dict[str, Any]:
    """The object for exit codes 3 and 4.

    Args:
        error: what went wrong.

    Returns:
        ``error`` (Chinese), ``error_en``, ``fault``, ``status`` (SW3 or None), ``detail``
        (for support; never a number).
    """
    return {
        "error": error.message_zh,
        "error_en": error.message_en,
        "fault": error.fault.value,
        "status": error.status if isinstance(error, ReaderStatusError) else None,
        "detail": error.detail,
    }


def _no_card(timeout_s: float) -> dict[str, Any]:
    return {
        "error": f"{timeout_s:g} 秒内阅读器上没有证件。",
        "error_en": f"No card was placed on the reader within {timeout_s:g} s.",
        "fault": Fault.INPUT.value,
        "status": None,
        "detail": "",
    }


def read_command(
    port: str,
    baud: int = 115200,
    timeout_s: float = 10.0,
    *,
    timings: ReaderTimings | None = None,
) -> tuple[int, dict[str, Any]]:
    """Read one card from the reader on ``port``.

    Polls until a card is read or ``timeout_s`` has passed. An error status that placing
    the card again may cure (a card moved while being read) is retried until the time is
    up and reported with exit code 4 if it was still there at the end; anything else
    that goes wrong ends the command at once with 4.

    Args:
        port: the reader's serial port.
        baud: the line speed, one of :data:`~desk_app.devices.sam.SUPPORTED_BAUD_RATES`.
        timeout_s: how long to wait for a card.
        timings: poll intervals and reply timeouts; default those of a real reader.

    Returns:
        ``(0, card JSON)``, ``(3, error object)`` or ``(4, error object)``; see the module.
    """
    deadline = time.monotonic() + max(0.0, timeout_s)
    pause = threading.Event()
    try:
        reader = CardReader(port, baud, timings=timings)
    except CardReaderError as error:
        return EXIT_READER_ERROR, error_json(error)
    with reader:
        last_transient: ReaderStatusError | None = None
        while True:
            try:
                card = reader.poll_once()
            except ReaderStatusError as error:
                if not error.transient:
                    return EXIT_READER_ERROR, error_json(error)
                last_transient = error
            except CardReaderError as error:
                return EXIT_READER_ERROR, error_json(error)
            else:
                if card is not None:
                    return EXIT_CARD, card.to_json()
                last_transient = None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            pause.wait(min(reader.timings.poll_interval_s, remaining))
    if last_transient is not None:
        return EXIT_READER_ERROR, error_json(last_transient)
    return EXIT_NO_CARD, _no_card(timeout_s)


def simulate_command(
    port: str,
    person: str,
    baud: int = 115200,
    *,
    stop: threading.Event | None = None,
) -> int:
    """Serve a simulated reader with ``person``'s card on it, on one end of a pair.

    Runs until interrupted (Ctrl-C), ``stop`` is set, or the port goes away. Messages go
    to stderr; the number is shown masked.

    Args:
        port: the simulator's end of a virtual serial pair (the desk opens the other).
        person: a synthetic person's number (see ``SYNTHETIC_PEOPLE``), or any valid
            person number, around which a test card is made up.
        baud: the line speed (a virtual pair ignores it).
        stop: set it to end serving (for tests); default: only Ctrl-C ends it.

    Returns:
        0 when stopped, 2 for a number that is not a card's, 4 when the port cannot be
        opened.
    """
    try:
        card = person_for(person)
    except (InvalidDocumentError, ValueError) as error:
        message = error.message_en if isinstance(error, InvalidDocumentError) else str(error)
        print(f"desk-app reader simulate: not a card number: {message}", file=sys.stderr)
        return EXIT_USAGE
    if baud not in SUPPORTED_BAUD_RATES:
        print(f"desk-app reader simulate: readers do not speak {baud} baud", file=sys.stderr)
        return EXIT_USAGE
    stop = stop or threading.Event()
    try:
        line = serial.Serial(port, baud, timeout=0.05, write_timeout=2.0)
    except (serial.SerialException, OSError, ValueError) as error:
        print(f"desk-app reader simulate: cannot open {port}: {error}", file=sys.stderr)
        return EXIT_READER_ERROR
    print(
        f"Simulated reader on {port}: {card.card_type.value} card "
        f"{mask_number(card.number)} on it. Ctrl-C to stop.",
        file=sys.stderr,
    )
    simulator = ReaderSimulator(card)
    try:
        simulator.serve(line, stop)
    except KeyboardInterrupt:
        pass
    finally:
        line.close()
    return 0
