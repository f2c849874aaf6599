"""The cold-start baseline of ``desk-app bench``: a minimal PySide6 window, nothing else.

One main window with one line edit holding the focus; it prints the same ready mark as the
desk (see :mod:`desk_app.bench.children`) once shown and focused, and quits. It imports
nothing of the desk, so that it costs what any Qt window costs on this machine.

``python -m desk_app.ui.bench_baseline``
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

# desk_app.bench.children's MARK and cold_start's READY (not imported: nothing of the desk).
READY_LINE = "desk-bench-mark ready"


def main() -> int:
    """Show the window, print the ready mark when it can take typing, quit."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    field = QLineEdit()
    window.setCentralWidget(field)
    window.resize(1366, 768)
    field.setFocus()

    def look() -> None:
        handle = window.windowHandle()
        if handle is not None and handle.isExposed() and window.focusWidget() is field:
            window.repaint()
            print(READY_LINE, flush=True)
            poll.stop()
            window.close()
            app.quit()

    poll = QTimer()
    poll.setInterval(1)
    poll.timeout.connect(look)
    poll.start()
    QTimer.singleShot(60_000, lambda: app.exit(1))
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
