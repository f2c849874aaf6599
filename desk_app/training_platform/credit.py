"""Credit rules: levels from score bands, thresholds, and how settlements move a score.

Illustrative rules for training, documented in ``docs/platform-api.md``. They are
deterministic: the same history always gives the same score.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Level(StrEnum):
    """The six public credit levels."""

    AAA = "AAA"
    AA = "AA"
    A = "A"
    B = "B"
    C = "C"
    D = "D"


# (lowest score of the band, level), highest band first.
LEVEL_BANDS: tuple[tuple[int, Level], ...] = (
    (1050, Level.AAA),
    (1000, Level.AA),
    (950, Level.A),
    (900, Level.B),
    (800, Level.C),
    (0, Level.D),
)
MIN_SCORE = 0
MAX_SCORE = 1200


def level_of(score: int) -> Level:
    """The level of a score: AAA 1050+, AA 1000-1049, A 950-999, B 900-949, C 800-899, D below."""
    for lowest, level in LEVEL_BANDS:
        if score >= lowest:
            return level
    return Level.D


def min_level_for(threshold: int) -> Level:
    """The lowest level whose whole band meets ``threshold`` (1000 -> AA, 950 -> A)."""
    return level_of(threshold)


class SettlementOutcome(StrEnum):
    """How a settlement ended, as far as credit is concerned."""

    PAID = "paid"  # settled at the counter, or a deferred amount paid by its due date
    PAID_LATE = "paid_late"
    DEFAULTED = "defaulted"


# Fulfilment raises a little; lateness lowers; default lowers a lot (enough to drop a
# 1000-point resident below every threshold).
SCORE_CHANGE: Mapping[SettlementOutcome, int] = {
    SettlementOutcome.PAID: 5,
    SettlementOutcome.PAID_LATE: -20,
    SettlementOutcome.DEFAULTED: -120,
}


def apply(score: int, outcome: SettlementOutcome) -> int:
    """The score after ``outcome``, kept within bounds."""
    return max(MIN_SCORE, min(MAX_SCORE, score + SCORE_CHANGE[outcome]))
