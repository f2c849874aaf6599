"""500 customers through the real window while the platform flaps; then it comes back.

The training knobs cycle through the faults a counter's network brings: an outage, answers
slower than the client waits, 5xx errors, malformed answers, and all of them mixed. Every
customer is scanned, decided and cleared with the keyboard as a clerk does; every tenth
is also settled on the open-cases screen. Meanwhile the window's background sync keeps
delivering into the faults.

Two things are measured:

- the GUI thread never stalls for 100 ms or more (tests/support/stall_meter.py: the
  longest time the thread was away from its event loop, less the time the OS kept it
  waiting for a CPU, so a loaded CI machine does not count against the desk);
- once the platform is back, every decision and settlement the desk recorded is on the
  platform exactly once, under the desk's own ids, and the platform holds nothing from
  this counter that the desk does not.

The customers are driven from inside the event loop (timers, not ``qtbot.wait``), one key
per turn of the loop as a keyboard or scanner delivers them, so what the meter sees is the
window's own work: a test's waits, or a burst of keys in one slot, would be stalls of their
own. The platform runs in a process of its own (tests/support/platform_process.py), as the
city's does: in this process its request handling would compete with the GUI thread for
the GIL, which no counter PC sees. Faults found by this drill, kept fixed: the meter's own
watchdog spinning on the GIL; a full garbage collection of the start-up heap (70-100 ms,
now frozen at start, ``freeze_start_up_objects``); an application-wide Python event filter
running for every paint.
"""

from __future__ import annotations

import collections
import dataclasses
import gc
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desk_app.domain.model import DecisionSource
from desk_app.sync import outbox
from desk_app.training_platform.models import Knobs
from desk_app.training_platform.residents import generate
from desk_app.ui.app import freeze_start_up_objects
from desk_app.ui.main_window import MainWindow
from tests.integration.desk_fixtures import drain
from tests.support.platform_process import PlatformProcess
from tests.support.stall_meter import StallMeter
from tests.ui.conftest import WAIT_MS, WindowFactory

CUSTOMERS = 500
SETTLE_EVERY = 10
STALL_LIMIT_S = 0.100
# Short client timeouts, as at a counter that cannot wait; the latency knob goes past them.
READ_TIMEOUT_S = 0.25
SLOW_MS = 600
# How long one step may take before the drill calls it stuck (not a timing assertion).
STEP_LIMIT_MS = 10_000


def knobs_for(customer: int) -> Knobs:
    """The platform's faults for a customer: a cycle of 100, five times over."""
    n = customer % 100
    if n < 30:
        return Knobs()
    if n < 45:
        return Knobs(outage=True)
    if n < 50:
        return Knobs(latency_ms=SLOW_MS)
    if n < 65:
        return Knobs(error_rate=0.5)
    if n < 80:
        return Knobs(malformed_rate=0.5)
    return Knobs(error_rate=0.2, malformed_rate=0.2, latency_ms=SLOW_MS if n >= 97 else 0)


@pytest.fixture
def city_platform(tmp_path: Path) -> Iterator[PlatformProcess]:
    """The training platform in a process of its own, as the city's is: its work does not
    compete with the desk's GUI thread for this interpreter's GIL."""
    with PlatformProcess(tmp_path / "city-platform") as running:
        yield running


@dataclass
class Tally:
    """What the drill did."""

    sources: collections.Counter[str] = field(default_factory=collections.Counter)
    undecided: list[int] = field(default_factory=list)
    settled: list[str] = field(default_factory=list)
    unsettled: list[int] = field(default_factory=list)


