"""How long the GUI thread stalls: its own blocking, not the machine's load.

A stall is time the GUI thread could not get back to its event loop: a slot that computes
too long, or one that waits (a network call, a lock, the GIL held by a worker). The meter
is a precise 5 ms timer on the GUI thread; the gap between two ticks beyond the interval
is how long the thread was away. Part of that gap may be no fault of the desk: a loaded
machine leaves a runnable thread waiting for a CPU. Linux counts that wait per thread
(``/proc/self/task/TID/schedstat``, second field: time spent runnable on a run queue), and
the meter subtracts it. What remains is time the thread ran or slept on something of its
own, which is what freezes the window. (A virtual machine's vCPU that the host
deschedules is not visible to the guest and still counts; keep the bound generous.)

Where ``schedstat`` is missing the meter measures raw gaps, which is stricter.

To say *where* a stall happened, a watchdog thread samples the GUI thread's Python stack
whenever it has not ticked for a while; the report shows the stack of the longest stall.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer

INTERVAL_MS = 5
# The watchdog samples the GUI thread's stack once it has been away this long.
SAMPLE_AFTER_S = 0.04
STACK_DEPTH = 14
WATCH_EVERY_S = 0.01


class StallMeter(QObject):
    """Measures the GUI thread's longest stall while started. Create it on the GUI thread.

    Attributes:
        longest_s: the longest stall, in seconds, less the run-queue wait.
        longest_gap_s: the longest raw gap between two ticks, for comparison.
        ticks: how many ticks were measured.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._schedstat = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat")
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._last: tuple[float, float] | None = None
        self.longest_s = 0.0
        self.longest_gap_s = 0.0
        self.ticks = 0
        self._longest_where: list[tuple[str, int, str]] = []
        self._gui_ident = threading.get_ident()
        self._last_tick = time.perf_counter()
        # (the tick it follows, the stack as (file, line, function), innermost first)
        self._sample: tuple[float, list[tuple[str, int, str]]] | None = None
        # Set when the meter stops. (Not a "watching" flag waited on while set: wait() on
        # a set Event returns at once, and the watchdog spun, holding the GIL the GUI
        # thread needed: the meter made the stalls it measured.)
        self._stopping = threading.Event()
        self._watchdog: threading.Thread | None = None

    @property
    def subtracts_load(self) -> bool:
        """Whether the run-queue wait is known here (and subtracted)."""
        return self._schedstat.exists()

    def _queued_s(self) -> float:
        """Seconds this thread has spent runnable but waiting for a CPU, since it started."""
        try:
            return int(self._schedstat.read_bytes().split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            return 0.0

    def start(self) -> None:
        """Start measuring (from the next tick)."""
        self._last = None
        self._last_tick = time.perf_counter()
        self._timer.start()
        self._stopping.clear()
        self._watchdog = threading.Thread(target=self._watch, name="stall-watchdog", daemon=True)
        self._watchdog.start()

    def stop(self) -> None:
        """Stop measuring; the figures stay."""
        self._timer.stop()
        self._stopping.set()
        if self._watchdog is not None:
            self._watchdog.join(5)

    def _watch(self) -> None:
        """Note the GUI thread's stack while it is away (one sample per stall).

        Only (file, line, function) triples are taken here, a few microseconds: formatting
        a stack reads source files, and a sampler that holds the GIL that long would cause
        the very stall it samples.
        """
        while not self._stopping.wait(WATCH_EVERY_S):
            last = self._last_tick
            if time.perf_counter() - last > SAMPLE_AFTER_S and (
                self._sample is None or self._sample[0] != last
            ):
                frame = sys._current_frames().get(self._gui_ident)
                where: list[tuple[str, int, str]] = []
                while frame is not None and len(where) < STACK_DEPTH:
                    where.append((frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name))
                    frame = frame.f_back
                del frame
                self._sample = (last, where)

    def _tick(self) -> None:
        now, queued = time.perf_counter(), self._queued_s()
        if self._last is not None:
            gap = now - self._last[0]
            stall = gap - INTERVAL_MS / 1000 - (queued - self._last[1])
            self.longest_gap_s = max(self.longest_gap_s, gap)
            if stall > self.longest_s:
                self.longest_s = stall
                sample = self._sample
                self._longest_where = sample[1] if sample and sample[0] == self._last[0] else []
            self.ticks += 1
        self._last = (now, queued)
        self._last_tick = now

    @property
    def longest_stack(self) -> str:
        """Where the GUI thread was during the longest stall, innermost call last ("" when
        the watchdog did not catch it)."""
        return "".join(
            f"  {file}:{line} in {name}\n" for file, line, name in reversed(self._longest_where)
        )

    def report(self) -> str:
        """The figures in words, for an assertion message."""
        return (
            f"longest stall {self.longest_s * 1000:.1f} ms (raw gap "
            f"{self.longest_gap_s * 1000:.1f} ms) over {self.ticks} ticks; "
            f"run-queue wait {'subtracted' if self.subtracts_load else 'unknown here'}\n"
            + (f"where the GUI thread was:\n{self.longest_stack}" if self.longest_stack else "")
        )
