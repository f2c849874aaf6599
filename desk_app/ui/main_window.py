"""The desk's main window: sign-in, counter, open cases, sync; status bar; idle lock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.app import Desk
from desk_app.devices.card import CardRead
from desk_app.devices.serial_reader import ReaderState, ReaderTimings
from desk_app.domain.model import Decision, DecisionSource
from desk_app.errors import DeskError
from desk_app.paper import Layout, Paper, decision_slip, settlement_receipt
from desk_app.paper.sources import SlipData
from desk_app.platform.errors import PlatformError
from desk_app.services.alerts import open_alerts
from desk_app.services.operators import Operator
from desk_app.sync import outbox
from desk_app.ui.errors import ErrorPresenter
from desk_app.ui.printing import PaperDialog, both_layouts, show_paper
from desk_app.ui.reader_worker import ReaderWorker
from desk_app.ui.screens.cases import CasesScreen
from desk_app.ui.screens.counter import CounterScreen
from desk_app.ui.screens.report import ReportScreen
from desk_app.ui.screens.settings import SettingsScreen
from desk_app.ui.screens.sign_in import SignInScreen
from desk_app.ui.screens.sync import SyncScreen
from desk_app.ui.tasks import TaskRunner

SYNC_INTERVAL_MS = 10_000


@dataclass(frozen=True)
class SyncReport:
    """One background sync round, as the status bar shows it."""

    online: bool
    at: dt.datetime
    pending: int
    attention: int
    alerts: int


def sync_round(desk: Desk) -> SyncReport:
    """Check the platform, deliver what is due, count what waits (off the GUI thread)."""
    try:
        desk.client.health()
        online = True
    except PlatformError:
        online = False
    if online:
        desk.outbox.deliver_due()
    counts = outbox.counts(desk.ctx)
    return SyncReport(
        online, desk.ctx.now(), counts["pending"], counts["attention"], len(open_alerts(desk.ctx))
    )


class _ActivityWatcher(QObject):
    """Restarts the idle timer on any key or mouse press in the windows it watches.

    It watches the top-level windows' ``QWindow`` objects, where the platform delivers input
    first, never the whole application: an application-wide filter written in Python runs
    for every event of every object (each paint, layout and timer event), taking the GIL
    each time. Measured offscreen: a screen switch with its repaint took 12.1 ms with it,
    8.6 ms without.
    """

    def __init__(self, timer: QTimer) -> None:
        super().__init__()
        self._timer = timer
        self._watched: set[int] = set()

    def watch(self, widget: QWidget) -> None:
        """Watch ``widget``'s top-level window (once it has one; idempotent)."""
        handle = widget.window().windowHandle()
        if handle is not None and id(handle) not in self._watched:
            self._watched.add(id(handle))
            handle.installEventFilter(self)
            handle.destroyed.connect(lambda: self._watched.discard(id(handle)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            self._timer.start()
        return False


class MainWindow(QMainWindow):
    """The counter window.

    Args:
        desk: the desk's services, from :func:`desk_app.app.open_desk`.
        language: ``zh_CN`` or ``en``.
        log_dir: where the log is (named in the crash dialog).
        idle_minutes: lock after this long without a key or mouse press.
    """

    def __init__(self, desk: Desk, language: str, log_dir: Path, idle_minutes: float = 10) -> None:
        super().__init__()
        self.desk = desk
        self.language = language
        self.operator: Operator | None = None
        self.paper_dialog: PaperDialog | None = None
        self._locked_operator: Operator | None = None
        self._sync_running = False
        self._alerts_seen = 0
        self.setWindowTitle(self.tr("Deposit-free counter desk"))

        self.message_bar = QLabel()
        self.message_bar.setObjectName("messageBar")
        self.message_bar.setWordWrap(True)
        # Always there, empty when there is nothing to say: the screen below never jumps.
        self.message_bar.setMinimumHeight(40)
        self.on_error = ErrorPresenter(self, language, self.show_message, log_dir)
        self.tasks = TaskRunner(self.on_error, self)

        training = desk.settings.training
        self.training_banner = QLabel(
            self.tr("TRAINING MODE: synthetic residents, nothing reaches the city platform")
        )
        self.training_banner.setObjectName("trainingBanner")
        self.training_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.training_banner.setVisible(training)

        hint = self.tr("Training operators: clerk 1001 / PIN 1234, supervisor 9001 / PIN 9999")
        self.sign_in = SignInScreen(desk, self.tasks, self.show_message, hint if training else "")
        self.counter = CounterScreen(desk, self.tasks, self._current_operator, language,
                                     self.show_message)  # fmt: skip
        self.cases = CasesScreen(desk, self.tasks, self._current_operator, language,
                                 self.show_message)  # fmt: skip
        self.sync_screen = SyncScreen(desk, self.tasks, self._current_operator, language,
                                      self.sync_now)  # fmt: skip
        self.settings_screen = SettingsScreen(desk, self.tasks, self._current_operator,
                                              self.show_message)  # fmt: skip
        self.report_screen = ReportScreen(desk, self.tasks, self._current_operator, language,
                                          self.show_message)  # fmt: skip
        self.stack = QStackedWidget()
        # The settings form is taller than a 1366x768 screen leaves: it scrolls.
        settings_page = QScrollArea()
        settings_page.setWidgetResizable(True)
        settings_page.setWidget(self.settings_screen)
        self._pages: dict[QWidget, QWidget] = {self.settings_screen: settings_page}
        for screen in (self.sign_in, self.counter, self.cases, self.sync_screen,
                       self.report_screen):  # fmt: skip
            self.stack.addWidget(screen)
        self.stack.addWidget(settings_page)

        self.nav_counter = QPushButton(self.tr("F2  Counter"))
        self.nav_cases = QPushButton(self.tr("F3  Open cases"))
        self.nav_sync = QPushButton(self.tr("F4  Sync and alerts"))
        self.nav_report = QPushButton(self.tr("F11  Monthly report"))
        self.nav_settings = QPushButton(self.tr("F10  Settings"))
        self.nav_lock = QPushButton(self.tr("F12  Sign out"))
        nav = QHBoxLayout()
        for button in (
            self.nav_counter, self.nav_cases, self.nav_sync, self.nav_report, self.nav_settings,
            self.nav_lock,
        ):  # fmt: skip
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            nav.addWidget(button)
        nav.addStretch(1)
        self.nav = QWidget()
        self.nav.setLayout(nav)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.training_banner)
        layout.addWidget(self.nav)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.connection = QLabel()
        self.connection.setObjectName("connectionStatus")
        self.pending = QLabel()
        self.who = QLabel()
        counter_label = QLabel(
            self.tr("Counter {counter}").format(counter=desk.settings.counter_id)
        )
        status = self.statusBar()
        for widget in (self.connection, self.pending, self.who, counter_label):
            status.addWidget(widget)
        if training:
            mark = QLabel(self.tr("TRAINING"))
            mark.setObjectName("trainingMark")
            status.addPermanentWidget(mark)

        self.nav_counter.clicked.connect(lambda: self.show_screen(self.counter))
        self.nav_cases.clicked.connect(lambda: self.show_screen(self.cases))
        self.nav_sync.clicked.connect(lambda: self.show_screen(self.sync_screen))
        self.nav_report.clicked.connect(self.open_report)
        self.nav_settings.clicked.connect(self.open_settings)
        self.nav_lock.clicked.connect(self.sign_out)
        for key, slot in (
            (Qt.Key.Key_F2, lambda: self.show_screen(self.counter)),
            (Qt.Key.Key_F3, lambda: self.show_screen(self.cases)),
            (Qt.Key.Key_F4, lambda: self.show_screen(self.sync_screen)),
            (Qt.Key.Key_F10, self.open_settings),
            (Qt.Key.Key_F11, self.open_report),
            (QKeySequence("Ctrl+Shift+P"), self.reprint_last),
            (Qt.Key.Key_F12, self.sign_out),
        ):
            QShortcut(QKeySequence(key), self, slot)
        self.sign_in.signed_in.connect(self._signed_in)
        self.sync_screen.acknowledged.connect(self.sync_now)
        self.counter.decided.connect(self._decision_shown)

        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(SYNC_INTERVAL_MS)
        self.sync_timer.timeout.connect(self.sync_now)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(int(idle_minutes * 60_000))
        self.idle_timer.timeout.connect(self.lock)
        self._watcher = _ActivityWatcher(self.idle_timer)

        self.reader: ReaderWorker | None = None
        self._reader_warning = False
        self.reader_status = QLabel()
        if desk.settings.reader_port:
            self.start_reader(desk.settings.reader_port)
        status.addWidget(self.reader_status)
        self._update_who()
        self.connection.setText(self.tr("Platform: checking…"))
        self.show_screen(self.sign_in)
        self.resize(1366, 768)
        self.sync_timer.start()
        self.sync_now()

    # -- the card reader ----------------------------------------------------------------

    def start_reader(self, port: str, timings: ReaderTimings | None = None) -> None:
        """Poll the ID card reader on ``port`` (its own thread)."""
        self.reader = ReaderWorker(port, timings=timings, parent=self)
        self.reader.card_read.connect(self._card_read)
        self.reader.reader_error.connect(self._reader_error)
        self.reader.state_changed.connect(self._reader_state)
        self.reader_status.setText(self.tr("Card reader: connecting…"))
        self.reader.start()

    def _reader_error(self, error: DeskError) -> None:
        self._reader_warning = True
        self.show_message("warning", error.message(self.on_error.language))

    def _reader_state(self, state: str) -> None:
        if state != ReaderState.DISCONNECTED.value and self._reader_warning:
            # The reader answers again: its warning is no longer true.
            self._reader_warning = False
            self.show_message("clear", "")
        text = {
            ReaderState.DISCONNECTED.value: self.tr("Card reader: not connected"),
            ReaderState.WAITING.value: self.tr("Card reader: ready"),
            ReaderState.CARD_READ.value: self.tr("Card reader: card read"),
        }.get(state, state)
        self.reader_status.setText(text)

    def _card_read(self, card: CardRead) -> None:
        """A card on the reader: the screen in front of the clerk takes it as a scan."""
        if self.operator is None:
            self.show_message("warning", self.tr("Sign in first, then place the card again."))
            return
        if self.stack.currentWidget() is self.cases:
            self.cases.on_scan(card.document.number)
        else:
            self.show_screen(self.counter)
            self.counter.on_card(card)

    # -- operators --------------------------------------------------------------------

    def _current_operator(self) -> Operator | None:
        return self.operator

    def _signed_in(self, operator: Operator) -> None:
        self.operator = operator
        self._locked_operator = None
        self._update_who()
        self.idle_timer.start()
        self.counter.load_items()
        self.show_screen(self.counter)
        self.show_message("success", self.tr("Signed in: {name}").format(name=operator.name))

    def sign_out(self) -> None:
        """F12: the operator leaves; the next one signs in."""
        if self.operator is not None:
            operator = self.operator
            self.tasks.run_task(lambda: self.desk.operators.sign_out(operator), lambda _: None)
        self.operator = None
        self.idle_timer.stop()
        self.counter.next_customer()
        self.sign_in.reset()
        self._update_who()
        self.show_screen(self.sign_in)

    def lock(self) -> None:
        """Idle too long: lock; the same operator (or another) signs in again."""
        if self.operator is None:
            return
        operator = self.operator
        self.tasks.run_task(
            lambda: self.desk.operators.sign_out(operator, "locked_idle"), lambda _: None
        )
        self._locked_operator = operator
        self.operator = None
        self.counter.next_customer()
        self.sign_in.reset(operator)
        self._update_who()
        self.show_screen(self.sign_in)

    def open_report(self) -> None:
        """F11: the monthly report of the month chosen (last month at first)."""
        if self.operator is None:
            return
        self.show_screen(self.report_screen)
        self.report_screen.load()

    def reprint_last(self) -> None:
        """Ctrl+Shift+P: the last slip or receipt of this counter again (offline too)."""
        operator = self.operator
        if operator is None:
            return
        language = "en" if self.language == "en" else "zh"

        def papers() -> dict[Layout, Paper]:
            data = self.desk.paper.last(operator.operator_id)
            if isinstance(data, SlipData):
                slip = data
                return both_layouts(
                    lambda layout: decision_slip(slip, layout, language), Layout.THERMAL_80
                )
            receipt = data
            return both_layouts(
                lambda layout: settlement_receipt(receipt, layout, language), Layout.THERMAL_80
            )

        self.tasks.run_task(papers, self.show_papers)

    def show_papers(self, papers: dict[Layout, Paper]) -> None:
        """Preview a document (every layout), to print it or save it as PDF."""
        self.paper_dialog = show_paper(self, papers, self.desk.settings.printer, self.language)
        self._watcher.watch(self.paper_dialog)
        # Back to where the clerk was: the next scan lands in the scan field again.
        self.paper_dialog.finished.connect(lambda _: self._restore_focus())

    def _restore_focus(self) -> None:
        self.activateWindow()
        screen = self.stack.currentWidget()
        target = getattr(screen, "scan_field", None) or screen
        if target is not None:
            target.setFocus()

    def open_settings(self) -> None:
        """F10: the settings, for supervisors only."""
        if self.operator is None or not self.operator.is_supervisor:
            self.show_message("warning", self.tr("Only a supervisor changes settings."))
            return
        self.settings_screen.load()
        self.show_screen(self.settings_screen)

    def _update_who(self) -> None:
        if self.operator is None:
            self.who.setText(self.tr("Not signed in"))
        else:
            self.who.setText(
                self.tr("Operator: {name} ({id})").format(
                    name=self.operator.name, id=self.operator.operator_id
                )
            )
        self.nav.setVisible(self.operator is not None)
        self.nav_settings.setVisible(self.operator is not None and self.operator.is_supervisor)

    # -- screens and messages -----------------------------------------------------------

    def show_screen(self, screen: QWidget) -> None:
        """Switch screens (only the sign-in screen without an operator)."""
        if self.operator is None:
            screen = self.sign_in
        self.stack.setCurrentWidget(self._pages.get(screen, screen))
        self.show_message("clear", "")
        if screen is self.sync_screen:
            self.sync_screen.refresh()
        focus = getattr(screen, "scan_field", None) or getattr(screen, "operator_field", None)
        if screen is self.sign_in and self._locked_operator is not None:
            focus = self.sign_in.pin_field
        if focus is not None:
            focus.setFocus()

    def show_message(self, severity: str, text: str) -> None:
        """The message bar: severity (info, success, warning, offline, error) and text.

        ``clear`` hides it (the bar keeps its place, so the screen does not jump).
        """
        if severity == "clear":
            self.message_bar.setText("")
            self.message_bar.setProperty("severity", "none")
            self.message_bar.style().unpolish(self.message_bar)
            self.message_bar.style().polish(self.message_bar)
            return
        symbols = {"success": "✔", "warning": "⚠", "offline": "⚡", "error": "✘", "info": "ℹ"}
        self.message_bar.setProperty("severity", severity)
        self.message_bar.style().unpolish(self.message_bar)
        self.message_bar.style().polish(self.message_bar)
        self.message_bar.setText(f"{symbols.get(severity, '')} {text}")

    # -- sync ---------------------------------------------------------------------------

    def sync_now(self) -> None:
        """One background sync round (never two at once)."""
        if self._sync_running:
            return
        self._sync_running = True
        self.tasks.run_task(lambda: sync_round(self.desk), self._synced, self._sync_failed)

    def _synced(self, report: SyncReport) -> None:
        self._sync_running = False
        self._show_connection(report.online, report.at)
        if report.alerts > self._alerts_seen:
            self.show_message(
                "error",
                self.tr(
                    "{n} provisional waiver(s) refused by the platform: collect the deposit "
                    "(F4 Sync and alerts)."
                ).format(n=report.alerts),
            )
        self._alerts_seen = report.alerts
        self.pending.setText(
            self.tr("Waiting to send: {pending}").format(pending=report.pending)
            + (
                self.tr("  Needs attention: {n}").format(n=report.attention)
                if report.attention
                else ""
            )
        )
        alerts = self.tr("F4  Sync and alerts")
        if report.alerts:
            alerts += self.tr(" ({n} alerts)").format(n=report.alerts)
        self.nav_sync.setText(alerts)
        if self.stack.currentWidget() is self.sync_screen:
            self.sync_screen.refresh()
        if self.stack.currentWidget() is self.report_screen:
            self.report_screen.refresh_submissions()

    def _decision_shown(self, decision: Decision) -> None:
        """The decision says whether the platform answered: the status bar follows at once."""
        online = decision.source in (DecisionSource.ONLINE, DecisionSource.LIST)
        if decision.source is not DecisionSource.LIST:
            self._show_connection(online, self.desk.ctx.now())
        if not online:
            self.sync_now()  # recount what waits to be sent

    def _show_connection(self, online: bool, at: dt.datetime) -> None:
        when = at.strftime("%H:%M:%S")
        if online:
            self.connection.setText(self.tr("● Online (last contact {time})").format(time=when))
        else:
            self.connection.setText(self.tr("○ OFFLINE (checked {time})").format(time=when))
        self.connection.setProperty("online", online)
        self.connection.style().unpolish(self.connection)
        self.connection.style().polish(self.connection)

    def _sync_failed(self, error: BaseException) -> None:
        self._sync_running = False
        self.on_error(error)

    def showEvent(self, event: QShowEvent) -> None:
        """Once shown, the window has its ``QWindow``: watch it for the clerk's activity."""
        super().showEvent(event)
        self._watcher.watch(self)

    # -- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop taking work, let what runs finish (bounded), then close."""
        self.sync_timer.stop()
        self.idle_timer.stop()
        if self.reader is not None:
            self.reader.stop()
        self.tasks.shutdown()
        super().closeEvent(event)
