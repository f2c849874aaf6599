"""Take the README's screenshots of the desk window (run under xvfb-run with a CJK font).

    xvfb-run -a -s "-screen 0 1366x768x24" \
        .venv/bin/python installer/screenshots.py docs/screenshots

It drives the real window against the embedded training platform, in a scratch data
folder, and saves one PNG per screen.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from desk_app.app import open_desk
from desk_app.secrets import MemorySecrets
from desk_app.ui.app import create_application
from desk_app.ui.main_window import MainWindow


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

    at(1500, sign_in)
    at(3500, decide("371602198601115150", "BZ-CR-01"))
    at(5500, lambda: shot("counter-waive"))
    at(5600, decide("11010219840406970X", "BZ-CR-01"))
    at(7600, lambda: shot("counter-collect"))
    at(7700, cases)
    at(9000, fill)
    at(9500, lambda: shot("open-cases-settlement"))
    at(9600, lambda: window.show_screen(window.sync_screen))
    at(10600, lambda: shot("sync-and-alerts"))
    at(10700, window.close)
    at(10800, app.quit)
    for ms, step in steps:
        QTimer.singleShot(ms, step)
    app.exec()
    desk.close()


if __name__ == "__main__":
    main()
