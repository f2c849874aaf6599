"""The monthly report: figures per item, two charts, export to CSV and PDF, submit.

Any operator can look at and export a month; submitting it to the platform (the
institution's figures) is a supervisor's act.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.app import Desk
from desk_app.domain.money import format_fen
from desk_app.errors import DeskError
from desk_app.services.operators import Operator
from desk_app.services.reports import MonthlyReport, Submission, write_csv
from desk_app.ui.report_charts import chart_view, outcomes_chart, waived_chart, write_report_pdf
from desk_app.ui.tasks import TaskRunner

# The table's figures after the item name; amounts end in _fen.
_FIGURES = (
    "decisions_waive",
    "decisions_collect",
    "decisions_not_required",
    "waived_fen",
    "settlements_on_time",
    "settlements_late",
    "settlements_defaulted",
    "settlements_open",
    "provisional_granted",
    "provisional_confirmed",
    "provisional_refused",
    "provisional_pending",
    "supervised_collected_fen",
    "supervised_refunded_fen",
)


def recent_months(today: dt.date, count: int = 13) -> list[str]:
    """This month and the ``count - 1`` before it, newest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class ReportScreen(QWidget):
    """Choose a month, see its figures and charts, export or submit them."""

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
        self._language = language
        self._english = language == "en"
        self._message = show_message
        self.report: MonthlyReport | None = None

        self.month_box = QComboBox()
        self.month_box.setObjectName("monthBox")
        months = recent_months(desk.ctx.now().date())
        for month in months:
            self.month_box.addItem(month, month)
        self.month_box.setCurrentIndex(1)  # last month: the one to report
        self.show_button = QPushButton(self.tr("Show"))
        self.csv_button = QPushButton(self.tr("Export CSV…"))
        self.pdf_button = QPushButton(self.tr("Export PDF…"))
        self.submit_button = QPushButton(self.tr("Submit to the platform"))
        self.submit_button.setObjectName("submitReport")
        self.state = QLabel()
        self.state.setObjectName("reportState")

        self.table = QTableWidget(0, len(_FIGURES) + 1)
        self.table.setObjectName("reportTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Item"),
                self.tr("Waived"),
                self.tr("Collected"),
                self.tr("No deposit"),
                self.tr("Amount waived"),
                self.tr("On time"),
                self.tr("Late"),
                self.tr("Defaulted"),
                self.tr("Open"),
                self.tr("Provisional"),
                self.tr("Confirmed"),
                self.tr("Refused"),
                self.tr("Pending"),
                self.tr("Deposits in"),
                self.tr("Deposits out"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.charts = QSplitter(Qt.Orientation.Horizontal)
        self.waived_view = chart_view(waived_chart(self._empty(), self._english))
        self.outcomes_view = chart_view(outcomes_chart(self._empty()))
        self.charts.addWidget(self.waived_view)
        self.charts.addWidget(self.outcomes_view)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Month")))
        bar.addWidget(self.month_box)
        for button in (self.show_button, self.csv_button, self.pdf_button, self.submit_button):
            bar.addWidget(button)
        bar.addStretch(1)
        column = QVBoxLayout(self)
        column.addLayout(bar)
        column.addWidget(self.state)
        column.addWidget(self.table, 2)
        column.addWidget(self.charts, 3)

        self.show_button.clicked.connect(self.load)
        self.month_box.activated.connect(lambda _: self.load())
        self.csv_button.clicked.connect(lambda: self._ask_file("csv"))
        self.pdf_button.clicked.connect(lambda: self._ask_file("pdf"))
        self.submit_button.clicked.connect(self.submit)
        self._exports_enabled(False)

    def _empty(self) -> MonthlyReport:
        return MonthlyReport(str(self.month_box.currentData()), self.desk.ctx.counter_id, (), ())

    def _exports_enabled(self, enabled: bool) -> None:
        for button in (self.csv_button, self.pdf_button, self.submit_button):
            button.setEnabled(enabled)
        operator = self._operator()
        month = str(self.month_box.currentData())
        tip = ""
        if operator is None or not operator.is_supervisor:
            tip = self.tr("Only a supervisor submits the report.")
        elif month >= self.desk.ctx.now().strftime("%Y-%m"):
            tip = self.tr("A month is reported once it is over.")
        if tip:
            self.submit_button.setEnabled(False)
        self.submit_button.setToolTip(tip)

    def load(self) -> None:
        """Compute the chosen month's figures (off the GUI thread) and show them."""
        month = str(self.month_box.currentData())
        self._exports_enabled(False)
        self.tasks.run_task(
            lambda: (self.desk.reports.monthly(month), self.desk.reports.submissions(month)),
            lambda result: self.show_report(*result),
        )

    def show_report(self, report: MonthlyReport, submissions: list[tuple[int, str]]) -> None:
        """Fill the table and charts (a late answer for another month is dropped)."""
        if report.month != self.month_box.currentData():
            return
        self.report = report
        names = report.item_names_en if self._english else report.item_names
        rows = (*report.items, report.totals)
        self.table.setRowCount(len(rows))
        for row, figures in enumerate(rows):
            label = names.get(figures.item_code, figures.item_code) or self.tr("Total")
            cells = [label] + [
                format_fen(getattr(figures, name)) if name.endswith("_fen")
                else str(getattr(figures, name))
                for name in _FIGURES
            ]  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if not figures.item_code:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, col, item)
        self.waived_view.setChart(waived_chart(report, self._english))
        self.outcomes_view.setChart(outcomes_chart(report))
        self._show_submissions(report.month, submissions)
        self._exports_enabled(True)

    def _show_submissions(self, month: str, submissions: list[tuple[int, str]]) -> None:
        if not submissions:
            self.state.setText(self.tr("{month}: not submitted yet.").format(month=month))
            return
        states = {
            "pending": self.tr("on its way"),
            "delivered": self.tr("received by the platform"),
            "attention": self.tr("needs attention (see Sync)"),
        }
        text = self.tr("; ").join(
            self.tr("revision {revision}: {state}").format(revision=r, state=states.get(s, s))
            for r, s in submissions
        )
        self.state.setText(self.tr("{month}: {submissions}").format(month=month, submissions=text))

    def refresh_submissions(self) -> None:
        """Where the shown month's revisions stand now (after a sync round)."""
        report = self.report
        if report is None:
            return
        self.tasks.run_task(
            lambda: self.desk.reports.submissions(report.month),
            lambda found: (
                self._show_submissions(report.month, found) if self.report is report else None
            ),
        )

    # -- export ---------------------------------------------------------------------------

    def _ask_file(self, kind: str) -> None:
        if self.report is None:
            return
        dialog = QFileDialog(self, self.tr("Export the report"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        dialog.setNameFilter("CSV (*.csv)" if kind == "csv" else "PDF (*.pdf)")
        dialog.selectFile(f"monthly-report-{self.report.month}.{kind}")
        export = self.export_csv if kind == "csv" else self.export_pdf
        dialog.fileSelected.connect(lambda name: export(Path(name)))
        self.file_dialog = dialog
        dialog.open()

    def export_csv(self, path: Path) -> None:
        """Write the shown month as CSV (off the GUI thread)."""
        report = self.report
        if report is None:
            return
        language = self._language
        self.tasks.run_task(
            lambda: write_csv(report, path, language), lambda _: self._exported(path)
        )

    def export_pdf(self, path: Path) -> None:
        """Write the shown month, with its charts, as a PDF."""
        if self.report is None:
            return
        try:
            write_report_pdf(self.report, path, self._language)
        except DeskError as error:
            self._message("error", error.message("en" if self._english else "zh"))
            return
        self._exported(path)

    def _exported(self, path: Path) -> None:
        self._message("success", self.tr("Saved: {path}").format(path=str(path)))

    # -- submit ---------------------------------------------------------------------------

    def submit(self) -> None:
        """Queue the shown month for the platform; the next sync round delivers it."""
        report = self.report
        operator = self._operator()
        if report is None or operator is None or not operator.is_supervisor:
            return
        self.tasks.run_task(
            lambda: self.desk.reports.submit(report, operator.operator_id),
            self._submitted,
        )

    def _submitted(self, submission: Submission) -> None:
        if submission.queued:
            self._message(
                "success",
                self.tr("Revision {revision} of {month} is on its way to the platform.").format(
                    revision=submission.revision, month=submission.month
                ),
            )
        else:
            self._message(
                "info",
                self.tr("{month} was already submitted with these figures.").format(
                    month=submission.month
                ),
            )
        self.load()
        window = self.window()
        sync = getattr(window, "sync_now", None)
        if sync is not None:
            sync()
