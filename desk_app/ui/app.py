"""Start the desk window."""

from __future__ import annotations

import os
import sys

from PySide6.QtWidgets import QApplication

from desk_app.paths import resources_dir
from desk_app.ui.i18n import install_translators
from desk_app.ui.main_window import MainWindow


def display_available() -> bool:
    """False on Linux without an X or Wayland display, where Qt would abort."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def create_application(argv: list[str], language: str) -> QApplication:
    """The QApplication with the desk's style sheet and translators installed."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv)
    app.setApplicationName("desk-app")
    app.setOrganizationName("deposit-free-desk")
    style = resources_dir() / "styles" / "desk.qss"
    app.setStyleSheet(style.read_text(encoding="utf-8"))
    # The translators are parented to the app, which keeps them alive.
    install_translators(app, language)
    return app


def run_desk(language: str) -> int:
    """Open the desk window in training mode and run until it is closed.

    Args:
        language: ``zh_CN`` (default) or ``en``.

    Returns:
        The process exit code.
    """
    if not display_available():
        print(
            "desk-app: no display found. Run it in a desktop session "
            "(or set QT_QPA_PLATFORM, e.g. under xvfb-run).",
            file=sys.stderr,
        )
        return 1
    app = create_application(sys.argv[:1], language)
    window = MainWindow(language, training=True)
    window.show()
    return app.exec()
