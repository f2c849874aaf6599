"""Keyboard-wedge scanners at the scan field: fast and slow input, terminators, prefixes,
MRZ, dropped characters and wrong keyboard layouts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desk_app import settings
from desk_app.devices.wedge import strip_affixes, typed_by_scanner, wrong_layout
from desk_app.ui.main_window import MainWindow
from desk_app.ui.widgets.scan_field import ScanField
from tests.ui.conftest import WindowFactory, scan

AT_1000 = "371602198601115150"


class FakeClock:
    """Key times a test decides: a scanner's few milliseconds, or a person's pace."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def press(field: ScanField, key: Qt.Key, text: str = "") -> None:
    event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)
    QApplication.sendEvent(field, event)


def type_at(field: ScanField, text: str, step: float) -> None:
    field.clock = FakeClock(step)
    for ch in text:
        press(field, Qt.Key.Key_unknown, ch)


def test_fast_input_is_a_scanner_slow_input_a_person(qtbot: QtBot) -> None:
    field = ScanField()
    qtbot.addWidget(field)
    got: list[str] = []
    field.submitted.connect(got.append)
    type_at(field, AT_1000, 0.004)
    press(field, Qt.Key.Key_Return)
    assert got == [AT_1000]
    assert field.last_was_scanner is True
    type_at(field, AT_1000, 0.2)
    press(field, Qt.Key.Key_Return)
    assert field.last_was_scanner is False


def test_a_scanners_tab_ends_the_scan_a_persons_tab_does_not(qtbot: QtBot) -> None:
    field = ScanField()
    qtbot.addWidget(field)
    got: list[str] = []
    field.submitted.connect(got.append)
    type_at(field, AT_1000, 0.004)
    press(field, Qt.Key.Key_Tab)
    assert got == [AT_1000]
    type_at(field, "3716", 0.3)
    press(field, Qt.Key.Key_Tab)
    assert got == [AT_1000]
    assert field.text() == "3716"


def test_terminators_count_once(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    field = window.counter.scan_field
    type_at(field, AT_1000, 0.004)
    press(field, Qt.Key.Key_Return)  # CR
    press(field, Qt.Key.Key_Enter)  # LF sent as a second Enter
    assert window.counter.document is not None
    assert window.counter.card.property("outcome") == "none"  # no decision asked


def test_configured_prefixes_and_suffixes_are_stripped(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.desk.settings.scanner_prefix = "]Q1"
    window.desk.settings.scanner_suffix = "#"
    scan(qtbot, window, f"]Q1{AT_1000}#")
    assert "3716**********5150" in window.counter.document_panel.headline.text()
    assert strip_affixes(f"]Q1{AT_1000}#\r\n", "]Q1", "#") == AT_1000
    assert settings.Settings().scanner_prefix == ""


def test_a_dropped_character_is_an_incomplete_scan(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000[:9] + AT_1000[10:])
    assert "扫描不完整" in window.counter.document_panel.detail.text()


def test_digits_through_a_wrong_keyboard_layout_are_recognised(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    azerty = AT_1000.translate(str.maketrans("1234567890", "&é\"'(-è_çà"))
    field = window.counter.scan_field
    type_at(field, azerty, 0.004)
    press(field, Qt.Key.Key_Return)
    panel = window.counter.document_panel
    assert "键盘布局" in panel.headline.text()
    assert "法语 AZERTY" in panel.detail.text()
    assert "3716**********5150" in panel.detail.text()
    assert window.counter.document is None  # said, never silently accepted
    shifted = wrong_layout(AT_1000.translate(str.maketrans("1234567890", "!@#$%^&*()")))
    assert shifted is not None
    assert shifted.corrected == AT_1000


def test_a_passport_reader_sends_two_lines_fast(qtbot: QtBot, make_window: WindowFactory) -> None:
    window: MainWindow = make_window(institution="training-hotel")
    field = window.counter.scan_field
    for line in (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ):
        type_at(field, line, 0.003)
        press(field, Qt.Key.Key_Return)
    assert "L8*****C3" in window.counter.document_panel.headline.text()


def test_the_scan_field_never_takes_what_is_typed_into_the_amount(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    window.counter.amount_field.setFocus()
    qtbot.keyClicks(window.counter.amount_field, "3000")
    assert window.counter.amount_field.text() == "3000"
    assert window.counter.scan_field.text() == ""


def test_scanner_timing_rule() -> None:
    assert typed_by_scanner([i * 0.01 for i in range(18)])
    assert not typed_by_scanner([i * 0.15 for i in range(18)])
    assert not typed_by_scanner([0.0, 0.001, 0.002])  # too short to tell
    # One slow gap (the scanner's buffer) does not make it a person.
    times = [i * 0.005 for i in range(17)] + [1.0]
    assert typed_by_scanner(times)
