"""Supervisor settings, supervised deposits, and never losing a half-typed settlement."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desk_app.secrets import CLIENT_ID, CLIENT_SECRET
from tests.ui.conftest import WAIT_MS, WindowFactory, scan, sign_in_as
from tests.ui.test_cases_window import find_cases
from tests.ui.test_counter_window import AT_949, AT_1000, decide


def test_only_a_supervisor_opens_the_settings(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    assert not window.nav_settings.isVisible()
    window.open_settings()
    assert "只有主管" in window.message_bar.text()
    assert window.stack.currentWidget() is window.counter


def test_a_supervisor_saves_settings_and_credentials_go_to_the_keyring(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(sign_in=False)
    sign_in_as(qtbot, window, "9001", "9999")
    assert window.nav_settings.isVisible()
    window.open_settings()
    screen = window.settings_screen
    qtbot.waitUntil(lambda: screen.items.count() == 4, timeout=WAIT_MS)
    screen.counter_id.setText("ADMISSION-2")
    screen.client_id.setText("BZ-H-0001-live")
    screen.client_secret.setText("s3cret-value")
    screen.mode.setCurrentIndex(screen.mode.findData("live"))
    screen.platform_url.setText("http://not-https.example")
    screen.save_settings()
    qtbot.waitUntil(lambda: "https://" in window.message_bar.text(), timeout=WAIT_MS)
    screen.platform_url.setText("https://credit.binzhou.example")
    screen.scanner_prefix.setText("]Q1")
    screen.client_id.setText("BZ-H-0001-live")
    screen.client_secret.setText("s3cret-value")
    screen.save_settings()
    qtbot.waitUntil(lambda: "下次启动" in window.message_bar.text(), timeout=WAIT_MS)
    saved = (window.desk.store.folder / "settings.json").read_text(encoding="utf-8")
    assert json.loads(saved)["counter_id"] == "ADMISSION-2"
    assert json.loads(saved)["mode"] == "live"
    assert json.loads(saved)["scanner_prefix"] == "]Q1"
    assert "s3cret-value" not in saved
    assert window.desk.secrets.get(CLIENT_ID) == "BZ-H-0001-live"
    assert window.desk.secrets.get(CLIENT_SECRET) == "s3cret-value"


def test_a_supervised_deposit_is_collected_and_refunded_at_the_counter(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-SV-01", consent=False) == "collect"
    find_cases(qtbot, window, AT_1000, rows=1)
    cases = window.cases
    assert "应收押金：¥500.00" in cases.deposit_state.text()
    assert cases.collect_button.isEnabled()
    cases.collect_button.click()
    qtbot.waitUntil(lambda: "已收押金" in cases.deposit_state.text(), timeout=WAIT_MS)
    assert cases.refund_button.isEnabled()
    cases.deposit_amount.setText("450.00")
    cases.refund_button.click()
    qtbot.waitUntil(lambda: "已退押金：¥450.00" in cases.deposit_state.text(), timeout=WAIT_MS)


def test_a_new_scan_asks_before_dropping_a_half_typed_settlement(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    for number in (AT_1000, AT_949):
        scan(qtbot, window, number)
        decide(qtbot, window, "BZ-CA-01", consent=False)
    find_cases(qtbot, window, AT_1000, rows=1)
    window.cases.total.setText("100.00")
    window.cases.on_scan(AT_949)
    question = window.cases.unsaved_question
    assert question is not None
    qtbot.waitExposed(question)
    question.done(QMessageBox.StandardButton.No)
    assert window.cases.total.text() == "100.00"
    assert window.cases.who.text() == "3716**********5150"
    window.cases.on_scan(AT_949)
    question = window.cases.unsaved_question
    assert question is not None
    question.done(QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: window.cases.who.text() == "1101**********970X", timeout=WAIT_MS)
    assert window.cases.total.text() == ""