class CounterDriver(QObject):
    """A clerk at the keyboard, as a chain of steps on the GUI thread's event loop.

    Each step does what a clerk's keys do, then hands over to the event loop and polls
    (every millisecond, a tiny slot) until the window has answered.

    Signals:
        finished(): every customer is done.
    """

    finished = Signal()

    def __init__(self, window: MainWindow, platform: PlatformProcess, numbers: list[str]) -> None:
        super().__init__(window)
        self.window = window
        self.platform = platform
        self.numbers = numbers
        self.tally = Tally()
        self.customer = 0
        self._knobs = Knobs()

    # -- plumbing -------------------------------------------------------------------------

    def _when(self, ready: Callable[[], bool], then: Callable[[bool], None]) -> None:
        """Call ``then(True)`` once ``ready()``, or ``then(False)`` after STEP_LIMIT_MS."""
        deadline = time.monotonic() + STEP_LIMIT_MS / 1000

        def poll() -> None:
            if ready():
                then(True)
            elif time.monotonic() > deadline:
                then(False)
            else:
                QTimer.singleShot(1, poll)

        QTimer.singleShot(0, poll)

    def _type(
        self, widget: QWidget, keys: Sequence[str | Qt.Key], then: Callable[[], None]
    ) -> None:
        """Press ``keys`` one per turn of the event loop, as a keyboard or a scanner sends
        them (each is an event of its own, never a burst inside one slot), then ``then()``."""
        remaining = list(keys)

        def press() -> None:
            key = remaining.pop(0)
            if isinstance(key, str):
                QTest.keyClicks(widget, key)
            else:
                QTest.keyClick(widget, key)
            QTimer.singleShot(0, press if remaining else then)

        QTimer.singleShot(0, press)

    def start(self) -> None:
        QTimer.singleShot(0, self._next)

    # -- one customer ---------------------------------------------------------------------

    def _next(self) -> None:
        if self.customer >= CUSTOMERS:
            self.finished.emit()
            return
        knobs = knobs_for(self.customer)
        if knobs != self._knobs:
            # Between two customers, once per phase (a blocking call here is the test's own
            # pause, and short: the meter may count it, the window is not to blame).
            self.platform.set_knobs(knobs)
            self._knobs = knobs
        counter = self.window.counter
        number = self.numbers[self.customer % len(self.numbers)]
        credit = self.customer % 7 != 3

        def choose_and_decide() -> None:
            counter.select_item("BZ-CR-01" if credit else "BZ-CA-01")
            keys = [Qt.Key.Key_F6, Qt.Key.Key_F5] if credit else [Qt.Key.Key_F5]
            self._type(counter.scan_field, keys, wait_for_the_decision)

        def wait_for_the_decision() -> None:
            self._when(lambda: not counter._in_flight, self._decided)

        self._type(counter.scan_field, [*number, Qt.Key.Key_Return], choose_and_decide)

    def _decided(self, in_time: bool) -> None:
        decision = self.window.counter.decision
        if not in_time or decision is None:
            self.tally.undecided.append(self.customer)
        else:
            self.tally.sources[decision.source.value] += 1
            if self.customer % SETTLE_EVERY == 0:
                self._settle()
                return
        self._done()

    def _settle(self) -> None:
        """F3, scan the same customer, settle the first open case, F2 back."""
        window = self.window
        cases = window.cases
        number = self.numbers[self.customer % len(self.numbers)]

        def search() -> None:
            cases.table.setRowCount(0)
            self._type(cases.scan_field, [*number, Qt.Key.Key_Return], wait_for_the_cases)

        def wait_for_the_cases() -> None:
            self._when(lambda: cases.table.rowCount() > 0, self._cases_found)

        self._type(window.counter.scan_field, [Qt.Key.Key_F3], search)

    def _cases_found(self, in_time: bool) -> None:
        cases = self.window.cases
        rows = [r for r, case in enumerate(cases.cases) if case.settlement_id is None]
        if not in_time or not rows:
            self.tally.unsettled.append(self.customer)
            self._back_to_the_counter()
            return
        cases.table.selectRow(rows[0])
        cases.total.setText("100.00")
        cases.insurance.setText("0")
        cases.paid.setText("100.00")
        before = cases.last_settlement
        self._type(
            cases.scan_field,
            [Qt.Key.Key_F5],
            lambda: self._when(lambda: cases.last_settlement != before, self._saved),
        )

    def _saved(self, in_time: bool) -> None:
        last = self.window.cases.last_settlement
        if in_time and last is not None:
            self.tally.settled.append(last)
        else:
            self.tally.unsettled.append(self.customer)
        self._back_to_the_counter()

    def _back_to_the_counter(self) -> None:
        self._type(self.window.cases.scan_field, [Qt.Key.Key_F2], self._done)

    def _done(self) -> None:
        self._type(self.window.counter.scan_field, [Qt.Key.Key_Escape], self._next_customer)

    def _next_customer(self) -> None:
        self.customer += 1
        self._next()


