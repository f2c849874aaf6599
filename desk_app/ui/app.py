"""Start the desk window."""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_app import locks, logging_setup
from desk_app.errors import DeskError
from desk_app.paths import default_data_dir, default_log_dir, resources_dir
from desk_app.ui.collector import GuiThreadCollector
from desk_app.ui.i18n import install_translators

log = logging.getLogger(__name__)


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
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "desk-app-256.png")))
    style = resources_dir() / "styles" / "desk.qss"
    app.setStyleSheet(style.read_text(encoding="utf-8"))
    # The translators are parented to the app, which keeps them alive.
    install_translators(app, language)
    return app


def show_start_error(text: str, language: str) -> None:
    """Say why the desk cannot start in a message box: started from its icon, the desk has
    no console to print to. Not on the offscreen platform, where nobody could close it."""
    app = create_application(sys.argv[:1], language)
    if app.platformName() in ("offscreen", "minimal"):
        return
    title = QCoreApplication.translate("MainWindow", "Deposit-free counter desk")
    box = QMessageBox(QMessageBox.Icon.Critical, title, text)
    # Before any window exists there is no event loop to stay in: this one is the start.
    box.exec()


def freeze_start_up_objects() -> None:
    """Collect once, then keep what start-up made out of later garbage collections.

    A full collection walks every object the process holds, on whichever thread triggers
    it, with the GIL held: with Qt, the desk's modules and (in training mode) the embedded
    platform loaded, that was 70 to 100 ms, a visible freeze of the window (found by the
    flapping-platform drill). What start-up made lives as long as the process, so
    :func:`gc.freeze` moves it out of the collector's sight, as the Python documentation
    suggests for long-running programs; collections then only walk what the day adds.
    """
    gc.collect()
    gc.freeze()


def run_desk(
    language: str | None, data_dir: Path | None = None, platform_url: str | None = None
) -> int:
    """Open the desk window and run until it is closed.

    Args:
        language: ``zh_CN`` or ``en``; None for the settings' language.
        data_dir: the desk's data folder (default: the per-user one).
        platform_url: the platform; default the settings' one, or in training mode the
            embedded training platform.

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
    log_dir = default_log_dir()
    logging_setup.configure(logging.INFO, log_dir / "desk.log")
    # The embedded training platform logs every request; the desk's log needs none of it.
    logging.getLogger("desk_app.training_platform").setLevel(logging.WARNING)
    from desk_app.app import open_desk
    from desk_app.ui.main_window import MainWindow

    folder = data_dir or default_data_dir()
    try:
        # One window per desk: a second start (a double click) says so and ends.
        window_lock = locks.hold(folder, locks.WINDOW, locks.WindowOpenError)
        desk = open_desk(folder, platform_url)
    except DeskError as error:
        text = error.message("en" if language == "en" else "zh")
        print(f"desk-app: {text}", file=sys.stderr)
        show_start_error(text, language or "zh_CN")
        return 3
    language = language or desk.settings.language
    app = create_application(sys.argv[:1], language)
    GuiThreadCollector(app)  # cycles with Qt objects are only ever freed on this thread
    window = MainWindow(desk, language, log_dir, idle_minutes=desk.settings.idle_lock_minutes)

    def on_uncaught(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        window.on_error(error.with_traceback(trace))

    sys.excepthook = on_uncaught
    window.show()
    freeze_start_up_objects()
    try:
        return app.exec()
    finally:
        desk.close()
        window_lock.release()
