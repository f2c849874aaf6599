"""Paper from the real window: letters, slips, receipts, reprints; the report screen.

Each document is written to PDF through the preview dialog and read back with
``pdftotext``, so what is checked is what the customer takes home.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCharts import QHorizontalBarSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextLayout
from pytestqt.qtbot import QtBot

from desk_app.domain.model import Text
from desk_app.paper import Layout, commitment_letter
from desk_app.paper.sources import CommitmentData, Heading
from desk_app.training_platform.server import EmbeddedPlatform
from desk_app.ui.main_window import MainWindow
from desk_app.ui.printing import FONT_FAMILIES, PaperDialog, write_pdf
from desk_app.ui.report_charts import nice_step
from tests.ui.conftest import WAIT_MS, WindowFactory, scan, sign_in_as
from tests.ui.test_cases_window import cell_text, find_cases
from tests.ui.test_counter_window import AT_1000, decide

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
RARE_SURNAME = "\U00020bb7"  # 𠮷, CJK Extension B: outside the Basic Multilingual Plane


def pdf_text(path: Path) -> str:
    """The PDF's text with line breaks removed (a phrase may wrap at any character)."""
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout.replace("\n", "")


def pdf_fonts(path: Path) -> str:
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


def opened_paper(qtbot: QtBot, window: MainWindow) -> PaperDialog:
    qtbot.waitUntil(
        lambda: window.paper_dialog is not None and window.paper_dialog.isVisible(),
        timeout=WAIT_MS,
    )
    dialog = window.paper_dialog
    assert dialog is not None
    return dialog


def saved(qtbot: QtBot, dialog: PaperDialog, path: Path) -> str:
    """Save the previewed paper as PDF, close the preview, and read the PDF back."""
    dialog.save_pdf(path)
    assert path.exists(), dialog.status.text()
    text = pdf_text(path)
    window = dialog.parentWidget()
    assert window is not None
    dialog.close()
    # The window takes the keys again, with the focus where the clerk was.
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    return text


