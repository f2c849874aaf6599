"""Take the README's screenshots of the desk window (run under xvfb-run with a CJK font).

    xvfb-run -a -s "-screen 0 1366x768x24" \
        .venv/bin/python installer/screenshots.py docs/screenshots

It drives the real window against the embedded training platform, in a scratch data
folder, and saves one PNG per screen; the printed documents go to ``paper/`` beside
them, as PDF (both layouts) and as PNG made by pdftoppm (poppler-utils). Last month is
filled first through the desk's services (the clocks of desk and platform moved back),
so the monthly report has a month of figures to show.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from desk_app.app import Desk, open_desk
from desk_app.identity import PERSON_KINDS, DocumentKind, identify
from desk_app.paper import Layout, decision_slip, settlement_receipt
from desk_app.secrets import MemorySecrets
from desk_app.services.context import china_now
from desk_app.services.decisions import DecisionRequest
from desk_app.services.settlements import FinalOutcome, SettlementRequest, SettlementStatus
from desk_app.training_platform.residents import generate
from desk_app.ui.app import create_application
from desk_app.ui.main_window import MainWindow
from desk_app.ui.printing import write_pdf
from desk_app.ui.report_charts import write_report_pdf


class Clock:
    """The desk's clock, moved back to fill last month (the platform's moves with it)."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return china_now() + self.offset


