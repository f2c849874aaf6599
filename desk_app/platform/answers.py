"""Read the platform's JSON answers into domain objects, or fail with a typed error.

Every field is checked for presence and type: a malformed answer becomes
:class:`PlatformBadAnswerError`, never a ``KeyError`` deep in the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from desk_app.domain.model import (
    Decision,
    DecisionSource,
    Item,
    ItemPath,
    OfflineMode,
    Outcome,
    Reason,
    Text,
)
from desk_app.platform.errors import PlatformBadAnswerError

T = TypeVar("T")

# What the desk can keep: SQLite integers are signed 64-bit, and money stays within the
# contract's bound (10^11 fen, as on requests). A number beyond these is a bad answer here,
# not an OverflowError when the answer is stored or dated.
_INT_LIMIT = 2**63
MAX_FEN = 10**11
# A repayment window or a validity longer than a century is no answer a desk can date.
MAX_DAYS = 36_600
MAX_HOURS = 24 * MAX_DAYS


def field(obj: Mapping[str, Any], name: str, kind: type[T], *, optional: bool = False) -> T:
    """``obj[name]`` checked to be of ``kind`` (``bool`` is never an ``int`` here).

    Raises:
        PlatformBadAnswerError: when missing or of another type.
    """
    if not isinstance(obj, Mapping):
        raise PlatformBadAnswerError(f"expected an object around {name!r}")
    if name not in obj or obj[name] is None:
        if optional:
            return None  # type: ignore[return-value]
        raise PlatformBadAnswerError(f"missing field {name!r}")
    value = obj[name]
    if kind is int and isinstance(value, bool):
        raise PlatformBadAnswerError(f"field {name!r} is a boolean, not an integer")
    if not isinstance(value, kind):
        raise PlatformBadAnswerError(
            f"field {name!r} is {type(value).__name__}, not {kind.__name__}"
        )
    if isinstance(value, int) and not -_INT_LIMIT <= value < _INT_LIMIT:
        raise PlatformBadAnswerError(f"field {name!r} is out of range")
    return value


def _time(obj: Mapping[str, Any], name: str) -> dt.datetime:
    text = field(obj, name, str)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise PlatformBadAnswerError(f"field {name!r} is not an ISO time") from exc
    if moment.tzinfo is None:
        raise PlatformBadAnswerError(f"field {name!r} has no UTC offset")
    return moment


def _text(obj: Mapping[str, Any], name: str) -> Text:
    value = field(obj, name, dict)
    return Text(field(value, "zh", str), field(value, "en", str))


def _enum(obj: Mapping[str, Any], name: str, kind: type[Any]) -> Any:
    try:
        return kind(field(obj, name, str))
    except ValueError as exc:
        raise PlatformBadAnswerError(f"field {name!r} has an unknown value") from exc


def _fen(obj: Mapping[str, Any], name: str) -> int:
    return _count(obj, name, MAX_FEN)


def _count(obj: Mapping[str, Any], name: str, maximum: int) -> int:
    """A whole number from 0 to ``maximum`` (money in fen, days, hours)."""
    value = field(obj, name, int)
    if value < 0:
        raise PlatformBadAnswerError(f"field {name!r} is negative")
    if value > maximum:
        raise PlatformBadAnswerError(f"field {name!r} is out of range")
    return value


def read_item(obj: Any) -> Item:
    """An item of ``GET /v1/items``."""
    policy = field(obj, "offline_policy", dict)
    conditions = field(obj, "conditions", list)
    return Item(
        code=field(obj, "code", str),
        name=_text(obj, "name"),
        path=_enum(obj, "path", ItemPath),
        scenario=field(obj, "scenario", str),
        min_score=field(obj, "min_score", int, optional=True),
        min_level=field(obj, "min_level", str, optional=True),
        standard_deposit_fen=_fen(obj, "standard_deposit_fen"),
        offline_mode=_enum(policy, "mode", OfflineMode),
        offline_cap_fen=_fen(policy, "cap_fen"),
        repayment_days=_count(obj, "repayment_days", MAX_DAYS),
        emergency_path=field(obj, "emergency_path", bool),
        decision_valid_hours=_count(obj, "decision_valid_hours", MAX_HOURS),
        definition=field(obj, "definition", str, optional=True) or "",
        conditions=tuple(str(c) for c in conditions),
    )


@dataclass(frozen=True)
class ItemList:
    """The management list and its version (the ETag)."""

    items: tuple[Item, ...]
    etag: str | None


def read_items(obj: Any, etag: str | None) -> ItemList:
    """The answer of ``GET /v1/items``.

    Raises:
        PlatformBadAnswerError: a malformed item, or one code listed twice (the desk keeps
            its list by code).
    """
    items = tuple(read_item(i) for i in field(obj, "items", list))
    codes = [item.code for item in items]
    if len(codes) != len(set(codes)):
        raise PlatformBadAnswerError("an item code is listed twice")
    return ItemList(items, etag)


def read_decision(obj: Any, local_id: str) -> Decision:
    """The answer of ``POST /v1/decisions``, as an online decision."""
    reasons = tuple(
        Reason(field(r, "code", str), _text(r, "text")) for r in field(obj, "reasons", list)
    )
    amount = _fen(obj, "amount_fen")
    waived = _fen(obj, "waived_fen")
    if waived > amount:
        raise PlatformBadAnswerError("waived_fen is more than amount_fen")
    return Decision(
        local_id=local_id,
        decision_id=field(obj, "decision_id", str),
        item_code=field(obj, "item_code", str),
        outcome=_enum(obj, "outcome", Outcome),
        source=DecisionSource.ONLINE,
        amount_fen=amount,
        waived_fen=waived,
        decided_at=_time(obj, "decided_at"),
        valid_until=_time(obj, "valid_until"),
        score=field(obj, "score", int, optional=True),
        level=field(obj, "level", str, optional=True),
        threshold=field(obj, "threshold", int, optional=True),
        min_level=field(obj, "min_level", str, optional=True),
        emergency=bool(field(obj, "emergency", bool, optional=True)),
        reasons=reasons,
    )


@dataclass(frozen=True)
class RemoteCase:
    """An open case the platform holds for this institution (maybe from another counter)."""

    decision: Decision
    counter_id: str
    state: str
    settlement_id: str | None


def read_cases(obj: Any) -> list[RemoteCase]:
    """The answer of ``GET /v1/cases`` or ``POST /v1/cases/search``."""
    cases = []
    for case in field(obj, "cases", list):
        decision = field(case, "decision", dict)
        settlement = field(case, "settlement", dict, optional=True)
        decision_id = field(decision, "decision_id", str)
        cases.append(
            RemoteCase(
                decision=read_decision(decision, local_id=decision_id),
                counter_id=field(case, "counter_id", str),
                state=field(case, "state", str),
                settlement_id=None
                if settlement is None
                else field(settlement, "settlement_id", str),
            )
        )
    return cases


@dataclass(frozen=True)
class Health:
    """The answer of ``GET /v1/health``."""

    mode: str
    version: str
    time: dt.datetime


def read_health(obj: Any) -> Health:
    """The answer of ``GET /v1/health``."""
    if field(obj, "status", str) != "ok":
        raise PlatformBadAnswerError("health status is not ok")
    return Health(field(obj, "mode", str), field(obj, "version", str), _time(obj, "time"))
