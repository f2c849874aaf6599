"""The desk's main window."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from desk_app.devices.wedge import MrzLineAssembler
from desk_app.identity import PERSON_KINDS, InvalidDocumentError, identify
from desk_app.ui.widgets.document_panel import DocumentPanel
from desk_app.ui.widgets.scan_field import ScanField


class MainWindow(QMainWindow):
    """The counter window: the training mark, the scan field and the document card.

    Args:
        language: ``zh_CN`` or ``en``, for texts that come from the core in both.
        training: True when connected to the training platform; marked on screen.
    """

    def __init__(self, language: str, training: bool = True) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Deposit-free counter desk"))
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.training_banner = QLabel(
            self.tr("TRAINING MODE: synthetic residents, nothing reaches the city platform")
        )
        self.training_banner.setObjectName("trainingBanner")
        self.training_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.training_banner.setVisible(training)
        layout.addWidget(self.training_banner)
        prompt = QLabel(self.tr("Scan or type the ID number, then press Enter"))
        layout.addWidget(prompt)
        self.scan_field = ScanField(central)
        layout.addWidget(self.scan_field)
        self.document_panel = DocumentPanel(language, central)
        layout.addWidget(self.document_panel, 1)
        self.setCentralWidget(central)
        self._mrz_lines = MrzLineAssembler()
        self.scan_field.submitted.connect(self.on_scan)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel_scan)
        self.scan_field.setFocus()
        self.resize(1024, 640)

    def on_scan(self, text: str) -> None:
        """Read the scanned text and show the document or what is wrong with it.

        A passport reader types its machine-readable zone one line per Enter: lines
        are gathered until the zone is complete.
        """
        today = dt.date.today()
        for whole in self._mrz_lines.feed(text):
            try:
                document = identify(whole, kinds=PERSON_KINDS, today=today)
            except InvalidDocumentError as error:
                self.document_panel.show_error(error)
            else:
                self.document_panel.show_document(document, today)
        if self._mrz_lines.pending_lines:
            self.document_panel.show_waiting_for_mrz_line(self._mrz_lines.pending_lines)
        self.scan_field.setFocus()

    def cancel_scan(self) -> None:
        """Esc: drop a half-read zone and what is typed, ready for the next customer."""
        self._mrz_lines.reset()
        self.scan_field.clear()
        self.document_panel.show_idle()
        self.scan_field.setFocus()
