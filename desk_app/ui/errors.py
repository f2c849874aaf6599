"""One place decides what the clerk sees when something fails.

- A :class:`DeskError` the clerk can act on (bad input, platform refused, offline,
  environment) goes to the window's message bar, in the clerk's language.
- Anything else is our bug: it is logged (numbers redacted) and a crash dialog shows a
  report the clerk can copy, and where the log is. No stack trace on the counter screen.
"""

from __future__ import annotations

import logging
import platform
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app import __version__
from desk_app.errors import DeskError, Fault
from desk_app.logging_setup import redact

log = logging.getLogger(__name__)

_SEVERITY = {
    Fault.INPUT: "warning",
    Fault.PLATFORM_REFUSED: "warning",
    Fault.PLATFORM_UNREACHABLE: "offline",
    Fault.PLATFORM_BAD_ANSWER: "offline",
    Fault.ENVIRONMENT: "error",
    Fault.BUG: "error",
}


def crash_report(error: BaseException) -> str:
    """A report for support: version, system and the traceback, numbers redacted."""
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return redact(
        f"desk-app {__version__} on {platform.platform()} (Python {platform.python_version()})"
        f"\n\n{trace}"
    )


class CrashDialog(QDialog):
    """Tells the clerk something went wrong in the desk itself, with a copyable report."""

    def __init__(self, report: str, log_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("The desk ran into a problem"))
        intro = QLabel(
            self.tr(
                "Something went wrong inside the desk. What you recorded is saved. "
                "Copy this report for IT support; the log is in {folder}."
            ).format(folder=log_dir)
        )
        intro.setWordWrap(True)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(self.tr("Copy report"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def copy_report(self) -> None:
        """Put the report on the clipboard."""
        QApplication.clipboard().setText(self.report.toPlainText())


class ErrorPresenter:
    """Turns any failure into what the clerk should see.

    Args:
        window: the main window (parent of dialogs).
        language: ``zh_CN`` or ``en``.
        show_message: the window's message bar: ``(severity, text)``.
        log_dir: where the log is, named in the crash dialog.
    """

    def __init__(
        self,
        window: QWidget,
        language: str,
        show_message: Callable[[str, str], None],
        log_dir: Path,
    ) -> None:
        self.window = window
        self.language = "en" if language == "en" else "zh"
        self.show_message = show_message
        self.log_dir = log_dir
        self.last_crash: CrashDialog | None = None

    def __call__(self, error: BaseException) -> None:
        """Show ``error`` to the clerk."""
        if isinstance(error, DeskError) and error.fault is not Fault.BUG:
            self.show_message(_SEVERITY[error.fault], error.message(self.language))
            return
        report = crash_report(error)
        log.error("bug: %s", report)
        dialog = CrashDialog(report, self.log_dir, self.window)
        self.last_crash = dialog
        dialog.open()  # window-modal, never a blocking exec()
