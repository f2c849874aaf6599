"""Processes the bench starts: how to start them, and how to read what they print.

A child is ``desk-app bench --child SPEC`` (``python -m desk_app ...`` from a checkout,
the bundle's own program when frozen), where SPEC is a JSON object with a ``role``.
Children print marker lines (:data:`MARK`) on standard output when they reach a moment
the parent times, and one JSON line with their results.

This module only starts processes: it imports neither Qt nor the window.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from desk_app.bench.report import BenchError

# "desk-bench-mark NAME": the child reached NAME (the parent notes the time it reads it).
MARK = "desk-bench-mark"
# The cold start's marks: the sign-in screen is up; the counter is ready for a scan.
SIGN_IN_SHOWN = "sign-in"
READY = "ready"
# "desk-bench-result {...}": the child's results, as JSON.
RESULT = "desk-bench-result"


def launcher() -> list[str]:
    """How this program is started: the bundle's program, or this interpreter on the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "desk_app"]


def child_command(spec: dict[str, Any]) -> list[str]:
    """The command line of a child with ``spec`` (a JSON object with a ``role``)."""
    return [*launcher(), "bench", "--child", json.dumps(spec)]


def baseline_window_command() -> list[str]:
    """The minimal PySide6 window, started as the desk is: a module of this interpreter.

    A bundle has no ``-m``: there the baseline goes through the bundle's program (so it
    also pays for importing the command line, a few tens of milliseconds).
    """
    if getattr(sys, "frozen", False):
        return child_command({"role": "baseline-window"})
    return [sys.executable, "-m", "desk_app.ui.bench_baseline"]


def child_environment() -> dict[str, str]:
    """The environment of a child: the parent's, offscreen Qt unless a platform is chosen."""
    env = dict(os.environ)
    # The figures are offscreen; QT_QPA_PLATFORM=xcb (or windows) includes a display.
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def print_mark(name: str) -> None:
    """In a child: say that ``name`` is reached (flushed at once: the parent is timing)."""
    print(f"{MARK} {name}", flush=True)


def print_result(result: dict[str, Any]) -> None:
    """In a child: hand the results to the parent."""
    print(f"{RESULT} {json.dumps(result)}", flush=True)


def _reader(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _stop(child: subprocess.Popen[str]) -> None:
    if child.poll() is None:
        child.kill()
        child.wait()


def run_timed(
    command: list[str], marks: tuple[str, ...], timeout_s: float = 60.0, stderr: Path | None = None
) -> tuple[dict[str, float], dict[str, Any]]:
    """Start ``command`` and time each of ``marks`` from just before the start.

    Args:
        command: the child's command line.
        marks: the marks that must be reached.
        timeout_s: how long the whole child may take.
        stderr: a file for the child's standard error (quoted when it fails); None: the
            child writes to this process's standard error.

    Returns:
        ``(seconds from the start to each mark, the child's result object or {})``.

    Raises:
        BenchError: the child failed, or did not finish in time.
    """
    times: dict[str, float] = {}
    result: dict[str, Any] = {}
    lines: queue.Queue[str | None] = queue.Queue()
    with contextlib.ExitStack() as stack:
        errors = stack.enter_context(open(stderr, "w", encoding="utf-8")) if stderr else None
        started = time.perf_counter()
        child = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=errors,
            stdin=subprocess.DEVNULL,
            env=child_environment(),
            text=True,
            encoding="utf-8",
        )
        assert child.stdout is not None
        stack.callback(child.stdout.close)
        # Whatever ends this wait (a timeout, Ctrl+C, a bug), the child ends with it: it
        # would go on working in a scratch folder that is about to be deleted.
        stack.callback(_stop, child)
        # A thread reads, so that a silent child cannot block the timeout (Windows has no
        # select() on pipes).
        threading.Thread(target=_reader, args=(child.stdout, lines), daemon=True).start()
        deadline = started + timeout_s
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                raise BenchError(f"a child process gave no answer in {timeout_s:.0f} s") from None
            now = time.perf_counter()
            if line is None:
                break
            if line.startswith(MARK + " "):
                times.setdefault(line.split()[1], now - started)
            elif line.startswith(RESULT + " "):
                result = json.loads(line[len(RESULT) + 1 :])
        code = child.wait(timeout=max(1.0, deadline - time.perf_counter()))
    missing = [m for m in marks if m not in times]
    if code != 0 or missing:
        tail = stderr.read_text("utf-8", "replace")[-800:] if stderr else "(see above)"
        raise BenchError(f"a child process failed (exit {code}, missing {missing}): {tail}")
    return times, result
