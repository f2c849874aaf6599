"""The scan field: takes a card reader, a keyboard-wedge scanner or typing."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from desk_app.devices.wedge import typed_by_scanner
from desk_app.identity.normalize import MAX_INPUT_LENGTH


class ScanField(QLineEdit):
    """A line edit that hands over its text once per Enter, then clears itself.

    An Enter on an empty field does nothing, so a terminator sent twice is one scan. It
    tells a scanner (a key every few milliseconds) from a person: a scanner's Tab ends a
    scan, a person's Tab moves on.

    Its length limit sits above any document's, so a huge paste is cut short and
    still reported by the identity reader as too long rather than freezing the field.

    Signals:
        submitted(str): the text, once per Enter (Return or keypad Enter).
        empty_enter(): Enter on an empty field (the clerk moving the flow on).
    """

    submitted = Signal(str)
    empty_enter = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanField")
        self.setMaxLength(MAX_INPUT_LENGTH + 1)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.setFont(font)
        self.setClearButtonEnabled(True)
        self._key_times: list[float] = []
        # Whether the last submission was typed by a scanner (fast) or a person (slow).
        self.last_was_scanner = False
        # The clock key times are read from; tests replace it.
        self.clock: Callable[[], float] = time.monotonic

    def event(self, event: QEvent) -> bool:
        """A scanner's Tab reaches keyPressEvent (Qt would move the focus with it)."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and self.text()
            and typed_by_scanner(self._key_times)
        ):
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Submit on Enter (or a scanner's Tab); everything else is ordinary editing."""
        key = event.key()
        if not self.text():
            self._key_times.clear()
        if key == Qt.Key.Key_Tab and self.text() and typed_by_scanner(self._key_times):
            # A scanner ending with Tab: one scan, not a move to the next field.
            key = Qt.Key.Key_Return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.last_was_scanner = typed_by_scanner(self._key_times)
            self._key_times.clear()
            text = self.text()
            # A scanner set to CR LF sends two Enters: the second, on an empty field,
            # must not replace what the first one showed.
            if text.strip():
                self.clear()
                self.submitted.emit(text)
            else:
                self.empty_enter.emit()
            return
        if event.text() and event.text().isprintable():
            self._key_times.append(self.clock())
        super().keyPressEvent(event)
