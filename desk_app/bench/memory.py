"""Memory: the desk process's resident memory after many customers, against after fewer.

The customers go through the desk's core in a process of their own, as the window would
send them: identify the scan, decide online (the credit item, commitment signed),
settle the case, and deliver the outbox every :data:`SYNC_EVERY` customers (the window's
background sync does that every ten seconds). The core, not the window: a full day at the
counter in a few minutes needs no widgets, and what could grow without bound (caches,
the store's connections, the client's sessions, the outbox) is in the core. The training
platform runs in the bench's process, as a city platform runs elsewhere, so only the
desk's memory is counted.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from desk_app.bench.children import child_command, print_result, run_timed
from desk_app.bench.report import BenchError, Figure
from desk_app.bench.scratch import (
    CREDIT_ITEM,
    OPERATOR,
    load_secrets,
    open_bench_desk,
    resident_numbers,
    save_secrets,
)
from desk_app.identity import PERSON_KINDS, identify
from desk_app.secrets import MemorySecrets
from desk_app.services.context import china_now
from desk_app.services.decisions import DecisionRequest
from desk_app.services.settlements import SettlementRequest, SettlementStatus

SYNC_EVERY = 50
GOAL_MB = 20.0
GOAL = "growth < 20 MB"
MB = 2**20

Progress = Callable[[str], None]


def _rss() -> int:
    """Resident memory of this process after a full collection (bytes)."""
    gc.collect()
    return int(psutil.Process(os.getpid()).memory_info().rss)


def serve_customers(spec: dict[str, Any]) -> dict[str, Any]:
    """In the child: serve ``spec['large']`` customers; resident memory at two counts.

    Args:
        spec: ``data_dir``, ``platform_url``, ``keys`` (the scratch desk's keys file),
            ``small`` and ``large`` (customer counts at which memory is read).

    Returns:
        ``rss_small`` and ``rss_large`` in bytes, and the seconds the customers took.
    """
    small, large = int(spec["small"]), int(spec["large"])
    desk = open_bench_desk(
        Path(spec["data_dir"]),
        spec["platform_url"],
        "BENCH-MEMORY",
        load_secrets(Path(spec["keys"])),
    )
    numbers = resident_numbers()
    readings: dict[str, int] = {}
    started = time.perf_counter()
    try:
        for served in range(1, large + 1):
            document = identify(numbers[served % len(numbers)], kinds=PERSON_KINDS)
            decision = desk.decisions.decide(
                DecisionRequest(
                    document=document,
                    item_code=CREDIT_ITEM,
                    operator_id=OPERATOR[0],
                    commitment_signed_at=china_now(),
                )
            )
            desk.settlements.settle(
                SettlementRequest(
                    local_id=decision.local_id,
                    status=SettlementStatus.SETTLED,
                    total_fen=120_000,
                    insurance_fen=70_000,
                    self_pay_fen=50_000,
                    paid_fen=50_000,
                    method="bank_card",
                    operator_id=OPERATOR[0],
                )
            )
            if served % SYNC_EVERY == 0:
                desk.outbox.deliver_due()
            if served == small:
                readings["rss_small"] = _rss()
            if served % 1000 == 0:
                print(f"bench: memory: {served:,} customers", file=sys.stderr)
        readings["rss_large"] = _rss()
    finally:
        desk.close()
    return {**readings, "seconds": time.perf_counter() - started}


def child_main(spec: dict[str, Any]) -> int:
    """The memory child's entry: serve the customers, print the result."""
    print_result(serve_customers(spec))
    return 0


def memory(scratch: Path, platform_url: str, small: int, large: int, progress: Progress) -> Figure:
    """The figure: resident memory after ``large`` customers against after ``small``.

    Raises:
        BenchError: the child process failed.
    """
    if not 0 < small < large:
        raise BenchError("memory needs 0 < small < large")
    folder = scratch / "memory"
    secrets = MemorySecrets()
    # Prepared here (settings, database, training operators), so the child only serves.
    open_bench_desk(folder, platform_url, "BENCH-MEMORY", secrets).close()
    keys = scratch / "memory-keys.json"
    save_secrets(secrets, keys)
    progress(f"memory: {large:,} customers in a desk process of their own")
    spec = {
        "role": "memory",
        "data_dir": str(folder),
        "platform_url": platform_url,
        "keys": str(keys),
        "small": small,
        "large": large,
    }
    _, result = run_timed(child_command(spec), (), timeout_s=1800.0)
    if "rss_small" not in result or "rss_large" not in result:
        raise BenchError("the memory child gave no readings")
    before, after = result["rss_small"] / MB, result["rss_large"] / MB
    growth = after - before
    values: dict[str, Any] = {
        "rss_mb": round(after, 1),
        "baseline_rss_mb": round(before, 1),
        "growth_mb": round(growth, 1),
        "ratio": round(after / before, 3),
        "customers": large,
        "baseline_customers": small,
        "through": "the desk core (identify, decide online, settle, deliver the outbox), "
        "in a process of its own",
        "customer_ms": round(result["seconds"] * 1000 / large, 2),
        "goal": GOAL,
        "met": growth < GOAL_MB,
    }
    return Figure(
        "memory",
        f"{after:.1f} MB after {large:,}",
        f"{before:.1f} MB after {small:,}",
        values,
    )
