"""The bench's figure that drives the real window: scan to decision.

Keys go through Qt's own key path (``QTest``), so the scan field, its Enter and the
counter's F6 and F5 shortcuts run exactly as for a clerk; time is read with
``time.perf_counter`` and the wait is Qt's event loop, never a sleep.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desk_app.bench.report import BenchError, Figure, Latencies, ms
from desk_app.bench.scratch import (
    CREDIT_ITEM,
    OPERATOR,
    BareClient,
    decision_body,
    open_bench_desk,
    resident_numbers,
)
from desk_app.domain.model import Decision
from desk_app.ui.app import create_application, freeze_start_up_objects
from desk_app.ui.collector import GuiThreadCollector
from desk_app.ui.main_window import MainWindow

GOAL = "ratio at p50 <= 1.5"
# Customers before the timing starts: the first ones pay for the token and warm caches.
WARM_UP = 5
WAIT_S = 15.0
# How often a wait looks again (a timer, so the GUI thread does not spin).
POLL_MS = 1

Progress = Callable[[str], None]


def _quiet_offscreen(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's messages to standard error, but for the one the offscreen platform says of every
    window shown (the tests ignore it too: it is no fault of the desk's)."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = WAIT_S) -> None:
    """Run Qt's event loop until ``condition`` holds.

    Raises:
        BenchError: it did not hold within ``timeout_s``.
    """
    deadline = time.perf_counter() + timeout_s
    loop = QEventLoop()
    while not condition():
        if time.perf_counter() > deadline:
            raise BenchError(f"{what}: not within {timeout_s:.0f} s")
        QTimer.singleShot(POLL_MS, loop.quit)
        loop.exec()


def sign_in(window: MainWindow) -> None:
    """Sign the training operator in, as the clerk does on the sign-in screen."""
    window.sign_in.operator_field.setText(OPERATOR[0])
    window.sign_in.pin_field.setText(OPERATOR[1])
    window.sign_in.submit()


def _exposed(window: MainWindow) -> bool:
    handle = window.windowHandle()
    return handle is not None and handle.isExposed()


def serve_one(window: MainWindow, number: str) -> float:
    """One customer from the scan's Enter to the decision card painted; seconds.

    The scanner's characters are typed before the clock starts (their pace is the
    device's); then Enter, F6 (commitment signed) and F5 (decide) as a clerk presses them,
    and the clock stops when the card showing the decision has been painted.

    Raises:
        BenchError: no decision was shown (the message bar says why).
    """
    counter = window.counter
    field = counter.scan_field
    QTest.keyClicks(field, number)
    shown: list[float] = []
    loop = QEventLoop()

    def on_decided(_: Decision) -> None:
        counter.card.repaint()  # the card's pixels, not only its texts
        shown.append(time.perf_counter())
        loop.quit()

    counter.decided.connect(on_decided)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(WAIT_S * 1000))
    try:
        started = time.perf_counter()
        QTest.keyClick(field, Qt.Key.Key_Return)
        QTest.keyClick(field, Qt.Key.Key_F6)
        QTest.keyClick(field, Qt.Key.Key_F5)
        if not shown:
            loop.exec()
    finally:
        timer.stop()
        counter.decided.disconnect(on_decided)
    if not shown:
        raise BenchError(f"no decision was shown: {window.message_bar.text()}")
    return shown[0] - started


def scan_to_decision(
    scratch: Path, platform_url: str, customers: int, progress: Progress
) -> Figure:
    """The figure: ``customers`` customers through the window, against bare round trips.

    Each customer is also asked for by a bare ``requests`` POST of the same decision call
    (same body shape, headers and token; its own request id, so never a replay), in
    alternating order.

    Raises:
        BenchError: the window did not sign in or show a decision.
    """
    progress(f"scan_to_decision: {customers} customers through the window")
    qInstallMessageHandler(_quiet_offscreen)
    app = create_application(["desk-app-bench"], "zh_CN")
    collector = GuiThreadCollector(app)  # as run_desk does
    desk = open_bench_desk(scratch / "scan", platform_url, "BENCH-SCAN")
    window = MainWindow(desk, "zh_CN", scratch / "scan-logs")
    bare: BareClient | None = None
    ours: list[float] = []
    theirs: list[float] = []
    try:
        window.show()
        freeze_start_up_objects()  # as run_desk does
        wait_until(lambda: _exposed(window), "the window is shown")
        sign_in(window)
        wait_until(
            lambda: window.operator is not None and window.counter.item_box.count() > 0,
            "the training operator is signed in",
        )
        window.counter.select_item(CREDIT_ITEM)
        amount = desk.items.get(CREDIT_ITEM).standard_deposit_fen
        bare = BareClient(platform_url, desk)
        numbers = resident_numbers()
        counter_id = desk.settings.counter_id
        for i in range(WARM_UP + customers):
            number = numbers[i % len(numbers)]
            # Alternate who goes first: neither always meets the other's fresh writes.
            for which in (0, 1) if i % 2 == 0 else (1, 0):
                if which == 0:
                    elapsed = serve_one(window, number)
                    if i >= WARM_UP:
                        ours.append(elapsed)
                else:
                    body = decision_body(number, counter_id, amount)
                    started = time.perf_counter()
                    bare.post("/v1/decisions", body)
                    if i >= WARM_UP:
                        theirs.append(time.perf_counter() - started)
    finally:
        if bare is not None:
            bare.close()
        # The window first: closing it waits (bounded) for its background work.
        window.close()
        desk.close()
        # The figures after this one measure the core: collection as usual again.
        collector.stop()
        gc.unfreeze()
    latencies = Latencies.of(ours, theirs)
    rate = latencies.ratio
    values: dict[str, Any] = {
        **latencies.values(),
        # What the desk adds to the round trip: identify, record (with its audit entry,
        # committed to disk), hand over to the GUI thread, fill and paint the card.
        "overhead_p50_ms": ms(latencies.p50 - latencies.baseline_p50),
        "customers": len(ours),
        "item": CREDIT_ITEM,
        "platform": QApplication.platformName(),
        "goal": GOAL,
        "met": rate is not None and rate <= 1.5,
    }
    return Figure(
        "scan_to_decision",
        *latencies.texts(2),
        values,
    )
