"""The public identity vectors in tests/vectors/identity.tsv, every row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from desk_app.identity import InvalidDocumentError, identify
from tests.conftest import VECTORS

# The vectors' expiry facts are relative to the real today; fix it so they stay true.
TODAY = dt.date(2026, 12, 3)


@dataclass(frozen=True)
class Vector:
    text: str
    expect: str
    kind: str
    number: str
    facts: dict[str, str]
    source: str


def load_vectors() -> list[Vector]:
    rows = []
    for line in (VECTORS / "identity.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        text, expect, kind, number, facts, source = line.split("\t")
        pairs = dict(pair.split("=", 1) for pair in facts.split())
        rows.append(Vector(text.replace("\\n", "\n"), expect, kind, number, pairs, source))
    return rows


VECTORS_ROWS = load_vectors()


def test_the_vector_file_is_complete() -> None:
    assert len(VECTORS_ROWS) >= 50
    assert {v.expect for v in VECTORS_ROWS} == {"accept", "reject"}


@pytest.mark.parametrize("vector", VECTORS_ROWS, ids=[v.source for v in VECTORS_ROWS])
def test_vector(vector: Vector) -> None:
    if vector.expect == "reject":
        with pytest.raises(InvalidDocumentError) as caught:
            identify(vector.text, today=TODAY)
        assert caught.value.problems
        for problem in caught.value.problems:
            assert problem.message_zh
            assert problem.message_en
        return
    document = identify(vector.text, today=TODAY)
    assert document.kind.value == vector.kind
    assert document.number == vector.number
    got = document.to_dict(TODAY)
    for key, value in vector.facts.items():
        expected: object = {"true": True, "false": False}.get(value, value)
        assert got[key] == expected, key
