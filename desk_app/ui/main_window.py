"""The desk's main window."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

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
        self.scan_field.submitted.connect(self.on_scan)
        self.scan_field.setFocus()
        self.resize(1024, 640)

    def on_scan(self, text: str) -> None:
        """Read the scanned text and show the document or what is wrong with it."""
        today = dt.date.today()
        try:
            document = identify(text, kinds=PERSON_KINDS, today=today)
        except InvalidDocumentError as error:
            self.document_panel.show_error(error)
        else:
            self.document_panel.show_document(document, today)
        self.scan_field.setFocus()
