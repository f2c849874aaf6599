"""Open cases and settlement through the real window, across two desk instances."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from desk_app.training_platform.server import EmbeddedPlatform
from desk_app.ui.main_window import MainWindow
from tests.ui.conftest import WAIT_MS, WindowFactory, scan, type_text
from tests.ui.test_counter_window import AT_1000, decide


def find_cases(qtbot: QtBot, window: MainWindow, number: str, rows: int) -> None:
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F3)
    assert window.stack.currentWidget() is window.cases
    type_text(qtbot, window.cases.scan_field, number)
    qtbot.keyClick(window.cases.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.cases.table.rowCount() == rows, timeout=WAIT_MS)


def cell_text(table: QTableWidget, row: int, column: int) -> str | None:
    item = table.item(row, column)
    return None if item is None else item.text()


def platform_rows(platform: EmbeddedPlatform, sql: str) -> list[dict[str, object]]:
    return [dict(r) for r in platform.app.state.service.db.read_all(sql)]


def delivered(
    qtbot: QtBot, window: MainWindow, platform: EmbeddedPlatform, sql: str
) -> list[dict[str, object]]:
    """Sync the window until the platform holds what ``sql`` selects."""

    def arrived() -> bool:
        window.sync_now()  # a no-op while a round is running
        return bool(platform_rows(platform, sql))

    qtbot.waitUntil(arrived, timeout=WAIT_MS)
    return platform_rows(platform, sql)


def test_settle_now_at_the_counter(
    qtbot: QtBot, make_window: WindowFactory, platform: EmbeddedPlatform
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    find_cases(qtbot, window, AT_1000, rows=1)
    cases = window.cases
    cases.total.setText("12345.00")
    cases.insurance.setText("8641.50")
    assert cases.self_pay.text() == "¥3,703.50"
    assert cases.paid.text() == "3703.50"
    qtbot.keyClick(cases.scan_field, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: cases.table.rowCount() == 0, timeout=WAIT_MS)
    assert "结算已保存" in window.message_bar.text()
    settled = delivered(
        qtbot, window, platform,
        "SELECT answer_json FROM settlements WHERE status = 'settled'"
        " AND answer_json NOT LIKE '%SEED%'",
    )  # fmt: skip
    assert len(settled) == 1
    assert '"self_pay_fen": 370350' in str(settled[0]["answer_json"])


def test_due_later_then_paid_late(
    qtbot: QtBot, make_window: WindowFactory, platform: EmbeddedPlatform
) -> None:
    window = make_window(institution="training-hotel")
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-CR-02") == "waive"
    find_cases(qtbot, window, AT_1000, rows=1)
    cases = window.cases
    cases.total.setText("588.00")
    cases.paid.setText("0")
    cases.method.setCurrentIndex(cases.method.findData("none"))
    cases.due_later.setChecked(True)
    assert cases.due_date.isEnabled()
    cases.save.click()
    qtbot.waitUntil(
        lambda: cases.table.rowCount() == 1 and "到期" in (cell_text(cases.table, 0, 5) or ""),
        timeout=WAIT_MS,
    )
    cases.table.selectRow(0)
    assert cases.paid_button.isEnabled()
    assert not cases.save.isEnabled()
    assert "¥588.00" in (cell_text(cases.table, 0, 5) or "")
    cases.default_button.click()
    question = cases.default_question
    assert question is not None
    question.done(QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: cases.table.rowCount() == 0, timeout=WAIT_MS)
    updates = delivered(qtbot, window, platform, "SELECT answer_json FROM settlement_updates")
    assert len(updates) == 1
    assert '"defaulted"' in str(updates[0]["answer_json"])


def test_a_case_opened_at_one_desk_is_settled_at_another(
    qtbot: QtBot, make_window: WindowFactory, platform: EmbeddedPlatform
) -> None:
    admission = make_window("admission")
    scan(qtbot, admission, AT_1000)
    assert decide(qtbot, admission, "BZ-CR-01") == "waive"
    discharge = make_window("discharge")
    find_cases(qtbot, discharge, AT_1000, rows=1)
    counter_cell = discharge.cases.table.item(0, 4)
    assert counter_cell is not None
    assert counter_cell.text() == "ADMISSION"
    discharge.cases.total.setText("100.00")
    discharge.cases.save.click()
    qtbot.waitUntil(lambda: discharge.cases.table.rowCount() == 0, timeout=WAIT_MS)
    rows = delivered(
        qtbot, discharge, platform,
        "SELECT settlement_id FROM settlements WHERE answer_json LIKE '%\"DISCHARGE\"%'",
    )  # fmt: skip
    assert len(rows) == 1


def test_a_bad_amount_is_explained(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    find_cases(qtbot, window, AT_1000, rows=1)
    window.cases.total.setText("2.985")
    window.cases.save.click()
    assert "两位小数" in window.message_bar.text()
    assert window.cases.table.rowCount() == 1


def test_a_new_scan_clears_the_person_before_at_once(
    qtbot: QtBot, make_window: WindowFactory, platform: EmbeddedPlatform
) -> None:
    """Nothing of the person before may be settled under the next person's name."""
    window = make_window()
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    find_cases(qtbot, window, AT_1000, rows=1)
    cases = window.cases
    platform.knobs.latency_ms = 500  # the next search takes a while
    type_text(qtbot, cases.scan_field, "11010219840406970X")
    qtbot.keyClick(cases.scan_field, Qt.Key.Key_Return)
    assert "1101**********970X" in cases.who.text()
    assert cases.table.rowCount() == 0
    assert cases.selected_case() is None
    assert not cases.save.isEnabled()
    qtbot.waitUntil(lambda: "没有未结" in window.message_bar.text(), timeout=WAIT_MS)
    assert cases.table.rowCount() == 0
