"""Garbage cycles are collected on the GUI thread only (desk_app/ui/collector.py)."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from desk_app.ui.collector import GuiThreadCollector

CYCLES = 5_000


def test_cycles_made_on_a_worker_are_collected_on_the_gui_thread(
    qtbot: QtBot, gui_thread_collector: GuiThreadCollector
) -> None:
    """Found as a segmentation fault in the suite: CPython collected on a worker thread
    that crossed the allocation threshold, destroying Qt objects off the GUI thread."""
    freed_on: list[int] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            freed_on.append(threading.get_ident())

    def work() -> None:
        for _ in range(CYCLES):  # far past the threshold of a collection
            Cycle()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert freed_on == []
    qtbot.waitUntil(lambda: len(freed_on) == CYCLES, timeout=5_000)
    assert set(freed_on) == {threading.get_ident()}
