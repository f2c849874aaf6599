"""Figures: statistics over timings, one printed line each, and the JSON file.

A figure is a value beside its baseline, measured in the same run, with their ratio and,
where the issue sets one, a goal and whether it was met. Units are in the key names
(``p50_ms``, ``total_s``, ``rss_mb``) so that the JSON reads without a legend.
"""

from __future__ import annotations

import errno
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk_app.errors import DeskError, Fault

# The contract of ``--json``: one key per figure, in this order (plus ``run``).
FIGURES = (
    "scan_to_decision",
    "offline_decision",
    "cold_start",
    "outbox_drain",
    "memory",
    "bundle",
)


class BenchError(DeskError):
    """The bench could not measure: its platform, a child process or the scratch folder failed."""

    fault = Fault.ENVIRONMENT

    def __init__(self, detail: str) -> None:
        super().__init__(f"性能测试无法完成：{detail}", f"The bench could not run: {detail}")
        self.detail = detail


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.5 is the median of an odd count).

    Nearest rank, not interpolation: the value reported is one that was measured.

    Raises:
        ValueError: no samples.
    """
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float) -> float:
    """Seconds as milliseconds, rounded to the microsecond."""
    return round(seconds * 1000, 3)


def ratio(value: float | None, baseline: float | None) -> float | None:
    """``value / baseline`` rounded to three places; None when either is missing or zero."""
    if value is None or not baseline:
        return None
    return round(value / baseline, 3)


@dataclass(frozen=True)
class Latencies:
    """The median and 95th percentile of timings and of their baseline, in seconds."""

    p50: float
    p95: float
    baseline_p50: float
    baseline_p95: float

    @classmethod
    def of(cls, samples: Sequence[float], baseline: Sequence[float]) -> Latencies:
        """From the timings and the baseline's (each at least one).

        Raises:
            ValueError: no samples on one side.
        """
        return cls(
            percentile(samples, 0.5),
            percentile(samples, 0.95),
            percentile(baseline, 0.5),
            percentile(baseline, 0.95),
        )

    @property
    def ratio(self) -> float | None:
        """The figure's ratio: p50 against the baseline's p50."""
        return ratio(self.p50, self.baseline_p50)

    def values(self) -> dict[str, Any]:
        """The JSON values, in milliseconds, with the ratios at p50 and p95."""
        return {
            "p50_ms": ms(self.p50),
            "p95_ms": ms(self.p95),
            "baseline_p50_ms": ms(self.baseline_p50),
            "baseline_p95_ms": ms(self.baseline_p95),
            "ratio": self.ratio,
            "ratio_p95": ratio(self.p95, self.baseline_p95),
        }

    def texts(self, places: int) -> tuple[str, str]:
        """The printed value and baseline, ``places`` decimals of a millisecond."""
        return (
            f"p50 {ms(self.p50):.{places}f} ms (p95 {ms(self.p95):.{places}f})",
            f"p50 {ms(self.baseline_p50):.{places}f} ms (p95 {ms(self.baseline_p95):.{places}f})",
        )


@dataclass
class Figure:
    """One measured figure.

    Attributes:
        name: the key in the JSON object (one of :data:`FIGURES`).
        value_text: the value as the printed line shows it.
        baseline_text: the baseline as the printed line shows it.
        values: the JSON object: values in named units, ``ratio``, ``goal``, ``met``.
    """

    name: str
    value_text: str
    baseline_text: str
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool | None:
        """Whether the goal was met; None when there is no goal or nothing was measured."""
        met = self.values.get("met")
        return met if isinstance(met, bool) else None

    def line(self) -> str:
        """The figure's printed line: name, value, baseline, ratio, goal."""
        rate = self.values.get("ratio")
        rate_text = "-" if rate is None else f"{rate:.2f}"
        verdict = {True: "met", False: "MISSED", None: "-"}[self.met]
        goal = self.values.get("goal") or "no goal"
        return (
            f"{self.name:<17} {self.value_text:<30} baseline {self.baseline_text:<30} "
            f"ratio {rate_text:>5}   goal {goal}: {verdict}"
        )


def document(figures: Sequence[Figure], run: dict[str, Any]) -> dict[str, Any]:
    """The ``--json`` object: one key per figure in :data:`FIGURES` order, then ``run``."""
    by_name = {f.name: f.values for f in figures}
    out: dict[str, Any] = {name: by_name[name] for name in FIGURES if name in by_name}
    out["run"] = run
    return out


def check_writable(path: Path) -> None:
    """Whether ``path`` can be written, leaving it as it was.

    Raises:
        OSError: it cannot (a folder, a missing or read-only folder, a device).
    """
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    existed = path.exists()
    with path.open("a", encoding="utf-8"):
        pass
    if not existed:
        path.unlink()


def write_json(path: Path, obj: dict[str, Any]) -> None:
    """Write the JSON object to ``path`` (UTF-8, indented for people).

    Raises:
        OSError: it could not be written.
    """
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
