"""The counter screen: scan, choose the item, confirm the commitment, decide.

The scan field keeps the focus: the card reader, a wedge scanner or typing all land
there. Enter moves the flow on, function keys do the main actions (shown on the
buttons), Esc starts a new customer.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.app import Desk
from desk_app.devices.card import CardRead
from desk_app.devices.wedge import MrzLineAssembler, strip_affixes, wrong_layout
from desk_app.domain.model import Decision, Item, ItemPath
from desk_app.domain.money import format_fen, parse_yuan
from desk_app.errors import DeskError
from desk_app.identity import PERSON_KINDS, Document, InvalidDocumentError, identify
from desk_app.paper import Layout, Paper, commitment_letter, decision_slip
from desk_app.services.decisions import DecisionRequest
from desk_app.services.operators import Operator
from desk_app.ui.printing import both_layouts
from desk_app.ui.tasks import TaskRunner
from desk_app.ui.widgets.decision_card import DecisionCard
from desk_app.ui.widgets.document_panel import DocumentPanel
from desk_app.ui.widgets.scan_field import ScanField

# A scanner's second terminator (CR LF) arrives within this many seconds of the first.
TERMINATOR_PAIR_S = 0.15


class CounterScreen(QWidget):
    """Serve one customer after another.

    Args:
        desk: the desk's services.
        tasks: runs core calls off the GUI thread.
        operator: who is signed in (a callable: it changes with sign-ins).
        language: ``zh_CN`` or ``en``.
        show_message: the window's message bar.

    Signals:
        decided(object): a decision was shown (the Decision).
    """

    decided = Signal(object)
    # The message bar's "clear" is an empty info message.

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
        self._customer = 0
        self._in_flight = False
        self._mrz = MrzLineAssembler()
        self._last_submit = 0.0
        self.document: Document | None = None
        self.name: str | None = None  # from the card; a typed number has none
        self.decision: Decision | None = None
        self._items: list[Item] = []

        self.scan_field = ScanField(self)
        self.scan_field.setPlaceholderText(self.tr("Scan the ID card or type the number"))
        self.document_panel = DocumentPanel(language, self)

        self.item_box = QComboBox(self)
        self.item_box.setObjectName("itemBox")
        # Never takes the focus: a scan after picking an item still lands in the scan field.
        self.item_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.amount_field = QLineEdit(self)
        self.amount_field.setObjectName("amountField")
        self.amount_field.setPlaceholderText(self.tr("standard deposit"))
        self.consent = QCheckBox(
            self.tr("F6  Customer authorised the query and signed the commitment")
        )
        self.consent.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.emergency = QCheckBox(self.tr("F7  Emergency admission (treat first)"))
        self.emergency.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.decide_button = QPushButton(self.tr("F5  Decide"))
        self.decide_button.setObjectName("decideButton")
        self.new_button = QPushButton(self.tr("Esc  Next customer"))
        self.letter_button = QPushButton(self.tr("F9  Commitment letter"))
        self.letter_button.setObjectName("letterButton")
        self.slip_button = QPushButton(self.tr("Ctrl+P  Decision slip"))
        self.slip_button.setObjectName("slipButton")
        for button in (self.decide_button, self.new_button, self.letter_button, self.slip_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.card = DecisionCard(language, self)

        who = QGroupBox(self.tr("1  Customer"))
        who_layout = QVBoxLayout(who)
        who_layout.addWidget(QLabel(self.tr("Scan or type the ID number, then Enter")))
        who_layout.addWidget(self.scan_field)
        who_layout.addWidget(self.document_panel, 1)

        what = QGroupBox(self.tr("2  Item and commitment"))
        what_layout = QFormLayout(what)
        what_layout.addRow(self.tr("F8  Item"), self.item_box)
        what_layout.addRow(self.tr("Deposit (yuan)"), self.amount_field)
        what_layout.addRow(self.consent)
        what_layout.addRow(self.emergency)
        buttons = QHBoxLayout()
        buttons.addWidget(self.decide_button)
        buttons.addWidget(self.new_button)
        what_layout.addRow(buttons)
        paper = QHBoxLayout()
        paper.addWidget(self.letter_button)
        paper.addWidget(self.slip_button)
        what_layout.addRow(paper)

        decision = QGroupBox(self.tr("3  Decision"))
        QVBoxLayout(decision).addWidget(self.card)

        grid = QGridLayout(self)
        grid.addWidget(who, 0, 0)
        grid.addWidget(what, 1, 0)
        grid.addWidget(decision, 0, 1, 2, 1)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 6)

        self.scan_field.submitted.connect(self.on_scan)
        self.scan_field.empty_enter.connect(self.on_enter)
        self.decide_button.clicked.connect(self.decide)
        self.new_button.clicked.connect(self.next_customer)
        self.letter_button.clicked.connect(self.print_letter)
        self.slip_button.clicked.connect(self.print_slip)
        self.item_box.currentIndexChanged.connect(self._item_changed)
        self.item_box.activated.connect(lambda _: self.scan_field.setFocus())
        for key, slot in (
            (Qt.Key.Key_F5, self.decide),
            (Qt.Key.Key_F6, self.consent.toggle),
            (Qt.Key.Key_F7, self._toggle_emergency),
            (Qt.Key.Key_F8, lambda: self._step_item(1)),
            (QKeySequence("Shift+F8"), lambda: self._step_item(-1)),
            (Qt.Key.Key_Escape, self.next_customer),
            (Qt.Key.Key_F9, self.print_letter),
            (QKeySequence("Ctrl+P"), self.print_slip),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- items --------------------------------------------------------------------------

    def load_items(self) -> None:
        """Fetch the management list (off the GUI thread) and fill the selector."""

        def fetch() -> list[Item]:
            self.desk.items.refresh()
            return self.desk.items.all()

        self.tasks.run_task(fetch, self._show_items)

    def _show_items(self, items: list[Item]) -> None:
        self._items = items
        current = self.item_box.currentData()
        self.item_box.clear()
        for item in items:
            name = item.name.en if self._english else item.name.zh
            self.item_box.addItem(f"{name}  ({item.code})", item.code)
        index = self.item_box.findData(current)
        self.item_box.setCurrentIndex(max(index, 0))
        if not items:
            self._message(
                "warning",
                self.tr("No management list yet: the desk must reach the platform once."),
            )

    def current_item(self) -> Item | None:
        """The item selected, if any."""
        code = self.item_box.currentData()
        return next((i for i in self._items if i.code == code), None)

    def select_item(self, code: str) -> None:
        """Select an item by code."""
        self.item_box.setCurrentIndex(self.item_box.findData(code))

    def _item_changed(self) -> None:
        item = self.current_item()
        self.emergency.setEnabled(bool(item and item.emergency_path))
        if not self.emergency.isEnabled():
            self.emergency.setChecked(False)
        if item is not None:
            self.amount_field.setPlaceholderText(format_fen(item.standard_deposit_fen, False))
        needs_commitment = item is not None and item.path is ItemPath.CREDIT
        self.consent.setEnabled(needs_commitment)

    def _step_item(self, step: int) -> None:
        """F8 / Shift+F8: the next or previous item, without leaving the scan field."""
        count = self.item_box.count()
        if count:
            self.item_box.setCurrentIndex((self.item_box.currentIndex() + step) % count)
        self.scan_field.setFocus()

    def _toggle_emergency(self) -> None:
        if self.emergency.isEnabled():
            self.emergency.toggle()

    # -- the flow -----------------------------------------------------------------------

    def on_scan(self, text: str) -> None:
        """A scan (or typed number) arrived: a new customer."""
        self._last_submit = time.monotonic()
        settings = self.desk.settings
        text = strip_affixes(text, settings.scanner_prefix, settings.scanner_suffix)
        for whole in self._mrz.feed(text):
            self._read(whole)
        if self._mrz.pending_lines:
            self.document_panel.show_waiting_for_mrz_line(self._mrz.pending_lines)
        self.scan_field.setFocus()

    def _clear_message(self) -> None:
        self._message("clear", "")

    def _new_customer(self) -> None:
        """Whatever is still on its way belongs to the customer before."""
        self._customer += 1
        self._in_flight = False
        self.decide_button.setEnabled(True)

    def _read(self, text: str) -> None:
        today = self.desk.ctx.now().date()
        self._new_customer()
        self._clear_message()
        self.decision = None
        self.card.clear()
        self.consent.setChecked(False)
        self.emergency.setChecked(False)
        self.name = None
        try:
            self.document = identify(text, kinds=PERSON_KINDS, today=today)
        except InvalidDocumentError as error:
            self.document = None
            self.document_panel.show_error(error)
            layout = wrong_layout(text)
            if layout is not None:
                self.document_panel.show_wrong_layout(layout)
            return
        self.document_panel.show_document(self.document, today)

    def on_card(self, card: CardRead) -> None:
        """The card reader read a card: a new customer, exactly as a scan."""
        self._new_customer()
        self._clear_message()
        self._mrz.reset()
        self.decision = None
        self.card.clear()
        self.consent.setChecked(False)
        self.emergency.setChecked(False)
        self.document = card.document
        self.name = card.name
        self.document_panel.show_document(card.document, self.desk.ctx.now().date(), card.name)
        self.scan_field.setFocus()

    def on_enter(self) -> None:
        """Enter on an empty scan field moves the flow on: decide."""
        if time.monotonic() - self._last_submit < TERMINATOR_PAIR_S:
            return  # the scanner's second terminator, not the clerk
        if self.document is not None and self.decision is None:
            self.decide()

    def decide(self) -> None:
        """Ask for the decision (off the GUI thread) and show it on the card.

        One decision per customer and item: F5 while one is on its way, or again for the
        same item, does nothing but say so.
        """
        operator = self._operator()
        item = self.current_item()
        if self._in_flight:
            return
        if self.document is None or operator is None:
            if self.document_panel.property("state") == "invalid":
                self._message("warning", self.tr("The number is not valid: scan it again."))
            else:
                self._message("warning", self.tr("Scan the customer's document first."))
            return
        if self.decision is not None and item is not None and self.decision.item_code == item.code:
            self._message(
                "info", self.tr("This customer has a decision; Esc for the next customer.")
            )
            return
        if item is None:
            self._message("warning", self.tr("Choose the item first."))
            return
        emergency = self.emergency.isChecked()
        if item.path is ItemPath.CREDIT and not self.consent.isChecked() and not emergency:
            self._message(
                "warning",
                self.tr(
                    "The customer must authorise the query and sign the commitment first (F6)."
                ),
            )
            return
        amount_text = self.amount_field.text().strip()
        try:
            amount = parse_yuan(amount_text) if amount_text else None
        except DeskError as error:
            self._message("error", error.message("en" if self._english else "zh"))
            return
        request = DecisionRequest(
            document=self.document,
            item_code=item.code,
            operator_id=operator.operator_id,
            amount_fen=amount,
            commitment_signed_at=self.desk.ctx.now() if self.consent.isChecked() else None,
            emergency=emergency,
        )
        self.decide_button.setEnabled(False)
        self._in_flight = True
        self._clear_message()
        self.card.show_busy()
        customer = self._customer
        self.tasks.run_task(
            lambda: self.desk.decisions.decide(request),
            lambda decision: self._show_decision(decision, customer),
            lambda error: self._failed(error, customer),
        )

    def _show_decision(self, decision: Decision, customer: int) -> None:
        if customer != self._customer:
            # The clerk moved on: the answer is recorded (an open case), never shown
            # under the next customer's document.
            return
        self._in_flight = False
        self.decide_button.setEnabled(True)
        self.decision = decision
        self.card.show_decision(decision, self.desk.ctx.now())
        self.decided.emit(decision)
        self.scan_field.setFocus()

    def _failed(self, error: BaseException, customer: int) -> None:
        if customer != self._customer:
            return
        self._in_flight = False
        self.decide_button.setEnabled(True)
        self.card.clear()
        window = self.window()
        handler = getattr(window, "on_error", None)
        if handler is not None:
            handler(error)
        self.scan_field.setFocus()

    def next_customer(self) -> None:
        """Esc: clear everything for the next customer."""
        self._new_customer()
        self._clear_message()
        self._mrz.reset()
        self.document = None
        self.name = None
        self.decision = None
        self.scan_field.clear()
        self.amount_field.clear()
        self.consent.setChecked(False)
        self.emergency.setChecked(False)
        self.document_panel.show_idle()
        self.card.clear()
        self.scan_field.setFocus()

    # -- paper ----------------------------------------------------------------------------

    def _paper_language(self) -> str:
        return "en" if self._english else "zh"

    def print_letter(self) -> None:
        """F9: the credit commitment letter, before the decision or with it."""
        operator = self._operator()
        item = self.current_item()
        document = self.document
        if document is None or operator is None:
            self._message("warning", self.tr("Scan the customer's document first."))
            return
        if item is None or item.path is not ItemPath.CREDIT:
            self._message("warning", self.tr("Only a credit item has a commitment letter."))
            return
        name, language = self.name, self._paper_language()
        decision = self.decision if self.decision and self.decision.item_code == item.code else None

        def papers() -> dict[Layout, Paper]:
            data = self.desk.paper.commitment(document, item, operator.operator_id, name, decision)
            return both_layouts(lambda layout: commitment_letter(data, layout, language), Layout.A4)

        self.tasks.run_task(papers, self._show_papers)

    def print_slip(self) -> None:
        """Ctrl+P: the decision slip of the decision on the card."""
        operator = self._operator()
        decision = self.decision
        if decision is None or operator is None:
            self._message("warning", self.tr("There is no decision to print yet."))
            return
        language = self._paper_language()

        def papers() -> dict[Layout, Paper]:
            data = self.desk.paper.slip(decision.local_id, operator.operator_id)
            return both_layouts(
                lambda layout: decision_slip(data, layout, language), Layout.THERMAL_80
            )

        self.tasks.run_task(papers, self._show_papers)

    def _show_papers(self, papers: dict[Layout, Paper]) -> None:
        show = getattr(self.window(), "show_papers", None)
        if show is not None:
            show(papers)
