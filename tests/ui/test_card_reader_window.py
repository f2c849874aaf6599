"""The counter fills in from an ID card on the reader, through a real virtual serial pair."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desk_app.devices.simulator import SYNTHETIC_PEOPLE, ReaderSimulator
from tests.conftest import ROOT
from tests.support.serial_pair import FAST, SerialPair, SimulatorThread
from tests.ui.conftest import WAIT_MS, WindowFactory
from tests.ui.test_counter_window import decide

pytestmark = pytest.mark.skipif(shutil.which("socat") is None, reason="needs socat")


@pytest.fixture
def reader_pair(tmp_path: Path) -> Iterator[tuple[SerialPair, ReaderSimulator]]:
    pair = SerialPair(tmp_path / "serial")
    pair.folder.mkdir()
    pair.plug()
    simulator = ReaderSimulator(None)
    runner = SimulatorThread(simulator)
    runner.start(pair.sim_path)
    yield pair, simulator
    runner.stop()
    pair.unplug()


def test_a_card_on_the_reader_fills_in_the_counter(
    qtbot: QtBot, make_window: WindowFactory, reader_pair: tuple[SerialPair, ReaderSimulator]
) -> None:
    pair, simulator = reader_pair
    window = make_window()
    window.start_reader(pair.reader_path, timings=FAST)
    qtbot.waitUntil(lambda: "就绪" in window.reader_status.text(), timeout=WAIT_MS)
    simulator.place(SYNTHETIC_PEOPLE["371602198601115150"])
    panel = window.counter.document_panel
    qtbot.waitUntil(lambda: "3716**********5150" in panel.headline.text(), timeout=WAIT_MS)
    assert "姓名" in panel.detail.text()
    assert "371602198601115150" not in panel.detail.text()
    assert decide(qtbot, window, "BZ-CR-01") == "waive"
    # The same card left on the reader is not read again: the decision stays.
    qtbot.wait(300)
    assert window.counter.card.property("outcome") == "waive"
    assert "已读卡" in window.reader_status.text()
    simulator.remove()
    qtbot.waitUntil(lambda: "就绪" in window.reader_status.text(), timeout=WAIT_MS)
    simulator.place(SYNTHETIC_PEOPLE["810000199408230021"])
    qtbot.waitUntil(lambda: "8100**********0021" in panel.headline.text(), timeout=WAIT_MS)
    assert window.counter.card.property("outcome") == "none"


def test_reader_read_from_the_command_line(reader_pair: tuple[SerialPair, ReaderSimulator]) -> None:
    pair, simulator = reader_pair
    simulator.place(SYNTHETIC_PEOPLE["KAZ110090123105"])
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", "reader", "read", "--port", pair.reader_path,
         "--timeout", "5"],
        capture_output=True, text=True, encoding="utf-8", timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    card = json.loads(done.stdout)
    assert card["kind"] == "foreign_permanent_residence"
    assert card["number"] == "KAZ110090123105"
    assert card["card_type"] == "foreign_2017"
    simulator.remove()
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", "reader", "read", "--port", pair.reader_path,
         "--timeout", "0.5"],
        capture_output=True, text=True, encoding="utf-8", timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 3
    assert done.stdout == ""
    assert "阅读器" in done.stderr
