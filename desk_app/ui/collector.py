"""Python's cyclic garbage collector, run on the GUI thread only.

CPython collects on whichever thread crosses its allocation threshold. With the desk's
workers busy in Python, that is often a worker: a cycle holding Qt objects (a widget and
the lambda of its own signal, a closed dialog) is then destroyed off the GUI thread,
which Qt does not allow, and the process can die in a segmentation fault (seen once in
the test suite, collecting on a worker thread during sign-in). So automatic collection
is switched off and a timer on the GUI thread collects as the thresholds say, the way
calibre and pyqtgraph do. Objects without cycles are still freed at once by reference
counting, on any thread; only cycles wait for the GUI thread (at most ``INTERVAL_MS``).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Collects garbage on the thread it lives on (create it on the GUI thread).

    Args:
        parent: the owning object (the application).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int | None:
        """Collect the oldest generation whose threshold is passed, as CPython would.

        Returns:
            The generation collected, or None when none was due.
        """
        counts = gc.get_count()
        due = None
        for generation in range(3):
            if counts[generation] <= self._thresholds[generation]:
                break
            due = generation
        if due is not None:
            gc.collect(due)
        return due

    def stop(self) -> None:
        """Collect what is left here, and give collection back to CPython."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
