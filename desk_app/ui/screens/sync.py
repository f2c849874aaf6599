"""Sync and attention: what waits for the platform, what needs a person, and alerts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.app import Desk
from desk_app.domain.money import format_fen
from desk_app.services.alerts import Alert, acknowledge, open_alerts
from desk_app.services.operators import Operator
from desk_app.sync import outbox
from desk_app.ui.tasks import TaskRunner


@dataclass(frozen=True)
class SyncState:
    """What the sync screen shows."""

    counts: dict[str, int]
    attention: list[outbox.Entry]
    alerts: list[Alert]


def sync_state(desk: Desk) -> SyncState:
    """Read the outbox and alerts (off the GUI thread)."""
    return SyncState(
        outbox.counts(desk.ctx),
        [e for e in outbox.entries(desk.ctx) if e.state is outbox.State.ATTENTION],
        open_alerts(desk.ctx),
    )


class SyncScreen(QWidget):
    """The outbox, entries needing attention, and alerts, with Retry now.

    Signals:
        acknowledged(): an alert was cleared.
    """

    acknowledged = Signal()

    def __init__(
        self,
        desk: Desk,
        tasks: TaskRunner,
        operator: Callable[[], Operator | None],
        language: str,
        retry_now: Callable[[], None],
    ) -> None:
        super().__init__()
        self.desk = desk
        self.tasks = tasks
        self._operator = operator
        self._english = language == "en"
        self.summary = QLabel()
        self.summary.setObjectName("syncSummary")
        self.retry = QPushButton(self.tr("Retry now"))
        self.retry.clicked.connect(retry_now)
        self.alerts = QTableWidget(0, 3)
        self.alerts.setObjectName("alertsTable")
        self.alerts.setHorizontalHeaderLabels(
            [self.tr("Customer"), self.tr("What to do"), self.tr("Amount")]
        )
        self.alerts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.alerts.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.alerts.setWordWrap(True)
        self.alerts.setTabKeyNavigation(False)
        self.alerts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.alerts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.acknowledge = QPushButton(self.tr("Deposit collected: clear the alert"))
        self.acknowledge.clicked.connect(self._acknowledge)
        self.attention = QTableWidget(0, 2)
        self.attention.setObjectName("attentionTable")
        self.attention.setHorizontalHeaderLabels([self.tr("Record"), self.tr("Why")])
        self.attention.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.attention.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.attention.setTabKeyNavigation(False)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.retry)
        alerts_box = QGroupBox(self.tr("Alerts: act now"))
        alerts_layout = QVBoxLayout(alerts_box)
        alerts_layout.addWidget(self.alerts)
        alerts_layout.addWidget(self.acknowledge)
        attention_box = QGroupBox(self.tr("Needs attention (the platform refused these)"))
        QVBoxLayout(attention_box).addWidget(self.attention)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(alerts_box, 1)
        layout.addWidget(attention_box, 1)
        self._alerts: list[Alert] = []

    def refresh(self) -> None:
        """Re-read the outbox and alerts."""
        self.tasks.run_task(lambda: sync_state(self.desk), self.show_state)

    def show_state(self, state: SyncState) -> None:
        """Show what was read."""
        self.summary.setText(
            self.tr("Waiting to send: {pending}    Needs attention: {attention}").format(
                pending=state.counts["pending"], attention=state.counts["attention"]
            )
        )
        self._alerts = state.alerts
        self.alerts.setRowCount(len(state.alerts))
        for row, alert in enumerate(state.alerts):
            message = alert.message_en if self._english else alert.message_zh
            for column, text in enumerate(
                (alert.subject_masked, message, format_fen(alert.amount_fen))
            ):
                self.alerts.setItem(row, column, QTableWidgetItem(text))
        self.alerts.resizeRowsToContents()
        self.acknowledge.setEnabled(bool(state.alerts))
        self.attention.setRowCount(len(state.attention))
        for row, entry in enumerate(state.attention):
            why = (entry.error_en if self._english else entry.error_zh) or entry.error_code or ""
            self.attention.setItem(row, 0, QTableWidgetItem(self._kind_name(entry.kind)))
            self.attention.setItem(row, 1, QTableWidgetItem(why))

    def _kind_name(self, kind: outbox.Kind) -> str:
        return {
            outbox.Kind.DECISION: self.tr("Decision made offline"),
            outbox.Kind.SETTLEMENT: self.tr("Settlement"),
            outbox.Kind.SETTLEMENT_UPDATE: self.tr("Payment outcome"),
            outbox.Kind.REPORT: self.tr("Monthly report"),
        }[kind]

    def _acknowledge(self) -> None:
        operator = self._operator()
        rows = self.alerts.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        if operator is None or not self._alerts:
            return
        alert = self._alerts[row]
        self.tasks.run_task(
            lambda: acknowledge(self.desk.ctx, alert.id, operator.operator_id), self._acked
        )

    def _acked(self, _: object) -> None:
        self.refresh()
        self.acknowledged.emit()