def test_commitment_letter_before_the_decision_and_slip_after_it(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    counter = window.counter
    scan(qtbot, window, AT_1000)
    counter.select_item("BZ-CR-01")
    qtbot.keyClick(counter.scan_field, Qt.Key.Key_F9)
    dialog = opened_paper(qtbot, window)
    assert dialog.layout_choice is Layout.A4
    # Found by a new user's trial: 820 px high, its buttons fell off a 768 px screen.
    room = dialog.screen().availableGeometry()
    assert dialog.height() <= room.height() - 80
    assert dialog.width() <= room.width()
    letter = saved(qtbot, dialog, tmp_path / "letter.pdf")
    assert "信用承诺书" in letter
    assert "3716**********5150" in letter
    assert AT_1000 not in letter
    assert "信易医住院押金" in letter
    assert "滨州市第一人民医院（培训）" in letter
    assert "（15 天）" in letter
    assert "决定作出后生成" in letter
    assert "承诺人签名" in letter
    assert "Identity-H" in pdf_fonts(tmp_path / "letter.pdf")  # embedded CID fonts: text

    window.paper_dialog = None
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    decision = counter.decision
    assert decision is not None
    assert decision.decision_id
    qtbot.keyClick(counter.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = opened_paper(qtbot, window)
    assert dialog.layout_choice is Layout.THERMAL_80
    slip = saved(qtbot, dialog, tmp_path / "slip.pdf")
    assert "免押决定单" in slip
    assert decision.decision_id in slip
    assert "免收押金" in slip
    assert "¥5,000.00" in slip
    assert "¥0.00" in slip  # to collect
    assert "培训柜员（1001）" in slip
    width_pt = float(
        subprocess.run(["pdfinfo", str(tmp_path / "slip.pdf")], capture_output=True,
                       text=True, check=True).stdout.split("Page size:")[1].split()[0]
    )  # fmt: skip
    assert round(width_pt / 72 * 25.4) == 80

    # The letter printed with the decision carries its id; A4 also for it.
    window.paper_dialog = None
    qtbot.keyClick(counter.scan_field, Qt.Key.Key_F9)
    dialog = opened_paper(qtbot, window)
    assert decision.decision_id in saved(qtbot, dialog, tmp_path / "letter-2.pdf")


def test_a_letter_needs_a_customer_and_a_credit_item(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    counter = window.counter
    qtbot.keyClick(counter.scan_field, Qt.Key.Key_F9)
    assert "请先扫描" in window.message_bar.text()
    scan(qtbot, window, AT_1000)
    counter.select_item("BZ-CA-01")
    qtbot.keyClick(counter.scan_field, Qt.Key.Key_F9)
    assert "信用类事项" in window.message_bar.text()
    qtbot.keyClick(counter.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "还没有可打印的决定" in window.message_bar.text()
    assert window.paper_dialog is None


def test_receipt_after_settlement_and_reprint_offline(
    qtbot: QtBot, make_window: WindowFactory, platform: EmbeddedPlatform, tmp_path: Path
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    find_cases(qtbot, window, AT_1000, rows=1)
    cases = window.cases
    cases.total.setText("12345.00")
    cases.insurance.setText("8641.50")
    cases.paid.setText("1000.00")
    cases.due_later.setChecked(True)
    qtbot.keyClick(cases.scan_field, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: cases.receipt_button.isEnabled(), timeout=WAIT_MS)
    assert "Ctrl+P" in window.message_bar.text()
    qtbot.keyClick(cases.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    receipt = saved(qtbot, opened_paper(qtbot, window), tmp_path / "receipt.pdf")
    for expected in ("结算回执", "¥12,345.00", "¥8,641.50", "¥3,703.50", "¥1,000.00",
                     "¥2,703.50", "到期再付", "现金", "3716**********5150"):  # fmt: skip
        assert expected in receipt, expected
    due = (window.desk.ctx.now().date() + dt.timedelta(days=15)).isoformat()
    assert due in receipt
    assert "补打" not in receipt

    # The platform is gone: the last paper is reprinted from the desk's own records.
    platform.knobs.outage = True
    window.paper_dialog = None
    qtbot.keyClick(cases.scan_field, Qt.Key.Key_P, CTRL_SHIFT)
    reprint = saved(qtbot, opened_paper(qtbot, window), tmp_path / "reprint.pdf")
    assert "【补打】" in reprint
    assert "¥2,703.50" in reprint


def test_reprint_with_nothing_recorded_says_so(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_P, CTRL_SHIFT)
    qtbot.waitUntil(lambda: "还没有可重打" in window.message_bar.text(), timeout=WAIT_MS)


def test_a_pdf_that_cannot_be_written_is_a_clear_message(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    window.counter.select_item("BZ-CR-01")
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F9)
    dialog = opened_paper(qtbot, window)
    dialog.save_pdf(tmp_path / "missing-folder" / "letter.pdf")
    assert "missing-folder：文件夹不存在" in dialog.status.text()
    assert not list(tmp_path.rglob("*.partial"))


@pytest.mark.parametrize("layout", list(Layout))
def test_rare_characters_currency_and_full_width_punctuation_print(
    qtbot: QtBot, tmp_path: Path, layout: Layout
) -> None:
    heading = Heading(Text("滨州市第一人民医院（培训）", ""), "C-1", "1001", "培训柜员",
                      dt.datetime(2026, 12, 3, 9, 30))  # fmt: skip
    data = CommitmentData(heading, "3716**********5150", f"{RARE_SURNAME}野　张三", "BZ-CR-01",
                          Text("信易医住院押金", ""), 15, "D-1")  # fmt: skip
    path = tmp_path / "letter.pdf"
    write_pdf(commitment_letter(data, layout), path)
    text = pdf_text(path)
    assert re.search("野[ \u3000]张三", text)  # the full-width space (read back as a space)
    assert "“信易医住院押金”" in text  # full-width quotation marks
    assert "（15 天）" in text
    # The rare character is drawn from a font that has it, never as an empty box.
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    line = QTextLayout(RARE_SURNAME, font)
    line.beginLayout()
    line.createLine()
    line.endLayout()
    runs = line.glyphRuns()
    assert runs
    assert all(0 not in run.glyphIndexes() for run in runs)
    embedded = pdf_fonts(path)
    assert any(run.rawFont().familyName() in embedded.replace(" ", "") or
               run.rawFont().familyName().replace(" ", "") in embedded for run in runs)  # fmt: skip


def test_the_report_screen_shows_exports_and_submits(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    # A clerk sees and exports the month, but does not submit it.
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F11)
    screen = window.report_screen
    assert window.stack.currentWidget() is screen
    this_month = window.desk.ctx.now().strftime("%Y-%m")
    screen.month_box.setCurrentIndex(screen.month_box.findData(this_month))
    screen.load()
    qtbot.waitUntil(lambda: screen.table.rowCount() == 2, timeout=WAIT_MS)  # item, total
    assert cell_text(screen.table, 0, 0) == "信易医住院押金"
    assert cell_text(screen.table, 0, 1) == "1"
    assert cell_text(screen.table, 0, 4) == "¥5,000.00"
    assert cell_text(screen.table, 1, 0) == "合计"
    model = screen.table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    # Provisional waivers with their outcome, as in the CSV and the PDF.
    assert headers[9:13] == ["临时免押", "已确认", "被拒", "待核验"]
    assert not screen.submit_button.isEnabled()
    series = screen.waived_view.chart().series()[0]
    assert isinstance(series, QHorizontalBarSeries)
    assert series.barSets()[0].at(0) == 5000  # whole yuan
    screen.export_csv(tmp_path / "month.csv")
    qtbot.waitUntil(lambda: (tmp_path / "month.csv").exists(), timeout=WAIT_MS)
    rows = list(csv.reader(io.StringIO((tmp_path / "month.csv").read_text("utf-8-sig"))))
    assert rows[0][:3] == ["月份", "事项代码", "事项名称"]
    assert rows[1][:4] == [this_month, "BZ-CR-01", "信易医住院押金", "1"]
    screen.export_pdf(tmp_path / "month.pdf")
    text = pdf_text(tmp_path / "month.pdf")
    assert f"{this_month} 免押月报" in text
    assert "¥5,000.00" in text
    # A supervisor may submit, but not a month that is not over.
    window.sign_out()
    sign_in_as(qtbot, window, "9001", "9999")
    window.open_report()
    screen.month_box.setCurrentIndex(screen.month_box.findData(this_month))
    screen.load()
    qtbot.waitUntil(screen.csv_button.isEnabled, timeout=WAIT_MS)
    assert not screen.submit_button.isEnabled()
    assert "结束后" in screen.submit_button.toolTip()
    screen.submit()  # the service refuses it as well
    qtbot.waitUntil(lambda: "已经结束的月份" in window.message_bar.text(), timeout=WAIT_MS)
    # Last month: submitted, and the line follows the sync round to "received".
    screen.month_box.setCurrentIndex(1)
    screen.load()
    qtbot.waitUntil(screen.submit_button.isEnabled, timeout=WAIT_MS)
    assert "尚未上报" in screen.state.text()
    screen.submit()
    qtbot.waitUntil(lambda: "第 1 版：平台已接收" in screen.state.text(), timeout=WAIT_MS)


def test_english_paper_speaks_english(qtbot: QtBot, tmp_path: Path) -> None:
    heading = Heading(Text("医院", "Hospital"), "C-1", "1001", "Clerk", dt.datetime(2026, 12, 3))
    data = CommitmentData(heading, "3716**********5150", None, "BZ-CR-01",
                          Text("信易医住院押金", "Credit admission"), 15, None)  # fmt: skip
    path = tmp_path / "letter.pdf"
    write_pdf(commitment_letter(data, Layout.A4, "en"), path)
    text = pdf_text(path)
    assert "Credit commitment letter" in text
    assert "Clerk (1001)" in text
    assert "（" not in text
    assert "＿" not in text


def test_chart_ticks_are_round_whole_numbers() -> None:
    assert [nice_step(p) for p in (0, 5, 6, 11, 16_234, 100_000)] == [1, 1, 2, 5, 5_000, 20_000]
