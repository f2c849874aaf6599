"""``desk-app bench``: the core's figures and the window's, wired for the command line.

Importing this module loads no Qt: a child process of the bench that needs none (the
memory child) must not pay for it, and the figures that need it import it when they run.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from desk_app import logging_setup

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def run_bench_command(quick: bool, json_path: Path | None, child: str | None) -> int:
    """Run the bench (or, with ``child``, one of the processes it starts).

    Args:
        quick: the small counts.
        json_path: where to write the figures as JSON.
        child: a child's JSON spec (the bench passes it; never typed by a person).

    Returns:
        The exit code: 0 the bench ran (goals met or not), 3 it could not measure,
        74 the JSON file could not be written.
    """
    if child is not None:
        return run_child(json.loads(child))
    logging_setup.configure()
    # The embedded training platform would log every request it serves.
    logging.getLogger("desk_app.training_platform").setLevel(logging.WARNING)
    # The figures are offscreen; a display is used only when asked for by name.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desk_app.bench.runner import run_bench
    from desk_app.ui.bench_window import scan_to_decision

    try:
        return run_bench(quick, json_path, scan_to_decision)
    except KeyboardInterrupt:
        # Ctrl+C: the children and the scratch folder are cleaned up on the way out.
        print("desk-app bench: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def run_child(spec: dict[str, Any]) -> int:
    """One process of the bench, by its ``role``."""
    role = spec.get("role")
    if role == "memory":
        from desk_app.bench.memory import child_main

        logging_setup.configure()
        return child_main(spec)
    if role == "cold-start":
        from desk_app.ui.bench_start import cold_start_child

        return cold_start_child(spec)
    if role == "baseline-window":
        from desk_app.ui.bench_baseline import main

        return main()
    print(f"desk-app bench: unknown child role {role!r}", file=sys.stderr)
    return EXIT_USAGE
