"""Hypothesis strategies for JSON a server could send: any shape, edge-case values.

Shared by the fuzz tests of the platform's answers (the readers alone, and the client and
the desk over HTTP).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

# Numbers at the edges of what JSON carries and SQLite keeps, texts the readers parse.
json_scalars: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "2026-06-01T10:00:00+08:00",
            "2026-06-01T10:00:00",
            "9999-12-31T23:59:59+14:00",
            "0001-01-01T00:00:00-12:00",
            "waive",
            "collect",
            "not_required",
            "credit",
            "provisional",
            "cancelled",
            "ok",
            "training",
        ]
    ),
)
json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)

GOOD_DECISION: dict[str, Any] = {
    "decision_id": "D-1",
    "request_id": "R-1",
    "item_code": "BZ-CR-01",
    "outcome": "waive",
    "amount_fen": 500000,
    "waived_fen": 500000,
    "decided_at": "2026-06-01T10:00:00+08:00",
    "valid_until": "2026-06-02T10:00:00+08:00",
    "score": 1000,
    "level": "AAA",
    "threshold": 1000,
    "min_level": "AAA",
    "emergency": False,
    "reasons": [{"code": "score_ok", "text": {"zh": "信用良好", "en": "Good credit"}}],
}
GOOD_ITEM: dict[str, Any] = {
    "code": "BZ-CR-01",
    "name": {"zh": "住院押金", "en": "Admission deposit"},
    "path": "credit",
    "scenario": "medical",
    "min_score": 1000,
    "min_level": "AAA",
    "standard_deposit_fen": 500000,
    "offline_policy": {"mode": "provisional", "cap_fen": 2000000},
    "repayment_days": 30,
    "emergency_path": True,
    "decision_valid_hours": 24,
    "definition": "",
    "conditions": ["x"],
}


@st.composite
def mutated(draw: st.DrawFn, good: dict[str, Any]) -> Any:
    """A good answer with fields removed, replaced by anything, or wrapped wrongly."""
    answer: Any = json.loads(json.dumps(good))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        key = draw(st.sampled_from(sorted(good)))
        action = draw(st.integers(min_value=0, max_value=3))
        if action == 0:
            answer.pop(key, None)
        elif action in (1, 2):
            answer[key] = draw(json_values)
        else:
            answer = draw(st.sampled_from([[answer], {"answer": answer}, answer]))
            if not isinstance(answer, dict):
                break
    return answer
