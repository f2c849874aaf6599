"""Background work for the window: ``run_task(fn, on_result, on_error)``.

``fn`` is a core callable run on one of a few long-lived worker threads; its result or
exception comes back on the GUI thread through a signal of a bridge object that lives
there. The GUI thread never waits on the network or a slow query.

The workers are Python threads (``concurrent.futures.ThreadPoolExecutor``), not a
``QThreadPool``: a Qt pool thread enters Python afresh for every task, with a new Python
thread state each time, so everything the core keeps per thread (``threading.local``:
the store's SQLite connection, the platform client's HTTP session) was made anew for
every task and never closed. That cost a connection set-up (and, against the city's
HTTPS platform, a TLS handshake) per decision, and leaked a database connection per task.
A Python thread keeps its state for its whole life: one connection and one session each.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

ResultHandler = Callable[[Any], None]
ErrorHandler = Callable[[BaseException], None]

WORKERS = 4


class _Bridge(QObject):
    """Lives on the GUI thread; workers emit, the GUI thread receives.

    Signals:
        done(object, object, object): (handler, value, is_error).
    """

    done = Signal(object, object, object)


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
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=WORKERS, thread_name_prefix="desk-task"
        )
        self._futures: set[concurrent.futures.Future[None]] = set()
        self._futures_lock = threading.Lock()
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
        future = self._executor.submit(self._work, fn, on_result, on_error or self._default_error)
        with self._futures_lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def _work(
        self, fn: Callable[[], Any], on_result: ResultHandler, on_error: ErrorHandler
    ) -> None:
        """On a worker thread: run ``fn``, hand what came of it to the GUI thread."""
        try:
            value = fn()
        except BaseException as exc:
            self._bridge.done.emit(on_error, exc, True)
        else:
            self._bridge.done.emit(on_result, value, False)

    def _forget(self, future: concurrent.futures.Future[None]) -> None:
        with self._futures_lock:
            self._futures.discard(future)
        if not future.cancelled() and future.exception() is not None:
            # Handing the result over failed (the window is gone): nothing else can say so.
            log.error(
                "a background task could not hand over its result", exc_info=future.exception()
            )

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
        self._executor.shutdown(wait=False, cancel_futures=True)
        with self._futures_lock:
            pending = list(self._futures)
        _, late = concurrent.futures.wait(pending, timeout=timeout_ms / 1000)
        if late:
            log.warning("%d background task(s) still running at close", len(late))
        return not late
