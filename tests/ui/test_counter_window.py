"""The real window against the training platform over HTTP: a customer per item path."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desk_app.training_platform.server import EmbeddedPlatform
from desk_app.ui.i18n import install_translators
from desk_app.ui.main_window import MainWindow
from desk_app.ui.tasks import WORKERS
from tests.ui.conftest import WAIT_MS, WindowFactory, scan, sign_in_as, type_text

AT_1000 = "371602198601115150"
AT_949 = "11010219840406970X"
AT_950 = "360426199101010071"


def decide(qtbot: QtBot, window: MainWindow, item: str, consent: bool = True) -> str:
    counter = window.counter
    counter.select_item(item)
    if consent:
        qtbot.keyClick(counter.scan_field, Qt.Key.Key_F6)
    qtbot.keyClick(counter.scan_field, Qt.Key.Key_F5)
    qtbot.waitUntil(
        lambda: counter.card.property("outcome") not in ("none", "busy"), timeout=WAIT_MS
    )
    return str(counter.card.property("outcome"))


def test_sign_in_opens_the_counter_in_chinese_marked_training(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(sign_in=False)
    assert window.windowTitle() == "免押金服务台"
    assert window.training_banner.isVisible()
    assert window.stack.currentWidget() is window.sign_in
    window.sign_in.operator_field.setText("1001")
    window.sign_in.pin_field.setText("0000")
    qtbot.keyClick(window.sign_in.pin_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "PIN 不正确" in window.message_bar.text(), timeout=WAIT_MS)
    assert window.operator is None
    sign_in_as(qtbot, window, "1001", "1234")
    assert window.stack.currentWidget() is window.counter
    assert "培训柜员" in window.who.text()
    assert window.counter.focusWidget() is window.counter.scan_field


def test_a_credit_waiver_from_scan_to_card(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    counter = window.counter
    assert "3716**********5150" in counter.document_panel.headline.text()
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    card = counter.card
    assert "免交押金" in card.verdict.text()
    assert "¥5,000.00" in card.amount.text()
    assert "1000" in card.credit.text()
    assert "在线决定" in card.source.text()
    shown = " ".join(w.text() for w in (card.verdict, card.amount, card.reasons))
    assert AT_1000 not in shown + counter.document_panel.detail.text()
    assert counter.focusWidget() is counter.scan_field


def test_a_credit_refusal_says_what_to_tell_the_customer(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    scan(qtbot, window, AT_949)
    assert decide(qtbot, window, "BZ-CR-01") == "collect"
    assert "收取押金" in window.counter.card.verdict.text()
    assert "低于本事项门槛 1000" in window.counter.card.reasons.text()


def test_a_cancelled_item_needs_no_credit_check(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    scan(qtbot, window, AT_949)
    assert decide(qtbot, window, "BZ-CA-01", consent=False) == "not_required"
    assert "无需押金" in window.counter.card.verdict.text()


def test_a_supervised_item_is_collected(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-SV-01", consent=False) == "collect"
    assert "按管理清单" in window.counter.card.source.text()


def test_an_emergency_is_treated_first(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    scan(qtbot, window, AT_949)
    window.counter.select_item("BZ-CR-01")
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F7)
    assert window.counter.emergency.isChecked()
    assert decide(qtbot, window, "BZ-CR-01", consent=False) == "waive"
    assert "急诊" in window.counter.card.verdict.text()
    assert window.counter.card.reasons.text().count("急诊") == 1


def test_deciding_without_the_commitment_asks_for_it(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    window.counter.select_item("BZ-CR-01")
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F5)
    assert "信用承诺书" in window.message_bar.text()
    assert window.counter.card.property("outcome") == "none"


def test_enter_on_the_empty_field_moves_the_flow_on(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    window.counter.select_item("BZ-CA-01")
    window.counter._last_submit = 0  # the clerk, not the scanner's second terminator
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.counter.card.property("outcome") == "not_required", timeout=WAIT_MS
    )


def test_an_invalid_scan_explains_and_leaves_the_field_ready(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    scan(qtbot, window, "36042619910102009X")
    panel = window.counter.document_panel
    assert panel.property("state") == "invalid"
    assert "第 18 位校验码应为 3" in panel.detail.text()
    assert window.counter.scan_field.text() == ""
    assert window.counter.focusWidget() is window.counter.scan_field
    scan(qtbot, window, "３７１６０２１９８６０１１１５１５０")  # full-width, from an IME
    assert panel.property("state") == "valid"


def test_esc_starts_the_next_customer(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_Escape)
    assert window.counter.card.property("outcome") == "none"
    assert window.counter.document is None
    assert not window.counter.consent.isChecked()


def test_an_outage_mid_flow_cached_then_provisional_then_refused_and_alerted(
    qtbot: QtBot, make_window: WindowFactory, platform: EmbeddedPlatform
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    platform.knobs.outage = True
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    assert "离线：沿用" in window.counter.card.source.text()
    scan(qtbot, window, AT_949)
    assert decide(qtbot, window, "BZ-CR-01") == "provisional"
    assert "临时免押" in window.counter.card.verdict.text()
    assert "○ 离线" in window.connection.text()  # the status bar follows at once
    qtbot.waitUntil(lambda: not window._sync_running, timeout=WAIT_MS)
    platform.knobs.outage = False
    window._sync_running = False
    window.sync_now()
    qtbot.waitUntil(lambda: "1 条提醒" in window.nav_sync.text(), timeout=WAIT_MS)
    assert "收取押金" in window.message_bar.text()
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F4)
    sync = window.sync_screen
    qtbot.waitUntil(lambda: sync.alerts.rowCount() == 1, timeout=WAIT_MS)
    what, who = sync.alerts.item(0, 1), sync.alerts.item(0, 0)
    assert what is not None
    assert who is not None
    assert "收取押金" in what.text()
    assert who.text() == "1101**********970X"
    sync.acknowledge.click()
    qtbot.waitUntil(lambda: sync.alerts.rowCount() == 0, timeout=WAIT_MS)


def test_a_passport_reader_typing_line_by_line_is_one_scan(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(institution="training-hotel")
    scan(qtbot, window, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<")
    assert "第 1 行" in window.counter.document_panel.detail.text()
    scan(qtbot, window, "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
    assert "L8*****C3" in window.counter.document_panel.headline.text()
    assert decide(qtbot, window, "BZ-CR-02") == "collect"  # no credit archive


def test_english_is_available(qtbot: QtBot, make_window: WindowFactory, qapp: QApplication) -> None:
    install_translators(qapp, "en")
    try:
        window = make_window(language="en")
        assert window.windowTitle() == "Deposit-free counter desk"
        scan(qtbot, window, AT_1000)
        assert decide(qtbot, window, "BZ-CR-01") == "waive"
        assert "WAIVE the deposit" in window.counter.card.verdict.text()
        assert "meets this item's threshold" in window.counter.card.reasons.text()
    finally:
        install_translators(qapp, "zh_CN")


def test_idle_time_locks_the_window(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(idle_minutes=0.005)
    qtbot.waitUntil(lambda: window.operator is None, timeout=WAIT_MS)
    assert window.stack.currentWidget() is window.sign_in
    assert "锁定" in window.sign_in.title.text()
    assert window.sign_in.operator_field.text() == "1001"
    sign_in_as(qtbot, window, "1001", "1234")
    assert window.stack.currentWidget() is window.counter


def test_a_day_of_background_work_keeps_one_connection_and_one_session_per_worker(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Found by the bench: Qt's pool threads entered Python afresh for every task, so the
    store opened a database connection (never closed) and the client an HTTP session (a
    new TCP, and TLS, handshake) for every decision."""
    window = make_window()
    desk = window.desk
    for _ in range(3 * WORKERS):
        window.counter.next_customer()
        scan(qtbot, window, AT_1000)
        assert decide(qtbot, window, "BZ-CR-01") == "waive"
        window.sync_now()
        qtbot.waitUntil(lambda: window.tasks.running == 0, timeout=WAIT_MS)
    # The GUI thread's (status bar counts) and one per worker at most.
    assert desk.store.open_connections <= WORKERS + 1
    assert desk.client.sessions_opened <= WORKERS


