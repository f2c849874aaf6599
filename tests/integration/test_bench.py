"""``desk-app bench --quick --json FILE`` as CI runs it: every figure, in named units.

No figure is compared with its goal here: timings depend on the machine and its load,
and a test that fails on a busy CI runner would say nothing about the desk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desk_app.bench.children import MARK, READY
from desk_app.bench.report import FIGURES, Figure, Latencies, percentile, ratio
from tests.conftest import ROOT

# The values each figure carries, in named units (numbers when measured).
UNITS = {
    "scan_to_decision": ("p50_ms", "p95_ms", "baseline_p50_ms", "baseline_p95_ms"),
    "offline_decision": ("p50_ms", "p95_ms", "baseline_p50_ms", "baseline_p95_ms"),
    "cold_start": ("median_ms", "baseline_median_ms", "sign_in_screen_median_ms"),
    "outbox_drain": ("total_s", "baseline_total_s", "per_entry_ms", "baseline_per_entry_ms"),
    "memory": ("rss_mb", "baseline_rss_mb", "growth_mb"),
}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, dict[str, Any], Path]:
    """One quick bench for the module: exit code, standard output, the JSON, a fake home."""
    tmp = tmp_path_factory.mktemp("bench")
    home = tmp / "home"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        # Any use of the keyring would fail: the bench must keep its keys in memory.
        "PYTHON_KEYRING_BACKEND": "tests.support.keyrings.LockedKeyring",
        # The per-user folders (Linux): the bench must not create the desk's data or logs.
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    out = tmp / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", "bench", "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=280,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.returncode, done.stdout, json.loads(out.read_text("utf-8")), home


def test_the_json_is_keyed_by_figure_then_run(
    quick_run: tuple[int, str, dict[str, Any], Path],
) -> None:
    _, _, figures, _ = quick_run
    assert list(figures) == [*FIGURES, "run"]
    assert figures["run"]["quick"] is True
    assert figures["run"]["machine"]["cpus"] >= 1
    for name in FIGURES:
        assert {"ratio", "goal", "met"} <= figures[name].keys(), name


@pytest.mark.parametrize("name", sorted(UNITS))
def test_each_measured_figure_has_its_values_in_named_units(
    quick_run: tuple[int, str, dict[str, Any], Path], name: str
) -> None:
    figure = quick_run[2][name]
    for key in UNITS[name]:
        assert isinstance(figure[key], float | int), (name, key)
        if key != "growth_mb":  # memory may shrink between two readings
            assert figure[key] > 0, (name, key)
    assert isinstance(figure["ratio"], float)
    assert isinstance(figure["goal"], str)
    assert isinstance(figure["met"], bool)


def test_the_counts_are_the_quick_ones(quick_run: tuple[int, str, dict[str, Any], Path]) -> None:
    figures = quick_run[2]
    assert figures["scan_to_decision"]["customers"] == 30
    assert figures["offline_decision"]["rows"] >= 20_000
    assert figures["outbox_drain"]["entries"] == 500
    assert figures["memory"]["customers"] == 1_000
    assert figures["cold_start"]["runs"] == 2


def test_the_bundle_is_reported_with_or_without_a_build(
    quick_run: tuple[int, str, dict[str, Any], Path],
) -> None:
    bundle = quick_run[2]["bundle"]
    assert bundle["met"] is None
    assert bundle["ratio"] is None
    if bundle["built"]:
        assert bundle["size_mb"] > 0
        assert bundle["files"] > 0
    else:
        assert bundle["size_mb"] is None


def test_one_printed_line_per_figure(quick_run: tuple[int, str, dict[str, Any], Path]) -> None:
    lines = quick_run[1].splitlines()
    for name in FIGURES:
        assert sum(line.startswith(name + " ") for line in lines) == 1, name
    assert any("baseline" in line and "ratio" in line for line in lines)


def test_the_desks_own_folders_are_not_touched(
    quick_run: tuple[int, str, dict[str, Any], Path],
) -> None:
    home = quick_run[3]
    assert not list(home.rglob("deposit-free-desk*"))


@pytest.mark.parametrize("target", ["a-folder", "missing/bench.json", "/proc/bench.json"])
def test_a_json_file_that_cannot_be_written_is_said_before_measuring(
    tmp_path: Path, target: str
) -> None:
    """Found by a new user's trial: the run measured for minutes, then could not write."""
    (tmp_path / "a-folder").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", "bench", "--quick", "--json", target],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 74
    assert f"cannot write {target}" in done.stderr
    assert done.stdout == ""  # nothing was measured
    assert not (tmp_path / "missing").exists()


def test_percentiles_are_measured_values() -> None:
    samples = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(samples, 0.5) == 3.0
    assert percentile(samples, 0.95) == 5.0
    assert percentile([7.0], 0.95) == 7.0
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 0.5)


def test_latencies_are_p50_and_p95_beside_the_baseline_in_milliseconds() -> None:
    latencies = Latencies.of([0.004, 0.002, 0.003, 0.010], [0.001, 0.002, 0.002, 0.004])
    assert latencies.values() == {
        "p50_ms": 3.0,
        "p95_ms": 10.0,
        "baseline_p50_ms": 2.0,
        "baseline_p95_ms": 4.0,
        "ratio": 1.5,
        "ratio_p95": 2.5,
    }
    assert latencies.texts(1) == ("p50 3.0 ms (p95 10.0)", "p50 2.0 ms (p95 4.0)")


def test_a_ratio_needs_both_sides() -> None:
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(None, 2.0) is None
    assert ratio(1.0, 0.0) is None


def test_a_figure_line_says_whether_the_goal_was_met() -> None:
    figure = Figure("memory", "80 MB", "70 MB", {"ratio": 1.143, "goal": "g", "met": False})
    assert figure.line().startswith("memory ")
    assert "1.14" in figure.line()
    assert figure.line().endswith("goal g: MISSED")
    assert Figure("bundle", "1 MB", "-", {"ratio": None, "met": None}).met is None


def test_the_bare_windows_ready_line_is_the_benchs_mark() -> None:
    source = (ROOT / "desk_app" / "ui" / "bench_baseline.py").read_text("utf-8")
    assert f'READY_LINE = "{MARK} {READY}"' in source
