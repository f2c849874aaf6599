"""The scan field: takes a card reader, a keyboard-wedge scanner or typing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from desk_app.identity.normalize import MAX_INPUT_LENGTH


class ScanField(QLineEdit):
    """A line edit that hands over its text once per Enter, then clears itself.

    An Enter on an empty field does nothing, so a terminator sent twice is one scan.

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

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Submit on Enter; everything else is ordinary editing."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            text = self.text()
            # A scanner set to CR LF sends two Enters: the second, on an empty field,
            # must not replace what the first one showed.
            if text.strip():
                self.clear()
                self.submitted.emit(text)
            else:
                self.empty_enter.emit()
            return
        super().keyPressEvent(event)
