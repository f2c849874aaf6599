"""The whole bench: every figure in turn on one scratch folder and one training platform.

Exit codes: 0 when the bench ran, whatever the figures (a missed goal is a finding, printed
and written, not a failure of the command); 3 when it could not measure (the platform,
a child process or the scratch folder failed); 74 when the JSON file cannot be written.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

from desk_app import __version__
from desk_app.bench.bundle import bundle
from desk_app.bench.cold_start import cold_start
from desk_app.bench.drain import outbox_drain
from desk_app.bench.memory import memory
from desk_app.bench.offline import offline_decision
from desk_app.bench.platform import BenchPlatform
from desk_app.bench.report import Figure, check_writable, document, write_json
from desk_app.bench.scratch import machine, scratch_dir
from desk_app.errors import DeskError
from desk_app.exports import reason

EXIT_RAN = 0
EXIT_ENVIRONMENT = 3
EXIT_OUTPUT_FAILED = 74


@dataclass(frozen=True)
class Sizes:
    """How much each figure measures."""

    customers: int  # scan_to_decision
    offline_rows: int
    offline_lookups: int
    offline_decides: int
    cold_runs: int
    drain_entries: int
    memory_small: int
    memory_large: int


# The counts; the whole run stays under ten minutes on a two-core PC.
FULL = Sizes(
    customers=300,
    offline_rows=1_000_000,
    offline_lookups=5_000,
    offline_decides=10,
    cold_runs=5,
    drain_entries=10_000,
    memory_small=1_000,
    memory_large=10_000,
)
# Small enough for CI: under a minute.
QUICK = Sizes(
    customers=30,
    offline_rows=20_000,
    offline_lookups=500,
    offline_decides=3,
    cold_runs=2,
    drain_entries=500,
    memory_small=100,
    memory_large=1_000,
)

# scan_to_decision drives the window: the UI layer passes it in (the core has no Qt).
ScanFigure = Callable[[Path, str, int, Callable[[str], None]], Figure]


def _progress(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def run_bench(
    quick: bool, json_path: Path | None, scan_figure: ScanFigure, out: TextIO | None = None
) -> int:
    """Measure every figure, print a line each, and write the JSON file if asked.

    Args:
        quick: the small counts (:data:`QUICK`) instead of the issue's (:data:`FULL`).
        json_path: where to write the figures as JSON; None for none.
        scan_figure: the scan-to-decision figure (drives the real window).
        out: where the figures' lines go; default standard output.

    Returns:
        The exit code (see the module's docstring).
    """
    out = out or sys.stdout
    if json_path is not None:
        # Before minutes of measuring, not after: a file that cannot be written says so now.
        try:
            check_writable(json_path)
        except OSError as error:
            print(f"desk-app bench: cannot write {json_path}: {reason(error)[1]}", file=sys.stderr)
            return EXIT_OUTPUT_FAILED
    sizes = QUICK if quick else FULL
    started = time.perf_counter()
    figures: list[Figure] = []

    def add(make: Callable[[], Figure]) -> None:
        t0 = time.perf_counter()
        figure = make()
        figure.values["seconds"] = round(time.perf_counter() - t0, 1)
        figures.append(figure)
        print(figure.line(), file=out, flush=True)

    try:
        with scratch_dir() as scratch:
            _progress(f"scratch folder {scratch} ({'quick' if quick else 'full'} run)")

            def platform(name: str) -> BenchPlatform:
                # A fresh platform per figure: no figure meets the cases of the one before.
                return BenchPlatform(scratch / f"platform-{name}")

            # The least disturbed system first: starting processes is sensitive to it.
            with platform("cold") as cold:
                add(lambda: cold_start(scratch, cold.url, sizes.cold_runs, _progress))
            with platform("scan") as scan:
                add(lambda: scan_figure(scratch, scan.url, sizes.customers, _progress))
            with platform("drain") as drain:
                add(lambda: outbox_drain(scratch, drain, sizes.drain_entries, _progress))
            with platform("memory") as mem:
                add(
                    lambda: memory(
                        scratch, mem.url, sizes.memory_small, sizes.memory_large, _progress
                    )
                )
            # Last: a million rows fill the disk cache and the scratch folder.
            with platform("offline") as offline:
                add(
                    lambda: offline_decision(
                        scratch,
                        offline.url,
                        sizes.offline_rows,
                        sizes.offline_lookups,
                        sizes.offline_decides,
                        _progress,
                    )
                )
            add(bundle)
    except DeskError as error:
        print(f"desk-app bench: {error.message('en')}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    run: dict[str, Any] = {
        "quick": quick,
        "version": __version__,
        "seconds": round(time.perf_counter() - started, 1),
        "sizes": asdict(sizes),
        "machine": machine(),
        "goals_missed": [f.name for f in figures if f.met is False],
    }
    missed = ", ".join(run["goals_missed"]) or "none"
    print(f"bench: {run['seconds']} s; goals missed: {missed}", file=out, flush=True)
    if json_path is not None:
        try:
            write_json(json_path, document(figures, run))
        except OSError as error:
            print(f"desk-app bench: cannot write {json_path}: {reason(error)[1]}", file=sys.stderr)
            return EXIT_OUTPUT_FAILED
    return EXIT_RAN
