"""Cold start: process start to the counter screen ready for a scan, against a bare window.

The desk is started as a new process of this program on a data folder that has been used
before (settings, database, operators), as a counter PC starts it each morning; the
training operator is then signed in by the child itself the moment the sign-in screen is
up. "Ready for a scan" is the counter screen shown with the scan field holding the focus,
after that sign-in: the clerk cannot scan before it. The time to the sign-in screen is
reported too; the difference is the PIN check (scrypt, slow on purpose) and the switch.

The platform is the bench's (a URL, as a live desk has), so the child does not start a
training platform of its own. Keys come from a file in the scratch folder: the child
never asks the system keyring.

The baseline is a minimal PySide6 window with one line edit holding the focus, started
the same way. Runs alternate between the two; the first of each is a warm-up (it fills
the OS file cache) and is not counted.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk_app.bench.children import (
    READY,
    SIGN_IN_SHOWN,
    baseline_window_command,
    child_command,
    run_timed,
)
from desk_app.bench.report import Figure, ms, ratio
from desk_app.bench.scratch import open_bench_desk, save_secrets
from desk_app.secrets import MemorySecrets

GOAL = "ratio <= 1.5"

Progress = Callable[[str], None]


def cold_start(scratch: Path, platform_url: str, runs: int, progress: Progress) -> Figure:
    """The figure: median of ``runs`` starts of the desk and of the bare window.

    Raises:
        BenchError: a start failed or took longer than a minute.
    """
    folder = scratch / "cold"
    secrets = MemorySecrets()
    open_bench_desk(folder, platform_url, "BENCH-COLD", secrets).close()
    keys = scratch / "cold-keys.json"
    save_secrets(secrets, keys)
    spec = {
        "role": "cold-start",
        "data_dir": str(folder),
        "platform_url": platform_url,
        "keys": str(keys),
        "log_dir": str(scratch / "cold-logs"),
    }
    progress(f"cold_start: {runs} starts of the desk and of a bare window (and a warm-up)")
    desk_ready: list[float] = []
    desk_sign_in: list[float] = []
    bare: list[float] = []
    for run in range(runs + 1):
        times, _ = run_timed(
            child_command(spec), (SIGN_IN_SHOWN, READY), stderr=scratch / "cold-desk.err"
        )
        base, _ = run_timed(baseline_window_command(), (READY,), stderr=scratch / "cold-bare.err")
        if run:
            desk_ready.append(times[READY])
            desk_sign_in.append(times[SIGN_IN_SHOWN])
            bare.append(base[READY])
    value = statistics.median(desk_ready)
    baseline = statistics.median(bare)
    rate = ratio(value, baseline)
    values: dict[str, Any] = {
        "median_ms": ms(value),
        "baseline_median_ms": ms(baseline),
        "ratio": rate,
        "sign_in_screen_median_ms": ms(statistics.median(desk_sign_in)),
        "runs": runs,
        "runs_ms": [ms(t) for t in desk_ready],
        "baseline_runs_ms": [ms(t) for t in bare],
        "ready": "counter screen shown, scan field focused, after the training operator's "
        "sign-in (done by the desk process itself as soon as the sign-in screen is up)",
        "goal": GOAL,
        "met": rate is not None and rate <= 1.5,
    }
    return Figure(
        "cold_start",
        f"median {ms(value):.0f} ms",
        f"median {ms(baseline):.0f} ms",
        values,
    )