def fill_last_month(desk: Desk, clock: Clock) -> None:
    """A month of a hospital counter through the real services, for the report screenshot.

    Residents the other screenshots do not use: admissions waived on credit and settled at
    discharge (now, or later: paid on time, late, or defaulted), some below the threshold,
    cancelled-deposit admissions, and supervised deposits collected and refunded.
    """
    platform = desk.embedded_platform
    assert platform is not None
    first = china_now().replace(day=1, hour=10, minute=0, second=0, microsecond=0)
    start = (first - dt.timedelta(days=1)).replace(day=1)
    people = [
        r for r in generate()
        if r.kind is DocumentKind.RESIDENT_ID and r.unpaid_due_in_days is None
    ]  # fmt: skip
    # Credit medical care waives at 1000 points: who is above, and who is below.
    high = [r.number for r in people if r.score >= 1000]
    low = [r.number for r in people if r.score < 1000]

    def at(day: int, hour: int = 10) -> None:
        clock.offset = start.replace(day=day, hour=hour) - china_now()
        platform.knobs.clock_offset_seconds = int(clock.offset.total_seconds())

    def decide(number: str, item: str) -> str:
        document = identify(number, kinds=PERSON_KINDS, today=clock().date())
        return desk.decisions.decide(
            DecisionRequest(document, item, "1001", commitment_signed_at=clock())
        ).local_id

    def settle(local_id: str, total: int, deferred: bool) -> tuple[str, int]:
        """Settle; the settlement's id and what is owed (the self-pay share if deferred)."""
        self_pay = total * 3 // 10
        settlement_id = desk.settlements.settle(
            SettlementRequest(
                local_id=local_id,
                status=SettlementStatus.DEFERRED if deferred else SettlementStatus.SETTLED,
                total_fen=total,
                insurance_fen=total - self_pay,
                self_pay_fen=self_pay,
                paid_fen=0 if deferred else self_pay,
                method="none" if deferred else "bank_card",
                operator_id="1001",
                due_date=clock().date() + dt.timedelta(days=5) if deferred else None,
            )
        )
        return settlement_id, self_pay if deferred else 0

    deferred: list[tuple[str, int, int, FinalOutcome]] = []
    outcomes = (
        FinalOutcome.PAID,
        FinalOutcome.PAID_LATE,
        FinalOutcome.PAID,
        FinalOutcome.DEFAULTED,
    )
    for n, day in enumerate(range(2, 25, 2)):
        at(day)
        total = 380_000 + 25_000 * n
        settle(decide(high[n], "BZ-CR-01"), total, deferred=False)
        if n % 3 == 0:
            settlement_id, owed = settle(decide(high[12 + n // 3], "BZ-CR-01"), total // 2, True)
            deferred.append((settlement_id, owed, day, outcomes[len(deferred) % len(outcomes)]))
        decide(low[n], "BZ-CR-01")
        settle(decide(low[20 + n], "BZ-CA-01"), 120_000 + 5_000 * n, deferred=False)
        if n % 4 == 1:
            case = decide(low[40 + n], "BZ-SV-01")
            desk.deposits.collected(case, 50_000, "cash", "1001")
            at(day + 3)
            desk.deposits.refunded(case, 50_000, "1001")
    for settlement_id, owed, day, outcome in deferred:
        # Due five days after: paid within them, paid four days late, or defaulted after.
        at(day + (9 if outcome is not FinalOutcome.PAID else 4))
        paid = 0 if outcome is FinalOutcome.DEFAULTED else owed
        desk.settlements.record_outcome(settlement_id, outcome, paid, "1001")
    desk.outbox.deliver_due()
    clock.offset = dt.timedelta()
    platform.knobs.clock_offset_seconds = 0


def main() -> None:
    out = Path(sys.argv[1])
    language = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    out.mkdir(parents=True, exist_ok=True)
    app = create_application(sys.argv[:1], language)
    # Keys in memory: the screenshots need no OS keyring.
    clock = Clock()
    desk = open_desk(
        Path(tempfile.mkdtemp(prefix="desk-shots-")), secrets=MemorySecrets(), now=clock
    )
    desk.items.refresh()
    fill_last_month(desk, clock)
    window = MainWindow(desk, language, Path(tempfile.gettempdir()))
    window.resize(1366, 768)
    window.show()
    steps: list[tuple[int, Callable[[], object]]] = []

    def at(ms: int, step: Callable[[], object]) -> None:
        steps.append((ms, step))

    def shot(name: str) -> None:
        window.grab().save(str(out / f"{name}.png"))

    def scan(text: str) -> None:
        window.counter.scan_field.setText(text)
        QTest.keyClick(window.counter.scan_field, Qt.Key.Key_Return)

    def sign_in() -> None:
        shot("sign-in")
        window.sign_in.operator_field.setText("1001")
        window.sign_in.pin_field.setText("1234")
        window.sign_in.submit()

    def decide(number: str, item: str) -> Callable[[], None]:
        def run() -> None:
            window.counter.next_customer()
            scan(number)
            window.counter.select_item(item)
            window.counter.consent.setChecked(True)
            window.counter.decide()

        return run

    def cases() -> None:
        window.show_screen(window.cases)
        window.cases.scan_field.setText("371602198601115150")
        QTest.keyClick(window.cases.scan_field, Qt.Key.Key_Return)

    def fill() -> None:
        window.cases.total.setText("12345.00")
        window.cases.insurance.setText("8641.50")
        window.cases.paid.setText("1000.00")
        window.cases.due_later.setChecked(True)

    paper = out / "paper"
    paper.mkdir(exist_ok=True)

    def letter() -> None:
        window.counter.next_customer()
        scan("371602198601115150")
        window.counter.select_item("BZ-CR-01")
        window.counter.print_letter()

    def letter_shot() -> None:
        dialog = window.paper_dialog
        assert dialog is not None
        dialog.grab().save(str(out / "paper-preview.png"))
        for layout, made in dialog.papers.items():
            write_pdf(made, paper / f"commitment-letter-{layout}.pdf")
        dialog.close()

    def slip() -> None:
        decision = window.counter.decision
        assert decision is not None
        data = desk.paper.slip(decision.local_id, "1001")
        for layout in Layout:
            write_pdf(decision_slip(data, layout), paper / f"decision-slip-{layout}.pdf")

    def receipt() -> None:
        settlement_id = window.cases.last_settlement
        assert settlement_id is not None
        data = desk.paper.receipt(settlement_id, "1001")
        for layout in Layout:
            write_pdf(settlement_receipt(data, layout), paper / f"settlement-receipt-{layout}.pdf")

    def report() -> None:
        window.open_report()
        window.report_screen.month_box.setCurrentIndex(1)  # last month, as it opens
        window.report_screen.load()

    def report_shot() -> None:
        shot("monthly-report")
        assert window.report_screen.report is not None
        write_report_pdf(window.report_screen.report, paper / "monthly-report.pdf", language)

    at(1500, sign_in)
    at(3500, decide("371602198601115150", "BZ-CR-01"))
    at(5500, lambda: shot("counter-waive"))
    at(5550, slip)
    at(5600, decide("11010219840406970X", "BZ-CR-01"))
    at(7600, lambda: shot("counter-collect"))
    at(7700, cases)
    at(9000, fill)
    at(9500, lambda: shot("open-cases-settlement"))
    at(9600, window.cases.save_settlement)
    at(10600, receipt)
    at(10700, lambda: window.show_screen(window.sync_screen))
    at(11700, lambda: shot("sync-and-alerts"))
    at(11800, report)
    at(13000, report_shot)
    at(13100, lambda: window.show_screen(window.counter))
    at(13200, letter)
    at(14500, letter_shot)
    at(14700, window.close)
    at(14800, app.quit)
    for ms, step in steps:
        QTimer.singleShot(ms, step)
    app.exec()
    desk.close()
    for pdf in sorted(paper.glob("*.pdf")):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
            check=True,
        )


if __name__ == "__main__":
    main()