def test_keys_and_clicks_at_the_window_keep_it_unlocked(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Input through the window system (as a keyboard and a mouse deliver it) restarts the
    idle timer; events inside the window (paints, timers) do not."""
    window = make_window()
    timer = window.idle_timer
    handle = window.windowHandle()
    assert handle is not None
    timer.stop()
    window.repaint()
    assert not timer.isActive()
    QTest.keyClick(handle, Qt.Key.Key_A)
    assert timer.isActive()
    timer.stop()
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, pos=window.rect().center())
    assert timer.isActive()


def test_a_bug_opens_a_crash_dialog_with_a_copyable_report(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.on_error(ZeroDivisionError("boom near 371602198601115150"))
    dialog = window.on_error.last_crash
    assert dialog is not None
    qtbot.waitExposed(dialog)
    report = dialog.report.toPlainText()
    assert "ZeroDivisionError" in report
    assert AT_1000 not in report
    dialog.copy_report()
    from PySide6.QtWidgets import QApplication

    assert "ZeroDivisionError" in QApplication.clipboard().text()
    dialog.close()


def test_typed_digits_in_the_amount_field_stay_there(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    window.counter.amount_field.setFocus()
    type_text(qtbot, window.counter.amount_field, "3000.00")
    assert window.counter.amount_field.text() == "3000.00"
    assert window.counter.scan_field.text() == ""
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    assert "¥3,000.00" in window.counter.card.amount.text()


def test_a_late_answer_never_lands_under_the_next_customer(
    qtbot: QtBot, make_window: WindowFactory, platform: EmbeddedPlatform
) -> None:
    window = make_window()
    platform.knobs.latency_ms = 1500
    scan(qtbot, window, AT_1000)
    window.counter.select_item("BZ-CR-01")
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F6)
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F5)
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F5)  # a second F5 while waiting
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_Escape)
    scan(qtbot, window, AT_949)

    def recorded() -> int:
        with window.desk.store.read() as db:
            return int(db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])

    qtbot.waitUntil(lambda: recorded() == 1, timeout=WAIT_MS)  # once: an open case
    qtbot.waitUntil(lambda: window.tasks.running == 0 or not window._sync_running, timeout=WAIT_MS)
    platform.knobs.latency_ms = 0
    assert window.counter.card.property("outcome") == "none"  # shown never
    assert "1101**********970X" in window.counter.document_panel.headline.text()


def test_a_second_f5_for_the_same_customer_and_item_makes_no_second_decision(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    scan(qtbot, window, AT_1000)
    assert decide(qtbot, window, "BZ-CA-01", consent=False) == "not_required"
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F5)
    assert "已有决定" in window.message_bar.text()
    with window.desk.store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 1


def test_f8_changes_the_item_without_leaving_the_scan_field(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    box = window.counter.item_box
    first = box.currentIndex()
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F8)
    assert box.currentIndex() == (first + 1) % box.count()
    qtbot.keyClick(window.counter.scan_field, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert box.currentIndex() == first
    assert window.counter.focusWidget() is window.counter.scan_field


def test_a_card_scanned_on_the_lock_screen_is_no_wrong_pin(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(sign_in=False)
    window.sign_in.operator_field.setText("1001")
    window.sign_in.pin_field.setFocus()
    qtbot.keyClicks(window.sign_in.pin_field, AT_1000)
    qtbot.keyClick(window.sign_in.pin_field, Qt.Key.Key_Return)
    assert "请先登录" in window.message_bar.text()
    with window.desk.store.read() as db:
        failures = db.execute(
            "SELECT COUNT(*) FROM audit WHERE action = 'sign_in_failed'"
        ).fetchone()[0]
    assert failures == 0
    sign_in_as(qtbot, window, "1001", "1234")
