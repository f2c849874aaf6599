"""Background work for the window: ``run_task(fn, on_result, on_error)``.

``fn`` is a core callable run on a ``QThreadPool`` thread; its result or exception comes
back on the GUI thread through a signal of a bridge object that lives there. The GUI
thread never waits on the network or a slow query.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

ResultHandler = Callable[[Any], None]
ErrorHandler = Callable[[BaseException], None]


class _Bridge(QObject):
    """Lives on the GUI thread; workers emit, the GUI thread receives.

    Signals:
        done(object, object, object): (handler, value, is_error).
    """

    done = Signal(object, object, object)


class _Task(QRunnable):
    def __init__(
        self, fn: Callable[[], Any], bridge: _Bridge, on_result: ResultHandler,
        on_error: ErrorHandler,
    ) -> None:  # fmt: skip
        super().__init__()
        self._fn = fn
        self._bridge = bridge
        self._on_result = on_result
        self._on_error = on_error

    def run(self) -> None:
        try:
            value = self._fn()
        except BaseException as exc:
            self._bridge.done.emit(self._on_error, exc, True)
        else:
            self._bridge.done.emit(self._on_result, value, False)


class TaskRunner(QObject):
    """Runs core callables off the GUI thread.

    Args:
        on_error: the window's one error handler, used when a task gives none.
        parent: the owning object.

    Signals:
        busy_changed(int): how many tasks are running or queued.
    """

    busy_changed = Signal(int)

    def __init__(self, on_error: ErrorHandler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(4)
        self._bridge = _Bridge(self)
        self._bridge.done.connect(self._deliver)
        self._default_error = on_error
        self._running = 0
        self._closing = False

    @property
    def running(self) -> int:
        """Tasks running or queued."""
        return self._running

    def run_task(
        self,
        fn: Callable[[], Any],
        on_result: ResultHandler,
        on_error: ErrorHandler | None = None,
    ) -> None:
        """Run ``fn`` on a worker thread; deliver its result or error on the GUI thread."""
        if self._closing:
            return
        self._running += 1
        self.busy_changed.emit(self._running)
        self._pool.start(_Task(fn, self._bridge, on_result, on_error or self._default_error))

    def _deliver(self, handler: Callable[[Any], None], value: Any, is_error: bool) -> None:
        self._running -= 1
        self.busy_changed.emit(self._running)
        if self._closing:
            return
        handler(value)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop taking work, drop what is queued, wait (bounded) for what runs.

        Returns:
            True when every running task finished in time.
        """
        self._closing = True
        self._pool.clear()
        return self._pool.waitForDone(timeout_ms)
