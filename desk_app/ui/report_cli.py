"""The monthly report's PDF for the command line: Qt without a window.

Without a display, Qt's offscreen platform lays the report out; fonts come from the
system as in the window.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desk_app.services.reports import MonthlyReport
from desk_app.ui.i18n import install_translators
from desk_app.ui.report_charts import write_report_pdf


def pdf_writer(language: str) -> Callable[[MonthlyReport, Path], None]:
    """A function that writes a report as PDF, with a Qt application made for it."""
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux"):
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(["desk-app"])
    install_translators(app, language)

    def write(report: MonthlyReport, path: Path) -> None:
        write_report_pdf(report, path, language)

    return write
