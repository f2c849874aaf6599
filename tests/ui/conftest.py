"""UI test setup: the desk's application object, and real windows on a real desk."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desk_app import settings
from desk_app.app import Desk, open_desk
from desk_app.training_platform.server import EmbeddedPlatform
from desk_app.ui.app import create_application
from desk_app.ui.collector import GuiThreadCollector
from desk_app.ui.i18n import compile_translations
from desk_app.ui.main_window import MainWindow

# How long a test waits for background work (the platform answers in milliseconds).
WAIT_MS = 10_000


@pytest.fixture(scope="session")
def qapp() -> QApplication:
    """pytest-qt's application fixture, replaced by the desk's own (Chinese by default)."""
    compile_translations()
    return create_application(["desk-app-tests"], "zh_CN")


@pytest.fixture(autouse=True)
def gui_thread_collector(qapp: QApplication) -> Iterator[GuiThreadCollector]:
    """Garbage collected on the GUI thread only, as in the desk (run_desk); what a test
    leaves in cycles is collected here at its end, never later on a worker thread."""
    collector = GuiThreadCollector(qapp)
    yield collector
    collector.stop()
    collector.deleteLater()


WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def make_window(
    qtbot: QtBot, tmp_path: Path, platform: EmbeddedPlatform, memory_keyring: object
) -> Iterator[WindowFactory]:
    """Real desk windows (each on its own data folder) against the test's platform."""
    desks: list[Desk] = []
    windows: list[MainWindow] = []

    def factory(
        name: str = "desk",
        institution: str = "training-hospital",
        language: str = "zh_CN",
        idle_minutes: float = 10,
        sign_in: bool = True,
        platform_url: str | None = None,
    ) -> MainWindow:
        folder = tmp_path / name
        current = settings.load(folder)
        current.training_institution = institution
        current.counter_id = name.upper()
        settings.save(folder, current)
        desk = open_desk(folder, platform_url or platform.url)
        desk.client.config = dataclasses.replace(
            desk.client.config, read_timeout_s=2.0, backoff_s=0.05
        )
        desks.append(desk)
        window = MainWindow(desk, language, tmp_path / "logs", idle_minutes=idle_minutes)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        if sign_in:
            sign_in_as(qtbot, window, "1001", "1234")
        return window

    yield factory
    # Windows first: closing one waits (bounded) for its background work, which still
    # uses the desk; only then may the desks close their stores.
    for window in windows:
        window.close()
    for desk in desks:
        desk.close()


def sign_in_as(qtbot: QtBot, window: MainWindow, operator_id: str, pin: str) -> None:
    window.sign_in.operator_field.setText(operator_id)
    window.sign_in.pin_field.setText(pin)
    qtbot.keyClick(window.sign_in.pin_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.operator is not None, timeout=WAIT_MS)
    # The management list arrives in the background.
    qtbot.waitUntil(lambda: window.counter.item_box.count() > 0, timeout=WAIT_MS)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ASCII with key clicks; other text as an input method commits it."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def scan(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """What a wedge scanner does: the characters, then Enter."""
    field = window.counter.scan_field
    type_text(qtbot, field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)
