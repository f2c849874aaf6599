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
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.app import Desk
from desk_app.domain.model import Item, Outcome
from desk_app.domain.money import format_fen, parse_yuan
from desk_app.errors import DeskError
from desk_app.identity import PERSON_KINDS, Document, InvalidDocumentError, identify
from desk_app.paper import Layout, Paper, settlement_receipt
from desk_app.services.operators import Operator
from desk_app.services.settlements import (
    METHOD_NAMES,
    METHODS,
    FinalOutcome,
    OpenCase,
    SettlementRequest,
    SettlementStatus,
)
from desk_app.ui.printing import both_layouts
from desk_app.ui.tasks import TaskRunner
from desk_app.ui.widgets.scan_field import ScanField


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
        self._items: dict[str, Item] = {}
        self.unsaved_question: QMessageBox | None = None
        self.default_question: QMessageBox | None = None
        self._confirmed_default = False

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
        # Tab leaves the table for the form instead of walking its cells.
        self.table.setTabKeyNavigation(False)

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
            name = METHOD_NAMES[code]
            self.method.addItem(name.en if self._english else name.zh, code)
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
        self.receipt_button = QPushButton(self.tr("Ctrl+P  Print receipt"))
        self.receipt_button.setObjectName("receiptButton")
        self.receipt_button.setEnabled(False)
        self.last_settlement: str | None = None
        self._lookup = 0  # numbers the searches: a late answer for an earlier one is dropped
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
        form.addRow(self.receipt_button)
        outcome_box = QGroupBox(self.tr("A deferred amount ended"))
        outcome = QHBoxLayout(outcome_box)
        for button in (self.paid_button, self.late_button, self.default_button):
            outcome.addWidget(button)
        self.deposit_state = QLabel()
        self.deposit_state.setObjectName("depositState")
        self.deposit_amount = QLineEdit()
        self.deposit_amount.setObjectName("depositAmount")
        self.collect_button = QPushButton(self.tr("Deposit collected"))
        self.refund_button = QPushButton(self.tr("Deposit refunded"))
        deposit_box = QGroupBox(self.tr("Deposit still collected (supervised items)"))
        deposit = QFormLayout(deposit_box)
        deposit.addRow(self.deposit_state)
        deposit.addRow(self.tr("Amount (yuan)"), self.deposit_amount)
        deposit_buttons = QHBoxLayout()
        deposit_buttons.addWidget(self.collect_button)
        deposit_buttons.addWidget(self.refund_button)
        deposit.addRow(deposit_buttons)

        right = QVBoxLayout()
        right.addWidget(form_box)
        right.addWidget(outcome_box)
        right.addWidget(deposit_box)
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
        # Enter moves through the form; in the last field it saves.
        self.total.returnPressed.connect(self.insurance.setFocus)
        self.insurance.returnPressed.connect(self.paid.setFocus)
        self.paid.returnPressed.connect(self.save_settlement)
        self.due_later.toggled.connect(self.due_date.setEnabled)
        self.save.clicked.connect(self.save_settlement)
        self.paid_button.clicked.connect(lambda: self.record_outcome(FinalOutcome.PAID))
        self.late_button.clicked.connect(lambda: self.record_outcome(FinalOutcome.PAID_LATE))
        self.default_button.clicked.connect(lambda: self.record_outcome(FinalOutcome.DEFAULTED))
        self.collect_button.clicked.connect(self.deposit_collected)
        self.refund_button.clicked.connect(self.deposit_refunded)
        save_key = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        save_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_key.activated.connect(self.save_settlement)
        self.receipt_button.clicked.connect(self.print_receipt)
        print_key = QShortcut(QKeySequence("Ctrl+P"), self)
        print_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_key.activated.connect(self.print_receipt)
        self._selected()

    # -- finding cases ------------------------------------------------------------------

    def on_scan(self, text: str) -> None:
        """Find the open cases of the person scanned; ask first if a settlement is half typed."""
        if self.total.text().strip() and self.selected_case() is not None:
            question = QMessageBox(
                QMessageBox.Icon.Question,
                self.tr("Unsaved settlement"),
                self.tr("A settlement is typed but not saved. Drop it and look up the new ID?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )
            question.setDefaultButton(QMessageBox.StandardButton.No)
            question.finished.connect(
                lambda answer: (
                    self._search(text) if answer == QMessageBox.StandardButton.Yes else None
                )
            )
            self.unsaved_question = question
            question.open()
            return
        self._search(text)

    def _search(self, text: str) -> None:
        self.total.clear()
        self.paid.clear()
        self.insurance.setText("0")
        self.settled_now.setChecked(True)
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
        # The person before's cases go at once: nothing of theirs may be settled under
        # this person's name while the search runs.
        self.show_cases([], announce_empty=False)
        self._lookup += 1
        lookup = self._lookup
        self.tasks.run_task(
            lambda: self.desk.settlements.open_cases(document, operator.operator_id),
            lambda cases: self._found(cases, lookup, announce_empty=True),
        )

    def _found(self, cases: list[OpenCase], lookup: int, announce_empty: bool) -> None:
        """A search's answer, unless a newer search (another person) was started since."""
        if lookup == self._lookup:
            self.show_cases(cases, announce_empty)

    def show_cases(self, cases: list[OpenCase], announce_empty: bool = True) -> None:
        """Fill the table (and say so when a search found nothing)."""
        self.cases = cases
        # One read of the list per search, not one per row or per selection.
        self._items = {item.code: item for item in self.desk.items.all()}
        self.table.setRowCount(len(cases))
        for row, case in enumerate(cases):
            decision = case.decision
            outcome = {
                Outcome.WAIVE: self.tr("waived"),
                Outcome.COLLECT: self.tr("collected"),
                Outcome.NOT_REQUIRED: self.tr("no deposit"),
            }[decision.outcome]
            state = self.tr("open")
            if case.settlement_id:
                state = self.tr("due later")
                if case.owed_fen is not None and case.due_date:
                    state = self.tr("{amount} due {date}").format(
                        amount=format_fen(case.owed_fen), date=case.due_date
                    )
            item = self._items.get(decision.item_code)
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
        self._show_deposit(case)
        if case is not None and not deferred:
            item = self._items.get(case.decision.item_code)
            due = (
                self.desk.settlements.default_due_date(item)
                if item is not None
                else self.desk.ctx.now().date() + dt.timedelta(days=1)
            )
            self.due_date.setDate(QDate(due.year, due.month, due.day))
        self.due_date.setEnabled(self.due_later.isChecked())

    def _show_deposit(self, case: OpenCase | None) -> None:
        collectable = case is not None and case.decision.outcome is Outcome.COLLECT
        status = None
        if collectable and case is not None and case.local_id is not None:
            status = self.desk.deposits.status(case.local_id)
        self.collect_button.setEnabled(collectable and status is None)
        self.refund_button.setEnabled(status is not None and status[1] is None)
        self.deposit_amount.setEnabled(collectable)
        if not collectable or case is None:
            self.deposit_state.setText(self.tr("No deposit is collected for this case."))
            self.deposit_amount.clear()
        elif status is None:
            self.deposit_state.setText(self.tr("Deposit to collect: {amount}").format(
                amount=format_fen(case.decision.collect_fen)))  # fmt: skip
            self.deposit_amount.setText(format_fen(case.decision.collect_fen, False))
        elif status[1] is None:
            self.deposit_state.setText(self.tr("Deposit collected: {amount}").format(
                amount=format_fen(status[0])))  # fmt: skip
            self.deposit_amount.setText(format_fen(status[0], False))
        else:
            self.deposit_state.setText(self.tr("Deposit refunded: {amount}").format(
                amount=format_fen(status[1])))  # fmt: skip

    def deposit_collected(self) -> None:
        """The deposit of the selected case was collected (amount and method as entered)."""
        self._deposit(refund=False)

    def deposit_refunded(self) -> None:
        """The deposit of the selected case was refunded (the amount entered)."""
        self._deposit(refund=True)

    def _deposit(self, refund: bool) -> None:
        case = self.selected_case()
        operator = self._operator()
        document = self.document
        if case is None or operator is None or document is None:
            return
        try:
            amount = parse_yuan(self.deposit_amount.text().replace(",", ""))
        except DeskError as error:
            self._message("warning", error.message("en" if self._english else "zh"))
            return
        method = str(self.method.currentData())

        def record() -> None:
            local_id = self.desk.settlements.adopt(case, document)
            if refund:
                self.desk.deposits.refunded(local_id, amount, operator.operator_id)
            else:
                self.desk.deposits.collected(local_id, amount, method, operator.operator_id)

        self.tasks.run_task(record, lambda _: self._deposit_saved(), self._failed)

    def _deposit_saved(self) -> None:
        self._message("success", self.tr("Deposit recorded."))
        self._refresh()

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
        if not self.total.text().strip():
            self._message("warning", self.tr("Enter the total first."))
            self.total.setFocus()
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
        self.last_settlement = settlement_id
        self.receipt_button.setEnabled(True)
        self._message(
            "success",
            self.tr("Settlement recorded; it goes to the platform. Ctrl+P prints the receipt."),
        )
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
        if outcome is FinalOutcome.DEFAULTED and not self._confirmed_default:
            question = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Record a default"),
                self.tr("Record that this customer did not pay? The platform lowers their credit."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )
            question.setDefaultButton(QMessageBox.StandardButton.No)
            question.finished.connect(lambda answer: self._default_answered(answer))
            self.default_question = question
            question.open()
            return
        self._confirmed_default = False
        paid_fen = 0
        if outcome is not FinalOutcome.DEFAULTED:
            paid_fen = case.owed_fen or 0
        self.tasks.run_task(
            lambda: self.desk.settlements.record_outcome(
                settlement_id, outcome, paid_fen, operator.operator_id
            ),
            lambda _: self._saved(settlement_id),
            self._failed,
        )

    def print_receipt(self) -> None:
        """Ctrl+P: the receipt of the settlement just recorded (or its outcome)."""
        operator = self._operator()
        settlement_id = self.last_settlement
        if settlement_id is None or operator is None:
            self._message("warning", self.tr("There is no settlement to print yet."))
            return
        language = "en" if self._english else "zh"

        def papers() -> dict[Layout, Paper]:
            data = self.desk.paper.receipt(settlement_id, operator.operator_id)
            return both_layouts(
                lambda layout: settlement_receipt(data, layout, language), Layout.THERMAL_80
            )

        def show(found: dict[Layout, Paper]) -> None:
            handler = getattr(self.window(), "show_papers", None)
            if handler is not None:
                handler(found)

        self.tasks.run_task(papers, show)

    def _default_answered(self, answer: int) -> None:
        if answer == QMessageBox.StandardButton.Yes:
            self._confirmed_default = True
            self.record_outcome(FinalOutcome.DEFAULTED)

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
        lookup = self._lookup
        self.tasks.run_task(
            lambda: self.desk.settlements.open_cases(document, operator.operator_id),
            lambda cases: self._found(cases, lookup, announce_empty=False),
        )
