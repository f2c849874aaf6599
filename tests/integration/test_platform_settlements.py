"""Settlements: idempotent on their id, one per case, and they move credit."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
import requests

from desk_app.identity.checksums import mod11_2_check
from desk_app.training_platform.server import EmbeddedPlatform
from tests.integration.conftest import TIMEOUT, Client, settlement_body

AT_1000 = "371602198601115150"
AT_950 = "360426199101010071"
CHINA = dt.timezone(dt.timedelta(hours=8))


def today() -> dt.date:
    return dt.datetime.now(CHINA).date()


def test_a_settlement_is_recorded_and_paid_on_time_raises_the_score(hospital: Client) -> None:
    decision = hospital.decide("BZ-CR-01", AT_1000)
    answer = hospital.settle(decision["decision_id"])
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "settled"
    assert body["self_pay_fen"] == 370350
    assert body["credit"] == {
        "score_before": 1000,
        "score_after": 1005,
        "level_before": "AA",
        "level_after": "AA",
    }


def test_the_same_settlement_id_twice_returns_the_first_result(hospital: Client) -> None:
    decision = hospital.decide("BZ-CR-01", AT_1000)
    body = settlement_body(decision["decision_id"])
    first = hospital.post("/v1/settlements", body)
    again = hospital.post("/v1/settlements", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    # Credit moved once, not twice.
    assert again.json()["credit"]["score_after"] == 1005


def test_the_same_settlement_id_with_another_body_is_a_conflict(hospital: Client) -> None:
    decision = hospital.decide("BZ-CR-01", AT_1000)
    body = settlement_body(decision["decision_id"])
    assert hospital.post("/v1/settlements", body).status_code == 201
    changed = hospital.post("/v1/settlements", {**body, "method": "cash"})
    assert changed.status_code == 409
    assert changed.json()["code"] == "idempotency_conflict"


def test_a_second_settlement_for_the_same_case_is_a_conflict(hospital: Client) -> None:
    decision = hospital.decide("BZ-CR-01", AT_1000)
    assert hospital.settle(decision["decision_id"]).status_code == 201
    second = hospital.settle(decision["decision_id"])
    assert second.status_code == 409
    assert second.json()["code"] == "already_settled"


def test_two_threads_sending_the_same_settlement_make_one_record(
    platform: EmbeddedPlatform, hospital: Client
) -> None:
    decision = hospital.decide("BZ-CR-01", AT_1000)
    body = settlement_body(decision["decision_id"])
    start = threading.Barrier(8)
    results: list[tuple[int, dict[str, object]]] = []
    lock = threading.Lock()

    def send() -> None:
        session = requests.Session()
        start.wait(timeout=10)
        answer = session.post(
            hospital.base_url + "/v1/settlements",
            json=body,
            headers=hospital.headers(),
            timeout=TIMEOUT,
        )
        with lock:
            results.append((answer.status_code, answer.json()))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 7 + [201]
    assert len({str(answer) for _, answer in results}) == 1
    rows = platform.app.state.service.db.read_all(
        "SELECT settlement_id FROM settlements WHERE decision_id = ?", (decision["decision_id"],)
    )
    assert len(rows) == 1
    history = platform.app.state.service.db.read_all(
        "SELECT * FROM score_history WHERE reference = ?", (body["settlement_id"],)
    )
    assert len(history) == 1


def test_a_default_lowers_credit_enough_to_flip_the_next_decision(
    platform: EmbeddedPlatform,
) -> None:
    hotel = Client(platform.url, "training-hotel")
    decision = hotel.decide("BZ-CR-02", AT_1000, amount_fen=50000)
    assert decision["outcome"] == "waive"
    deferred = hotel.settle(
        decision["decision_id"],
        status="deferred",
        due_date=(today() + dt.timedelta(days=3)).isoformat(),
        total_fen=58800,
        insurance_fen=0,
        self_pay_fen=58800,
        paid_fen=0,
        method="none",
    )
    assert deferred.status_code == 201, deferred.text
    assert deferred.json()["credit"] is None  # nothing moves until it ends
    update = hotel.post(
        f"/v1/settlements/{deferred.json()['settlement_id']}/updates",
        {
            "update_id": str(uuid.uuid4()),
            "outcome": "defaulted",
            "paid_fen": 0,
            "counter_id": hotel.counter,
            "operator_id": "op-7",
        },
    )
    assert update.status_code == 201, update.text
    assert update.json()["credit"]["score_after"] == 880
    assert update.json()["credit"]["level_after"] == "C"
    again = hotel.decide("BZ-CR-02", AT_1000, amount_fen=50000)
    assert again["outcome"] == "collect"
    assert again["score"] == 880


@pytest.mark.parametrize(("outcome", "score_after"), [("paid", 955), ("paid_late", 930)])
def test_paying_a_deferred_amount_late_lowers_on_time_raises(
    platform: EmbeddedPlatform, outcome: str, score_after: int
) -> None:
    library = Client(platform.url, "training-library")
    decision = library.decide("BZ-CR-03", AT_950, amount_fen=20000)
    deferred = library.settle(
        decision["decision_id"],
        status="deferred",
        due_date=today().isoformat(),
        total_fen=1500,
        insurance_fen=0,
        self_pay_fen=1500,
        paid_fen=0,
        method="none",
    )
    paid_on = today()
    if outcome == "paid_late":
        # Two days pass on the platform's clock before the customer pays.
        platform.knobs.clock_offset_seconds = 2 * 86400
        paid_on = today() + dt.timedelta(days=2)
    update_body = {
        "update_id": str(uuid.uuid4()),
        "outcome": outcome,
        "paid_fen": 1500,
        "paid_on": paid_on.isoformat(),
        "counter_id": library.counter,
        "operator_id": "op-7",
    }
    path = f"/v1/settlements/{deferred.json()['settlement_id']}/updates"
    wrong = "paid" if outcome == "paid_late" else "paid_late"
    refused = library.post(path, {**update_body, "outcome": wrong, "update_id": str(uuid.uuid4())})
    assert refused.json()["code"] == ("paid_after_due_date" if wrong == "paid" else "paid_on_time")
    first = library.post(path, update_body)
    assert first.json()["credit"]["score_after"] == score_after
    replay = library.post(path, update_body)
    assert replay.status_code == 200
    assert replay.json() == first.json()
    final = library.post(path, {**update_body, "update_id": str(uuid.uuid4())})
    assert final.status_code == 409
    assert final.json()["code"] == "already_final"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"total_fen": 1}, "amounts_do_not_add_up"),
        ({"paid_fen": 370351}, "paid_more_than_self_pay"),
        ({"paid_fen": 0}, "balance_left"),
        ({"status": "deferred", "paid_fen": 0}, "due_date_required"),
        (
            {"status": "deferred", "paid_fen": 0, "due_date": "2000-01-01"},
            "due_date_outside_window",
        ),
        (
            {"status": "deferred", "paid_fen": 0, "due_date": "2999-01-01"},
            "due_date_outside_window",
        ),
        ({"due_date": "2999-01-01"}, "due_date_not_allowed"),
        ({"status": "deferred", "due_date": dt.date.today().isoformat()}, "nothing_deferred"),
        ({"paid_fen": 1.5}, "validation_failed"),
        ({"settlement_id": "not-a-uuid"}, "validation_failed"),
        ({"method": "bitcoin"}, "validation_failed"),
    ],
)
def test_amounts_and_dates_that_cannot_be_right_are_refused(
    hospital: Client, fields: dict[str, object], code: str
) -> None:
    decision = hospital.decide("BZ-CR-01", AT_1000)
    answer = hospital.settle(decision["decision_id"], **fields)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == code


def test_a_deferral_recorded_days_ago_is_judged_by_the_day_it_was_recorded(
    hospital: Client,
) -> None:
    """Found by filling a month of records: a deferral recorded offline, delivered after
    its due date, was refused for good (its due date was "before today")."""
    decision = hospital.decide("BZ-CR-01", AT_1000)
    deferred = {"status": "deferred", "paid_fen": 0, "method": "none"}
    recorded = today() - dt.timedelta(days=3)
    answer = hospital.settle(
        decision["decision_id"],
        **deferred,
        settled_on=recorded.isoformat(),
        due_date=(today() - dt.timedelta(days=1)).isoformat(),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["settled_on"] == recorded.isoformat()


@pytest.mark.parametrize(
    ("settled_on", "due_in_days", "code"),
    [
        (2, 3, "settled_on_in_future"),
        (-3, -4, "due_date_outside_window"),  # due before the day it was recorded
    ],
)
def test_a_settlement_day_that_cannot_be_right_is_refused(
    hospital: Client, settled_on: int, due_in_days: int, code: str
) -> None:
    decision = hospital.decide("BZ-CR-01", AT_1000)
    answer = hospital.settle(
        decision["decision_id"],
        status="deferred",
        paid_fen=0,
        method="none",
        settled_on=(today() + dt.timedelta(days=settled_on)).isoformat(),
        due_date=(today() + dt.timedelta(days=due_in_days)).isoformat(),
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == code


def test_a_settlement_for_an_unknown_decision_is_404(hospital: Client) -> None:
    answer = hospital.settle(str(uuid.uuid4()))
    assert answer.status_code == 404


def test_another_institution_cannot_settle_my_case(platform: EmbeddedPlatform) -> None:
    hospital = Client(platform.url, "training-hospital")
    hotel = Client(platform.url, "training-hotel")
    decision = hospital.decide("BZ-CR-01", AT_1000)
    assert hotel.settle(decision["decision_id"]).status_code == 404


def test_open_cases_are_seen_from_another_counter_until_settled(
    platform: EmbeddedPlatform,
) -> None:
    admission = Client(platform.url, "training-hospital", counter="ADMISSION")
    discharge = Client(platform.url, "training-hospital", counter="DISCHARGE")
    decision = admission.decide("BZ-CR-01", AT_1000)
    cases = discharge.get("/v1/cases", params={"subject": AT_1000}).json()["cases"]
    assert [c["decision"]["decision_id"] for c in cases] == [decision["decision_id"]]
    assert cases[0]["state"] == "open"
    assert cases[0]["counter_id"] == "ADMISSION"
    searched = discharge.post(
        "/v1/cases/search", {"subject": {"kind": "resident_id", "number": AT_1000}}
    ).json()["cases"]
    assert searched == cases
    assert discharge.settle(decision["decision_id"]).status_code == 201
    assert discharge.get("/v1/cases", params={"subject": AT_1000}).json()["cases"] == []
    searched = discharge.post(
        "/v1/cases/search", {"subject": {"kind": "resident_id", "number": AT_1000}}
    )
    assert searched.status_code == 200
    assert searched.json()["cases"] == []
    hotel = Client(platform.url, "training-hotel")
    assert hotel.get("/v1/cases", params={"subject": AT_1000}).json()["cases"] == []


def test_a_deferred_case_stays_open_as_deferred(hospital: Client) -> None:
    overdue = "37160219900307123" + mod11_2_check("37160219900307123")
    cases = hospital.get("/v1/cases", params={"subject": overdue}).json()["cases"]
    assert [c["state"] for c in cases] == ["deferred"]
    assert cases[0]["settlement"]["due_date"] < today().isoformat()


def test_cases_need_a_valid_number(hospital: Client) -> None:
    answer = hospital.get("/v1/cases", params={"subject": "12345"})
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_subject"


def test_monthly_reports_are_idempotent_per_month_and_revision(hospital: Client) -> None:
    month = (today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    item = {
        "item_code": "BZ-CR-01",
        "decisions_waive": 12,
        "decisions_collect": 3,
        "decisions_not_required": 0,
        "waived_fen": 6000000,
        "settlements_on_time": 10,
        "settlements_late": 1,
        "settlements_defaulted": 0,
        "settlements_open": 4,
        "provisional_granted": 2,
        "provisional_refused": 1,
        "supervised_collected_fen": 0,
        "supervised_refunded_fen": 0,
    }
    body = {"month": month, "counter_id": hospital.counter, "operator_id": "op-7", "items": [item]}
    first = hospital.post("/v1/reports/monthly", body)
    again = hospital.post("/v1/reports/monthly", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    changed = hospital.post(
        "/v1/reports/monthly", {**body, "items": [{**item, "decisions_waive": 13}]}
    )
    assert changed.status_code == 409
    assert changed.json()["code"] == "report_conflict"
    revised = hospital.post(
        "/v1/reports/monthly", {**body, "revision": 2, "items": [{**item, "decisions_waive": 13}]}
    )
    assert revised.status_code == 201
    assert revised.json()["revision"] == 2
    future = hospital.post("/v1/reports/monthly", {**body, "month": "2999-01"})
    assert future.status_code == 422


def test_settling_a_collected_deposit_does_not_move_credit(platform: EmbeddedPlatform) -> None:
    library = Client(platform.url, "training-library")
    decision = library.decide("BZ-CR-03", "11010219840406970X", amount_fen=20000)
    assert decision["outcome"] == "collect"
    answer = library.settle(
        decision["decision_id"], total_fen=500, insurance_fen=0, self_pay_fen=500, paid_fen=500
    )
    assert answer.json()["credit"] is None


def test_an_item_without_a_repayment_window_cannot_be_deferred(hospital: Client) -> None:
    decision = hospital.decide("BZ-CA-02", AT_1000, amount_fen=1000, commitment=None)
    answer = hospital.settle(
        decision["decision_id"], status="deferred", paid_fen=0, due_date=today().isoformat()
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "deferral_not_available"


def test_a_payment_update_must_match_what_was_owed(platform: EmbeddedPlatform) -> None:
    library = Client(platform.url, "training-library")
    decision = library.decide("BZ-CR-03", AT_950, amount_fen=20000)
    deferred = library.settle(
        decision["decision_id"],
        status="deferred",
        due_date=today().isoformat(),
        total_fen=1500,
        insurance_fen=0,
        self_pay_fen=1500,
        paid_fen=500,
        method="cash",
    ).json()
    path = f"/v1/settlements/{deferred['settlement_id']}/updates"

    def update(**fields: object) -> requests.Response:
        body = {
            "update_id": str(uuid.uuid4()),
            "outcome": "paid",
            "paid_fen": 1000,
            "counter_id": library.counter,
            "operator_id": "op-7",
        }
        return library.post(path, {**body, **fields})

    assert update(paid_fen=1001).json()["code"] == "paid_more_than_owed"
    assert update(paid_fen=999, paid_on=today().isoformat()).json()["code"] == "not_paid_in_full"
    assert update().json()["code"] == "paid_on_required"
    late = (today() + dt.timedelta(days=1)).isoformat()
    assert update(paid_on=late).json()["code"] in ("paid_after_due_date", "paid_on_in_future")
    assert update(outcome="defaulted").json()["code"] == "nothing_defaulted"
    assert update(paid_on=today().isoformat()).status_code == 201


def test_the_same_report_from_another_counter_is_a_replay(platform: EmbeddedPlatform) -> None:
    month = (today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    first = Client(platform.url, "training-parking", counter="GATE-1")
    second = Client(platform.url, "training-parking", counter="GATE-2")
    body = {"month": month, "operator_id": "op-7", "items": []}
    assert first.post("/v1/reports/monthly", {**body, "counter_id": "GATE-1"}).status_code == 201
    again = second.post("/v1/reports/monthly", {**body, "counter_id": "GATE-2"})
    assert again.status_code == 200
    current = second.post(
        "/v1/reports/monthly", {**body, "counter_id": "GATE-2", "month": today().strftime("%Y-%m")}
    )
    assert current.status_code == 422
    assert current.json()["code"] == "month_not_over"


def test_a_passport_holder_is_sent_as_the_whole_zone(platform: EmbeddedPlatform) -> None:
    hotel = Client(platform.url, "training-hotel")
    zone = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    )
    decision = hotel.decide("BZ-CR-02", zone, kind="mrz")
    assert decision["subject"] == {"kind": "mrz", "masked": "L8*****C3"}
    assert decision["reasons"][0]["code"] == "no_archive"
    bad = hotel.post(
        "/v1/decisions",
        {
            "item_code": "BZ-CR-02",
            "subject": {"kind": "mrz", "number": "L898902C3"},
            "amount_fen": 100,
            "counter_id": hotel.counter,
            "operator_id": "op-7",
            "commitment": {"signed_at": "2026-01-01T00:00:00+08:00", "channel": "paper"},
        },
    )
    assert bad.status_code == 422


def test_paying_late_a_collected_deposit_moves_no_credit(platform: EmbeddedPlatform) -> None:
    library = Client(platform.url, "training-library")
    decision = library.decide("BZ-CR-03", "11010219840406970X", amount_fen=20000)
    deferred = library.settle(
        decision["decision_id"],
        status="deferred",
        due_date=today().isoformat(),
        total_fen=800,
        insurance_fen=0,
        self_pay_fen=800,
        paid_fen=0,
        method="none",
    ).json()
    update = library.post(
        f"/v1/settlements/{deferred['settlement_id']}/updates",
        {
            "update_id": str(uuid.uuid4()),
            "outcome": "paid",
            "paid_fen": 800,
            "paid_on": today().isoformat(),
            "counter_id": library.counter,
            "operator_id": "op-7",
        },
    )
    assert update.status_code == 201
    assert update.json()["credit"] is None
