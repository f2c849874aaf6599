"""What the desk knows about items and decisions, whoever made them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class ItemPath(StrEnum):
    """The four paths of the management list."""

    LEGALLY_CLEARED = "legally_cleared"
    CANCELLED = "cancelled"
    CREDIT = "credit"
    SUPERVISED = "supervised"


class OfflineMode(StrEnum):
    """What the desk does for an item when the platform cannot be reached."""

    COLLECT = "collect"
    PROVISIONAL = "provisional"


class Outcome(StrEnum):
    """Waive the deposit, collect it, or no deposit exists for this item."""

    WAIVE = "waive"
    COLLECT = "collect"
    NOT_REQUIRED = "not_required"


class DecisionSource(StrEnum):
    """Where a decision came from; part of the ``desk-app decide`` contract."""

    ONLINE = "online"
    CACHE = "cache"
    PROVISIONAL = "provisional"
    OFFLINE_COLLECT = "offline_collect"
    # Cancelled, legally cleared and supervised items: decided by the list, not by credit.
    LIST = "list"


@dataclass(frozen=True)
class Text:
    """A text in Chinese and English."""

    zh: str
    en: str


@dataclass(frozen=True)
class Item:
    """One item of the management list, as the platform serves it."""

    code: str
    name: Text
    path: ItemPath
    scenario: str
    min_score: int | None
    min_level: str | None
    standard_deposit_fen: int
    offline_mode: OfflineMode
    offline_cap_fen: int
    repayment_days: int
    emergency_path: bool
    decision_valid_hours: int
    definition: str = ""
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why, as a code and in words the clerk can say to the customer."""

    code: str
    text: Text


@dataclass(frozen=True)
class Decision:
    """A credit decision as the desk shows it, whoever made it.

    ``local_id`` is the desk's own id, also the platform ``request_id``;
    ``decision_id`` is the platform's, None until the platform has the decision.
    """

    local_id: str
    item_code: str
    outcome: Outcome
    source: DecisionSource
    amount_fen: int
    waived_fen: int
    decided_at: dt.datetime
    valid_until: dt.datetime
    decision_id: str | None = None
    score: int | None = None
    level: str | None = None
    threshold: int | None = None
    min_level: str | None = None
    emergency: bool = False
    reasons: tuple[Reason, ...] = field(default=())

    @property
    def collect_fen(self) -> int:
        """What is collected at the counter."""
        return self.amount_fen - self.waived_fen

    def age(self, now: dt.datetime) -> dt.timedelta:
        """How old the decision is at ``now``."""
        return now - self.decided_at
