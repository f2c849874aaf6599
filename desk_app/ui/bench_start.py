"""The cold-start child of ``desk-app bench``: the desk as a counter PC starts it, timed.

It takes the same steps as :func:`desk_app.ui.app.run_desk` (log, desk, application,
window) with the bench's folders and keys, prints a mark when the sign-in screen is up,
signs the training operator in at once, prints a mark when the counter is ready for a
scan (counter screen shown, scan field focused) and ends. It imports little beyond what
``run_desk`` does, so that the time measured is the desk's.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer

from desk_app import logging_setup
from desk_app.app import open_desk
from desk_app.bench.children import READY, SIGN_IN_SHOWN, print_mark
from desk_app.bench.scratch import OPERATOR, load_secrets
from desk_app.ui.app import create_application, freeze_start_up_objects
from desk_app.ui.collector import GuiThreadCollector
from desk_app.ui.main_window import MainWindow

# How often the child looks whether the next moment is reached (a timer: no spinning).
POLL_MS = 1
# A child that never gets ready ends on its own (the parent also stops waiting).
GIVE_UP_MS = 60_000


def _exposed(window: MainWindow) -> bool:
    handle = window.windowHandle()
    return handle is not None and handle.isExposed()


def cold_start_child(spec: dict[str, Any]) -> int:
    """Start the desk, sign in, and end once the counter is ready for a scan.

    Args:
        spec: ``data_dir``, ``platform_url``, ``keys`` (the keys file), ``log_dir``.

    Returns:
        The exit code (0 when the counter got ready).
    """
    log_dir = Path(spec["log_dir"])
    logging_setup.configure(logging.INFO, log_dir / "desk.log")
    logging.getLogger("desk_app.training_platform").setLevel(logging.WARNING)
    desk = open_desk(
        Path(spec["data_dir"]), spec["platform_url"], secrets=load_secrets(Path(spec["keys"]))
    )
    language = desk.settings.language
    app = create_application(sys.argv[:1], language)
    GuiThreadCollector(app)  # as run_desk does
    window = MainWindow(desk, language, log_dir, idle_minutes=desk.settings.idle_lock_minutes)
    stage = [SIGN_IN_SHOWN]

    def look() -> None:
        if stage[0] == SIGN_IN_SHOWN:
            sign_in_screen = window.sign_in
            if (
                _exposed(window)
                and window.stack.currentWidget() is sign_in_screen
                and sign_in_screen.focusWidget() is sign_in_screen.operator_field
            ):
                window.repaint()
                print_mark(SIGN_IN_SHOWN)
                stage[0] = READY
                window.sign_in.operator_field.setText(OPERATOR[0])
                window.sign_in.pin_field.setText(OPERATOR[1])
                window.sign_in.submit()
        elif (
            window.stack.currentWidget() is window.counter
            and window.counter.focusWidget() is window.counter.scan_field
        ):
            window.repaint()
            print_mark(READY)
            poll.stop()
            window.close()
            app.quit()

    poll = QTimer()
    poll.setInterval(POLL_MS)
    poll.timeout.connect(look)
    poll.start()
    QTimer.singleShot(GIVE_UP_MS, lambda: app.exit(1))
    window.show()
    freeze_start_up_objects()  # as run_desk does
    try:
        return app.exec()
    finally:
        desk.close()
