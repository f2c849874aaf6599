"""Take the README's screenshots of the desk window (run under xvfb-run with a CJK font).

    xvfb-run -a -s "-screen 0 1366x768x24" \
        .venv/bin/python installer/screenshots.py docs/screenshots

It drives the real window against the embedded training platform, in a scratch data
folder, and saves one PNG per screen; the printed documents go to ``paper/`` beside
them, as PDF (both layouts) and as PNG made by pdftoppm (poppler-utils).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from desk_app.app import open_desk
from desk_app.paper import Layout, decision_slip, settlement_receipt
from desk_app.secrets import MemorySecrets
from desk_app.ui.app import create_application
from desk_app.ui.main_window import MainWindow
from desk_app.ui.printing import write_pdf
from desk_app.ui.report_charts import write_report_pdf


def main() -> None:
    out = Path(sys.argv[1])
    language = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    out.mkdir(parents=True, exist_ok=True)
    app = create_application(sys.argv[:1], language)
    # Keys in memory: the screenshots need no OS keyring.
    desk = open_desk(Path(tempfile.mkdtemp(prefix="desk-shots-")), secrets=MemorySecrets())
    window = MainWindow(desk, language, Path(tempfile.gettempdir()))
    window.resize(1366, 768)
    window.show()
    steps: list[tuple[int, Callable[[], None]]] = []

    def at(ms: int, step: Callable[[], None]) -> None:
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
        box = window.report_screen.month_box
        box.setCurrentIndex(0)  # this month: the one with the training decisions
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
