"""The desk window with real widgets (offscreen): scan, see the document, next scan."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desk_app.ui.main_window import MainWindow

NUMBER = "371602198601115150"


def make_window(qtbot: QtBot) -> MainWindow:
    window = MainWindow("zh_CN", training=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def scan(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.keyClicks(window.scan_field, text)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)


def type_via_input_method(window: MainWindow, text: str) -> None:
    """Non-ASCII text as a Chinese IME delivers it (keyClicks would abort Qt)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(window.scan_field, event)


def test_the_window_speaks_chinese_and_marks_training(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    assert window.windowTitle() == "免押金服务台"
    assert window.training_banner.isVisible()
    assert "培训模式" in window.training_banner.text()


def test_a_scan_shows_the_document_masked(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    scan(qtbot, window, NUMBER + "\r")
    panel = window.document_panel
    assert "3716**********5150" in panel.headline.text()
    shown = panel.headline.text() + panel.detail.text()
    assert NUMBER not in shown
    assert "男" in panel.detail.text()
    assert "山东省滨州市滨城区" in panel.detail.text()
    assert panel.property("state") == "valid"
    assert window.scan_field.text() == ""
    assert window.focusWidget() is window.scan_field


def test_a_bad_scan_explains_and_leaves_the_field_ready(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    scan(qtbot, window, "36042619910102009X")
    panel = window.document_panel
    assert panel.property("state") == "invalid"
    assert "第 18 位校验码应为 3" in panel.detail.text()
    assert window.scan_field.text() == ""
    scan(qtbot, window, NUMBER)
    assert panel.property("state") == "valid"


def test_full_width_input_from_a_chinese_ime(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    type_via_input_method(window, "３７１６０２１９８６０１１１５１５０")
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    assert "3716**********5150" in window.document_panel.headline.text()


def test_an_incomplete_scan_says_so(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    scan(qtbot, window, NUMBER[:17])
    assert "扫描不完整" in window.document_panel.detail.text()


def test_a_huge_paste_is_cut_and_refused(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    window.scan_field.insert("1" * 100_000)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    assert "输入太长" in window.document_panel.detail.text()


def test_english_is_available(qtbot: QtBot) -> None:
    window = MainWindow("en", training=True)
    qtbot.addWidget(window)
    scan(qtbot, window, "36042619910102009X")
    assert "Check character 18 should be 3" in window.document_panel.detail.text()


def test_a_doubled_terminator_is_one_scan(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    scan(qtbot, window, NUMBER)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Enter)
    assert window.document_panel.property("state") == "valid"


TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


def test_a_passport_reader_typing_line_by_line_is_one_scan(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    scan(qtbot, window, TD3[0])
    assert "第 1 行" in window.document_panel.detail.text()
    scan(qtbot, window, TD3[1])
    panel = window.document_panel
    assert "L8*****C3" in panel.headline.text()
    assert "ERIKSSON ANNA MARIA" in panel.detail.text()
    assert panel.property("state") == "warning"  # expired in 2012: flagged, not refused


def test_escape_drops_a_half_read_passport(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    scan(qtbot, window, TD3[0])
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Escape)
    assert window.document_panel.property("state") == "idle"
    scan(qtbot, window, NUMBER)
    assert window.document_panel.property("state") == "valid"


def test_each_problem_gets_its_own_line_cause_first(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    scan(qtbot, window, "371602198613115150")
    lines = window.document_panel.detail.text().splitlines()
    assert len(lines) == 2
    assert "日期" in lines[0]
    assert "校验码" in lines[1]