def measured(
    qtbot: QtBot, meter: StallMeter, start: Callable[[], None], done: SignalInstance
) -> None:
    """Run the event loop until ``done``, with the meter on from the first tick."""
    meter.start()
    with qtbot.waitSignal(done, timeout=CUSTOMERS * STEP_LIMIT_MS):
        start()
    meter.stop()


@pytest.mark.slow
def test_500_customers_while_the_platform_flaps_never_freeze_the_window_and_lose_nothing(
    qtbot: QtBot, make_window: WindowFactory, city_platform: PlatformProcess
) -> None:
    window = make_window(platform_url=city_platform.url)
    desk = window.desk
    desk.client.config = dataclasses.replace(
        desk.client.config, read_timeout_s=READ_TIMEOUT_S, connect_timeout_s=0.5, backoff_s=0.01
    )
    # A sync round every second instead of ten: more deliveries land in the faults.
    window.sync_timer.setInterval(1000)
    # 60 people, each back every 60 customers: a cached decision can serve them offline.
    numbers = [r.number for r in generate() if r.kind.value == "resident_id"][:60]
    driver = CounterDriver(window, city_platform, numbers)
    meter = StallMeter(window)
    # What run_desk does once the window is up (this process holds pytest's heap too).
    freeze_start_up_objects()
    try:
        measured(qtbot, meter, driver.start, driver.finished)
    finally:
        gc.unfreeze()
        city_platform.set_knobs(Knobs())

    tally = driver.tally
    print(meter.report())  # the figure, for -s and the closing notes
    assert meter.longest_s < STALL_LIMIT_S, meter.report()
    assert tally.undecided == []
    assert tally.unsettled == []
    assert len(tally.settled) == CUSTOMERS // SETTLE_EVERY
    # The faults reached the clerk: online, from the list, and every offline way.
    for source in DecisionSource:
        assert tally.sources[source.value] > 0, tally.sources

    # The platform is back: the window's sync stops, what runs finishes, the rest goes out.
    window.sync_timer.stop()
    qtbot.waitUntil(lambda: window.tasks.running == 0, timeout=WAIT_MS)
    drain(desk)
    assert outbox.counts(desk.ctx) == {"pending": 0, "attention": 0}
    with desk.store.read() as db:
        local_decisions = dict(db.execute("SELECT local_id, decision_id FROM decisions"))
        local_settlements = {r[0] for r in db.execute("SELECT settlement_id FROM settlements")}
    counter_id = desk.settings.counter_id
    remote_decisions = dict(
        city_platform.rows(
            "SELECT request_id, decision_id FROM decisions WHERE counter_id = ?", (counter_id,)
        )
    )
    # Every decision exactly once, under the desk's own request id, with the id it knows.
    assert remote_decisions == local_decisions
    remote_settlements = [
        settlement_id
        for settlement_id, answer in city_platform.rows(
            "SELECT settlement_id, answer_json FROM settlements"
        )
        if json.loads(answer).get("counter_id") == counter_id
    ]
    assert sorted(remote_settlements) == sorted(local_settlements)
    assert set(tally.settled) == local_settlements


def test_the_stall_meter_catches_a_network_call_on_the_gui_thread(
    qtbot: QtBot, city_platform: PlatformProcess
) -> None:
    """The meter's own check: a blocking call in a slot is a stall; a short slot is not."""
    meter = StallMeter()
    finished = QTimer()
    finished.setSingleShot(True)

    def quick() -> None:
        sum(range(10_000))
        finished.start(50)

    measured(qtbot, meter, lambda: QTimer.singleShot(50, quick), finished.timeout)
    assert meter.longest_s < 0.05, meter.report()

    city_platform.set_knobs(Knobs(latency_ms=200))

    def block() -> None:
        # What the window must never do: wait for the platform on the GUI thread.
        requests.get(city_platform.url + "/v1/health", timeout=5).close()
        finished.start(50)

    measured(qtbot, meter, lambda: QTimer.singleShot(50, block), finished.timeout)
    assert 0.15 < meter.longest_s < 2.0, meter.report()
