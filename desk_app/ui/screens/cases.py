"""Open cases: find a person's cases by scanning the ID, settle one, record how it ended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.app import Desk
from desk_app.domain.model import Outcome
from desk_app.domain.money import format_fen, parse_yuan
from desk_app.errors import DeskError
from desk_app.identity import PERSON_KINDS, Document, InvalidDocumentError, identify
from desk_app.services.operators import Operator
from desk_app.services.settlements import (
    METHODS,
    FinalOutcome,
    OpenCase,
    SettlementRequest,
    SettlementStatus,
)
from desk_app.ui.tasks import TaskRunner
from desk_app.ui.widgets.scan_field import ScanField

_METHOD_NAMES = {
    "cash": ("现金", "cash"),
    "bank_card": ("银行卡", "bank card"),
    "unionpay_qr": ("银联二维码", "UnionPay QR"),
    "wechat": ("微信", "WeChat Pay"),
    "alipay": ("支付宝", "Alipay"),
    "transfer": ("转账", "transfer"),
    "insurance": ("医保", "insurance"),
    "none": ("未付", "not paid"),
}


class CasesScreen(QWidget):
    """Open cases of one person, and the settlement form."""

    def __init__(
        self,
        desk: Desk,
        tasks: TaskRunner,
        operator: Callable[[], Operator | None],
        language: str,
        show_message: Callable[[str, str], None],
    ) -> None:
        super().__init__()
        self.desk = desk
        self.tasks = tasks
        self._operator = operator
        self._english = language == "en"
        self._message = show_message
        self.document: Document | None = None
        self.cases: list[OpenCase] = []

        self.scan_field = ScanField(self)
        self.scan_field.setPlaceholderText(self.tr("Scan the ID to find the open cases"))
        self.who = QLabel()
        self.who.setObjectName("casesWho")
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("casesTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Item"),
                self.tr("Decided"),
                self.tr("Outcome"),
                self.tr("Deposit"),
                self.tr("Counter"),
                self.tr("State"),
            ]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.total = QLineEdit()
        self.total.setObjectName("totalField")
        self.insurance = QLineEdit("0")
        self.insurance.setObjectName("insuranceField")
        self.self_pay = QLabel("-")
        self.self_pay.setObjectName("selfPayLabel")
        self.paid = QLineEdit()
        self.paid.setObjectName("paidField")
        self.method = QComboBox()
        for code in METHODS:
            self.method.addItem(_METHOD_NAMES[code][1 if self._english else 0], code)
        self.settled_now = QRadioButton(self.tr("Settled now"))
        self.due_later = QRadioButton(self.tr("Due later"))
        self.settled_now.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.settled_now)
        group.addButton(self.due_later)
        self.due_date = QDateEdit()
        self.due_date.setCalendarPopup(True)
        self.due_date.setDisplayFormat("yyyy-MM-dd")
        self.save = QPushButton(self.tr("F5  Save settlement"))
        self.save.setObjectName("saveSettlement")
        self.paid_button = QPushButton(self.tr("Paid on time"))
        self.late_button = QPushButton(self.tr("Paid late"))
        self.default_button = QPushButton(self.tr("Defaulted"))

        form_box = QGroupBox(self.tr("Settlement"))
        form = QFormLayout(form_box)
        form.addRow(self.tr("Total (yuan)"), self.total)
        form.addRow(self.tr("Insurance share (yuan)"), self.insurance)
        form.addRow(self.tr("Self-pay"), self.self_pay)
        form.addRow(self.tr("Paid now (yuan)"), self.paid)
        form.addRow(self.tr("Method"), self.method)
        when = QHBoxLayout()
        when.addWidget(self.settled_now)
        when.addWidget(self.due_later)
        when.addWidget(self.due_date)
        form.addRow(self.tr("When"), when)
        form.addRow(self.save)
        outcome_box = QGroupBox(self.tr("A deferred amount ended"))
        outcome = QHBoxLayout(outcome_box)
        for button in (self.paid_button, self.late_button, self.default_button):
            outcome.addWidget(button)

        right = QVBoxLayout()
        right.addWidget(form_box)
        right.addWidget(outcome_box)
        right.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.scan_field)
        left.addWidget(self.who)
        left.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

        self.scan_field.submitted.connect(self.on_scan)
        self.table.itemSelectionChanged.connect(self._selected)
        for field in (self.total, self.insurance):
            field.textChanged.connect(self._update_self_pay)
        self.due_later.toggled.connect(self.due_date.setEnabled)
        self.save.clicked.connect(self.save_settlement)
        self.paid_button.clicked.connect(lambda: self.record_outcome(FinalOutcome.PAID))
        self.late_button.clicked.connect(lambda: self.record_outcome(FinalOutcome.PAID_LATE))
        self.default_button.clicked.connect(lambda: self.record_outcome(FinalOutcome.DEFAULTED))
        save_key = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        save_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_key.activated.connect(self.save_settlement)
        self._selected()

    # -- finding cases ------------------------------------------------------------------

    def on_scan(self, text: str) -> None:
        """Find the open cases of the person scanned."""
        operator = self._operator()
        try:
            document = identify(text, kinds=PERSON_KINDS, today=self.desk.ctx.now().date())
        except InvalidDocumentError as error:
            self._message("warning", error.message("en" if self._english else "zh"))
            return
        if operator is None:
            return
        self.document = document
        self.who.setText(document.masked_number)
        self.tasks.run_task(
            lambda: self.desk.settlements.open_cases(document, operator.operator_id),
            self.show_cases,
        )

    def show_cases(self, cases: list[OpenCase], announce_empty: bool = True) -> None:
        """Fill the table (and say so when a search found nothing)."""
        self.cases = cases
        self.table.setRowCount(len(cases))
        for row, case in enumerate(cases):
            decision = case.decision
            outcome = {
                Outcome.WAIVE: self.tr("waived"),
                Outcome.COLLECT: self.tr("collected"),
                Outcome.NOT_REQUIRED: self.tr("no deposit"),
            }[decision.outcome]
            state = self.tr("due later") if case.settlement_id else self.tr("open")
            item = next((i for i in self.desk.items.all() if i.code == decision.item_code), None)
            name = decision.item_code
            if item is not None:
                name = item.name.en if self._english else item.name.zh
            for column, text in enumerate(
                (
                    name,
                    decision.decided_at.strftime("%Y-%m-%d %H:%M"),
                    outcome,
                    format_fen(decision.amount_fen),
                    case.counter_id,
                    state,
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if cases:
            self.table.selectRow(0)
        elif announce_empty:
            self._message("info", self.tr("No open cases for this person."))
        self._selected()

    def selected_case(self) -> OpenCase | None:
        """The case selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self.cases[rows[0].row()] if rows else None

    def _selected(self) -> None:
        case = self.selected_case()
        deferred = case is not None and case.settlement_id is not None
        for widget in (self.total, self.insurance, self.paid, self.method, self.save):
            widget.setEnabled(case is not None and not deferred)
        for button in (self.paid_button, self.late_button, self.default_button):
            button.setEnabled(deferred)
        if case is not None and not deferred:
            due = self.desk.ctx.now().date() + dt.timedelta(days=1)
            item = next(
                (i for i in self.desk.items.all() if i.code == case.decision.item_code), None
            )
            if item is not None:
                due = self.desk.ctx.now().date() + dt.timedelta(days=max(item.repayment_days, 1))
            self.due_date.setDate(QDate(due.year, due.month, due.day))
        self.due_date.setEnabled(self.due_later.isChecked())

    def _update_self_pay(self) -> None:
        try:
            total = parse_yuan(self.total.text() or "0")
            insurance = parse_yuan(self.insurance.text() or "0")
        except DeskError:
            self.self_pay.setText("-")
            return
        self.self_pay.setText(format_fen(total - insurance))
        if not self.paid.isModified():
            self.paid.setText(format_fen(max(total - insurance, 0), symbol=False).replace(",", ""))

    # -- settling -----------------------------------------------------------------------

    def save_settlement(self) -> None:
        """Record the settlement of the selected case (off the GUI thread)."""
        case = self.selected_case()
        operator = self._operator()
        if case is None or operator is None or self.document is None:
            self._message("warning", self.tr("Scan the ID and choose a case first."))
            return
        try:
            total = parse_yuan(self.total.text())
            insurance = parse_yuan(self.insurance.text() or "0")
            paid = parse_yuan(self.paid.text() or "0")
        except DeskError as error:
            self._message("warning", error.message("en" if self._english else "zh"))
            return
        deferred = self.due_later.isChecked()
        due = self.due_date.date().toPython() if deferred else None
        document = self.document

        def settle() -> str:
            local_id = self.desk.settlements.adopt(case, document)
            return self.desk.settlements.settle(
                SettlementRequest(
                    local_id=local_id,
                    status=SettlementStatus.DEFERRED if deferred else SettlementStatus.SETTLED,
                    total_fen=total,
                    insurance_fen=insurance,
                    self_pay_fen=total - insurance,
                    paid_fen=paid,
                    method=str(self.method.currentData()),
                    operator_id=operator.operator_id,
                    due_date=due,  # type: ignore[arg-type]
                )
            )

        self.save.setEnabled(False)
        self.tasks.run_task(settle, self._saved, self._failed)

    def _saved(self, settlement_id: str) -> None:
        self._message("success", self.tr("Settlement recorded; it goes to the platform."))
        self.total.clear()
        self.paid.clear()
        self.insurance.setText("0")
        self.settled_now.setChecked(True)
        self._refresh()

    def record_outcome(self, outcome: FinalOutcome) -> None:
        """A deferred amount was paid, paid late, or given up."""
        case = self.selected_case()
        operator = self._operator()
        if case is None or case.settlement_id is None or operator is None:
            return
        settlement_id = case.settlement_id
        paid_fen = 0
        if outcome is not FinalOutcome.DEFAULTED:
            paid_fen = self._owed(settlement_id)
        self.tasks.run_task(
            lambda: self.desk.settlements.record_outcome(
                settlement_id, outcome, paid_fen, operator.operator_id
            ),
            self._saved,
            self._failed,
        )

    def _owed(self, settlement_id: str) -> int:
        with self.desk.store.read() as db:
            row = db.execute(
                "SELECT self_pay_fen - paid_fen FROM settlements WHERE settlement_id = ?",
                (settlement_id,),
            ).fetchone()
        return int(row[0]) if row else 0

    def _failed(self, error: BaseException) -> None:
        self.save.setEnabled(True)
        handler = getattr(self.window(), "on_error", None)
        if handler is not None:
            handler(error)

    def _refresh(self) -> None:
        operator = self._operator()
        document = self.document
        if document is None or operator is None:
            return
        self.tasks.run_task(
            lambda: self.desk.settlements.open_cases(document, operator.operator_id),
            lambda cases: self.show_cases(cases, announce_empty=False),
        )
