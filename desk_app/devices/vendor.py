"""The other route to a card: a vendor's SDK library (sdtapi.dll, termb.dll and friends).

On Windows, many counters already have a reader whose vendor ships a DLL instead of (or
besides) the serial protocol. The desk does not ship vendor code; a site that needs it
writes a small adapter that implements :class:`ReaderDriver` around the DLL (ctypes is
enough) and hands it to :class:`desk_app.devices.serial_reader.CardReader`, which then
does the rest exactly as for a serial reader: polling, one read per card placement,
reconnecting, typed errors. The serial route implements the same protocol
(:class:`desk_app.devices.serial_reader.SamSerialDriver`).

The three card steps map one to one onto the public "SDT" API that most vendor DLLs
export (names from the public interface notes; check the vendor's manual):

=======================  =========================================================
``open()``               ``SDT_OpenPort(port)``; termb.dll: ``CVR_InitComm(port)``
``close()``              ``SDT_ClosePort(port)``; termb.dll: ``CVR_CloseComm()``
``find_card()``          ``SDT_StartFindIDCard``: 0x9F -> True, 0x80 -> False
``select_card()``        ``SDT_SelectIDCard``: 0x90 -> ``b""`` (no serial)
``read_card()``          ``SDT_ReadBaseMsg``: the 256-byte text and 1024-byte photo
=======================  =========================================================

termb.dll's ``CVR_Authenticate`` does find and select in one call: its adapter answers
``find_card()`` with it and makes ``select_card()`` a no-op. An SDK that only hands out
decoded fields (no raw text block) cannot feed :func:`~desk_app.devices.sam.parse_card`;
such an adapter must rebuild the block (``SyntheticPerson.text_block`` in
:mod:`desk_app.devices.simulator` shows the layout), or better, use the raw-buffer call
most SDKs also have.

Rules for an adapter:

* Every method runs on the reader's worker thread; none may touch Qt.
* A status other than success is raised as
  :class:`desk_app.devices.sam.ReaderStatusError` with the SDK's SW3-style code (the
  SDT API returns the same codes as the serial protocol), so clerks read the same
  messages whatever the route.
* A reader that went away (unplugged, port gone) is raised as
  :class:`desk_app.devices.card.ReaderUnavailableError`; the card reader closes the
  driver and calls ``open()`` again later.
* The photo is kept as bytes; decoding it needs the licensed decoder and is not done.
* Never log the text block, the number or the name.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from desk_app.devices.sam import CardData


@runtime_checkable
class ReaderDriver(Protocol):
    """The card steps a reader offers, whatever speaks to it (serial frames or a DLL)."""

    @property
    def description(self) -> str:
        """Which reader this is, for messages and the log ("COM3", "termb.dll USB")."""
        ...

    def open(self) -> None:
        """Connect to the reader.

        Raises:
            ReaderUnavailableError: when it cannot be reached.
        """
        ...

    def close(self) -> None:
        """Let go of the reader; safe to call when it is not open."""
        ...

    def find_card(self) -> bool:
        """Whether a card lies on the reader.

        Returns:
            True when a card was found (SW3 0x9F), False when there is none (0x80).

        Raises:
            ReaderStatusError: any other status.
            ReaderUnavailableError: the reader went away.
        """
        ...

    def select_card(self) -> bytes:
        """Select the card that was found.

        Returns:
            The card's serial as the reader reports it; empty or all zeros when the reader
            does not report one (then a card left on the reader is told from a new one
            only by its removal).

        Raises:
            ReaderStatusError: the card could not be selected (0x81, ...).
            ReaderUnavailableError: the reader went away.
        """
        ...

    def read_card(self) -> CardData:
        """Read the selected card's text block and photo.

        Returns:
            The raw 256-byte text block and the photo bytes.

        Raises:
            ReaderStatusError: the card could not be read (0x41, ...).
            ReaderProtocolError: what came back cannot be read.
            ReaderUnavailableError: the reader went away.
        """
        ...
