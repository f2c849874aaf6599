"""The ID card reader on its own thread: each card reaches the window as a scan would."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from desk_app.devices.serial_reader import CardReader, ReaderState, ReaderTimings


class ReaderWorker(QObject):
    """Polls the reader on a dedicated thread (long-lived serial work gets its own).

    Args:
        port: the reader's serial port.
        baud: the line speed.
        timings: poll intervals and timeouts (tests shorten them).
        parent: the owning object.

    Signals:
        card_read(object): a CardRead, once per card placement.
        reader_error(object): a CardReaderError, once while it lasts.
        state_changed(str): a ReaderState value.
    """

    card_read = Signal(object)
    reader_error = Signal(object)
    state_changed = Signal(str)

    def __init__(
        self,
        port: str,
        baud: int = 115200,
        timings: ReaderTimings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._reader = CardReader(port, baud, timings=timings)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="card-reader", daemon=True)

    def start(self) -> None:
        """Start polling."""
        self._thread.start()

    def _run(self) -> None:
        # Signals emitted here are queued to the receivers on the GUI thread.
        self._reader.run(
            self.card_read.emit,
            self.reader_error.emit,
            self._stop,
            lambda state: self.state_changed.emit(ReaderState(state).value),
        )

    def stop(self, timeout_s: float = 3.0) -> bool:
        """Stop polling and close the port; True when the thread ended in time."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        return not self._thread.is_alive()
