"""Decisions by the tiered thresholds, every path, over real HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from desk_app.identity.checksums import mod11_2_check
from desk_app.training_platform.server import EmbeddedPlatform
from tests.integration.conftest import Client, decision_body

AT_1000 = "371602198601115150"
AT_950 = "360426199101010071"
AT_949 = "11010219840406970X"
AT_999 = "44011320141005001X"
OVERDUE = "37160219900307123" + mod11_2_check("37160219900307123")
NOT_A_RESIDENT = "37160219700101001" + mod11_2_check("37160219700101001")


@pytest.mark.parametrize(
    ("institution", "item", "number", "outcome", "level"),
    [
        ("training-library", "BZ-CR-03", AT_949, "collect", "B"),
        ("training-library", "BZ-CR-03", AT_950, "waive", "A"),
        ("training-parking", "BZ-CR-04", AT_950, "waive", "A"),
        ("training-hotel", "BZ-CR-02", AT_999, "collect", "A"),
        ("training-hotel", "BZ-CR-02", AT_1000, "waive", "AA"),
        ("training-hospital", "BZ-CR-01", AT_999, "collect", "A"),
        ("training-hospital", "BZ-CR-01", AT_1000, "waive", "AA"),
        ("training-apartment", "BZ-CR-05", AT_949, "collect", "B"),
        ("training-apartment", "BZ-CR-05", AT_950, "waive", "A"),
    ],
)
def test_thresholds_at_exactly_949_950_999_1000(
    platform: EmbeddedPlatform, institution: str, item: str, number: str, outcome: str, level: str
) -> None:
    client = Client(platform.url, institution)
    decision = client.decide(item, number, amount_fen=30000)
    assert decision["outcome"] == outcome
    assert decision["level"] == level
    assert decision["threshold"] in (950, 1000)
    assert decision["waived_fen"] == (30000 if outcome == "waive" else 0)
    assert decision["collect_fen"] == 30000 - decision["waived_fen"]
    code = "score_meets_threshold" if outcome == "waive" else "score_below_threshold"
    assert [r["code"] for r in decision["reasons"]] == [code]
    assert str(decision["score"]) in decision["reasons"][0]["text"]["zh"]


def test_a_decision_carries_everything_the_desk_shows(hospital: Client) -> None:
    decision = hospital.decide("BZ-CR-01", AT_1000, amount_fen=500000)
    assert decision["subject"] == {"kind": "resident_id", "masked": "3716**********5150"}
    assert AT_1000 not in str(decision)
    decided = dt.datetime.fromisoformat(decision["decided_at"])
    valid_until = dt.datetime.fromisoformat(decision["valid_until"])
    assert decided.utcoffset() == dt.timedelta(hours=8)
    assert valid_until - decided == dt.timedelta(hours=24)
    assert decision["min_level"] == "AA"
    assert decision["decision_id"]


def test_cancelled_items_are_not_required_without_a_credit_check(hospital: Client) -> None:
    decision = hospital.decide("BZ-CA-01", AT_949, amount_fen=300000, commitment=None)
    assert decision["outcome"] == "not_required"
    assert decision["score"] is None
    assert decision["threshold"] is None
    assert decision["waived_fen"] == 300000
    assert decision["reasons"][0]["code"] == "item_cancelled"


def test_legally_cleared_items_are_not_required(platform: EmbeddedPlatform) -> None:
    utility = Client(platform.url, "training-utility")
    decision = utility.decide("BZ-LC-02", AT_949, amount_fen=30000, commitment=None)
    assert decision["outcome"] == "not_required"
    assert decision["reasons"][0]["code"] == "item_legally_cleared"


def test_supervised_items_are_still_collected(hospital: Client) -> None:
    decision = hospital.decide("BZ-SV-01", AT_1000, amount_fen=50000, commitment=None)
    assert decision["outcome"] == "collect"
    assert decision["collect_fen"] == 50000
    assert decision["reasons"][0]["code"] == "supervised_item"


def test_no_credit_archive_means_collect(hospital: Client) -> None:
    decision = hospital.decide("BZ-CR-01", NOT_A_RESIDENT)
    assert decision["outcome"] == "collect"
    assert decision["reasons"][0]["code"] == "no_archive"


def test_an_overdue_deferred_settlement_means_collect(hospital: Client) -> None:
    decision = hospital.decide("BZ-CR-01", OVERDUE)
    assert decision["score"] >= 1000
    assert decision["outcome"] == "collect"
    assert decision["reasons"][0]["code"] == "overdue_settlement"


def test_an_emergency_admission_is_never_refused_for_credit(hospital: Client) -> None:
    decision = hospital.decide("BZ-CR-01", AT_949, emergency=True, commitment=None)
    assert decision["outcome"] == "waive"
    assert decision["emergency"] is True
    assert decision["reasons"][0]["code"] == "emergency"


def test_an_emergency_on_an_item_without_that_path_is_refused(platform: EmbeddedPlatform) -> None:
    hotel = Client(platform.url, "training-hotel")
    answer = hotel.post("/v1/decisions", decision_body("BZ-CR-02", AT_1000, 100, emergency=True))
    assert answer.status_code == 422
    assert answer.json()["code"] == "emergency_not_available"


def test_a_credit_item_needs_the_signed_commitment(hospital: Client) -> None:
    answer = hospital.post(
        "/v1/decisions", decision_body("BZ-CR-01", AT_1000, 100, commitment=None)
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "commitment_required"
    assert problem["errors"][0]["field"] == "commitment"


def test_a_bad_identity_number_is_a_422_with_the_reason(hospital: Client) -> None:
    answer = hospital.post("/v1/decisions", decision_body("BZ-CR-01", "371602198601115151", 100))
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "invalid_subject"
    assert problem["errors"][0]["field"] == "subject.number"
    assert problem["errors"][0]["position"] == 18
    assert "校验码" in problem["message"]["zh"]


def test_the_subject_kind_must_match_the_number(hospital: Client) -> None:
    body = decision_body("BZ-CR-01", AT_1000, 100, kind="uscc")
    answer = hospital.post("/v1/decisions", body)
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_subject"


def test_an_item_of_another_institution_kind_is_forbidden(hospital: Client) -> None:
    answer = hospital.post("/v1/decisions", decision_body("BZ-CR-02", AT_1000, 100))
    assert answer.status_code == 403
    assert answer.json()["code"] == "item_not_served"


def test_an_unknown_item_is_a_field_error(hospital: Client) -> None:
    answer = hospital.post("/v1/decisions", decision_body("NOPE", AT_1000, 100))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "item_code"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount_fen", "123.45"),
        ("amount_fen", 123.45),
        ("amount_fen", -1),
        ("amount_fen", True),
        ("counter_id", ""),
        ("operator_id", "x" * 65),
        ("item_code", None),
        ("unexpected", 1),
    ],
)
def test_wrong_shapes_are_field_errors(hospital: Client, field: str, value: Any) -> None:
    body = decision_body("BZ-CR-01", AT_1000, 100)
    body[field] = value
    answer = hospital.post("/v1/decisions", body)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "validation_failed"
    assert field in [error["field"] for error in problem["errors"]]


def test_the_body_counter_must_be_the_calling_counter(hospital: Client) -> None:
    answer = hospital.post("/v1/decisions", decision_body("BZ-CR-01", AT_1000, 100, "C-99"))
    assert answer.status_code == 422
    assert answer.json()["code"] == "counter_mismatch"


def test_a_request_id_makes_a_decision_idempotent(hospital: Client) -> None:
    body = decision_body(
        "BZ-CR-01", AT_1000, 100, request_id="5a7d8c1e-8f20-4a44-9a2f-0d6e0e0f1a11"
    )
    first = hospital.post("/v1/decisions", body)
    again = hospital.post("/v1/decisions", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    changed = hospital.post("/v1/decisions", {**body, "amount_fen": 200})
    assert changed.status_code == 409
    assert changed.json()["code"] == "idempotency_conflict"


def test_a_commitment_signed_in_the_future_is_refused(hospital: Client) -> None:
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    body = decision_body("BZ-CR-01", AT_1000, 100)
    body["commitment"]["signed_at"] = future
    answer = hospital.post("/v1/decisions", body)
    assert answer.status_code == 422
    assert answer.json()["code"] == "commitment_in_future"
