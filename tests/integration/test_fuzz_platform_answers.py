"""Fuzzing the platform client over real HTTP: any answer is read or becomes a typed error.

A server (tests/support/answer_server.py) sends whatever hypothesis draws: any status,
headers the client reads (``Retry-After``, ``ETag``), any bytes, JSON of any shape, and
nearly-right answers with one field wrong. The client may return, or raise one of its
:class:`~desk_app.platform.errors.PlatformError`\\ s, nothing else. One level up, a desk
that decides, refreshes its item list and adopts cases on such answers raises only
:class:`~desk_app.errors.DeskError`\\ s, and what it did record reads back.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desk_app.app import Desk, open_desk
from desk_app.domain.model import DecisionSource, ItemPath
from desk_app.errors import DeskError
from desk_app.identity import identify
from desk_app.platform.client import PlatformClient, PlatformConfig
from desk_app.platform.errors import PlatformError
from desk_app.secrets import CLIENT_ID, CLIENT_SECRET, MemorySecrets
from desk_app.services.decisions import decision_from_json
from desk_app.sync import outbox
from desk_app.sync.outbox import MAX_BAD_ANSWERS
from tests.integration.desk_fixtures import ask
from tests.support.answer_server import TOKEN, Answer, Script, answer_server
from tests.support.json_strategies import GOOD_DECISION, GOOD_ITEM, json_values, mutated
from tests.support.outcomes import result_or_error

# Each example is one or a few HTTP round trips on the loopback: keep the counts modest.
HTTP_FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
AT_1000 = "371602198601115150"
AT_950 = "360426199101010071"

# Bodies that broke JSON readers elsewhere: deep nesting (RecursionError), numbers JSON
# allows but Python turns into inf, bytes that are no UTF-8, a body cut short.
NASTY_BODIES = [
    b"[" * 5_000,
    b'{"a":' * 5_000,
    b"1e999",
    b"-Infinity",
    b"NaN",
    b'{"decision_id": "',
    b"\xff\xfe\x00{",
    "{}".encode("utf-16"),
    b"",
    b"null",
    b'{"items": [], "cases": [], "status": "ok"}',
]


def encoded(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


bodies = st.one_of(
    st.sampled_from(NASTY_BODIES),
    st.binary(max_size=200),
    json_values.map(encoded),
    mutated(GOOD_DECISION).map(encoded),
    mutated({"items": [GOOD_ITEM]}).map(encoded),
    mutated({"cases": [{"decision": GOOD_DECISION, "counter_id": "C", "state": "open"}]}).map(
        encoded
    ),
    mutated({"code": "x", "message": {"zh": "不", "en": "no"}, "errors": []}).map(encoded),
)
statuses = st.one_of(
    st.sampled_from([200, 201, 204, 304, 400, 401, 404, 409, 422, 429, 500, 502, 503]),
    st.integers(min_value=200, max_value=599),
)
content_types = st.sampled_from(
    [
        "application/json",
        "application/problem+json",
        "text/html",
        "application/json; charset=latin-1",
    ]
)
retry_afters = st.sampled_from(
    [None, "0", "0.001", "-1", "nan", "inf", "1e400", "Wed, 21 Oct 2015 07:28:00 GMT", "x"]
)


@st.composite
def answers(draw: st.DrawFn, retry_after: bool = True) -> Answer:
    headers = [("Content-Type", draw(content_types))]
    value = draw(retry_afters) if retry_after else None
    if value is not None:
        headers.append(("Retry-After", value))
    if draw(st.booleans()):
        headers.append(("ETag", draw(st.text(alphabet="abc\"'W/ 0", max_size=8))))
    return Answer(draw(statuses), draw(bodies), tuple(headers))


@pytest.fixture
def stub() -> Iterator[tuple[str, Script]]:
    with answer_server() as served:
        yield served


def client_for(url: str) -> PlatformClient:
    """A client that tries once and never pauses: each example is one round trip."""
    secrets = MemorySecrets()
    secrets.set(CLIENT_ID, "training-hospital")
    secrets.set(CLIENT_SECRET, "training-hospital-secret")
    config = PlatformConfig(
        base_url=url, counter_id="C-01", attempts=1, backoff_s=0.0, read_timeout_s=5.0
    )
    return PlatformClient(config, secrets)


def every_call(client: PlatformClient) -> None:
    """Each call of the contract once; each returns or raises a PlatformError."""
    body = {"request_id": "R-1", "settlement_id": "S-1", "item_code": "BZ-CR-01"}
    calls = [
        lambda: client.health(),
        lambda: client.items(),
        lambda: client.items('"etag"'),
        lambda: client.decide(body, attempts=1),
        lambda: client.open_cases("resident_id", AT_1000),
        lambda: client.settle(body, attempts=1),
        lambda: client.update_settlement("S-1", body, attempts=1),
        lambda: client.submit_report(body, attempts=1),
    ]
    for call in calls:
        outcome = result_or_error(call, PlatformError)
        if isinstance(outcome, PlatformError):
            assert outcome.message_zh
            assert outcome.message_en


@HTTP_FUZZ
@given(answers())
@example(Answer(200, b"[" * 5_000))
@example(Answer(401, b"{}"))
@example(Answer(503, b"{}", (("Retry-After", "1e400"),)))
def test_any_answer_to_any_call_is_read_or_a_platform_error(
    stub: tuple[str, Script], answer: Answer
) -> None:
    url, script = stub
    script.fallback = answer
    every_call(client_for(url))


@HTTP_FUZZ
@given(answers())
@example(Answer(200, encoded({**json.loads(TOKEN.body), "expires_in": 10**400})))
@example(Answer(200, encoded({**json.loads(TOKEN.body), "access_token": 7})))
def test_any_token_answer_is_read_or_a_platform_error(
    stub: tuple[str, Script], answer: Answer
) -> None:
    url, script = stub
    script.by_path["/v1/token"] = answer
    script.fallback = Answer.json(GOOD_DECISION, 201)
    every_call(client_for(url))


# --- One level up: a desk on such answers ------------------------------------------------


@pytest.fixture
def stub_desk(tmp_path: Path, stub: tuple[str, Script]) -> Iterator[tuple[Desk, Script]]:
    """A desk on the answer server; its item list is the contract's example."""
    url, script = stub
    script.by_path["/v1/items"] = Answer.json({"items": [GOOD_ITEM]})
    desk = open_desk(tmp_path / "desk", url, secrets=MemorySecrets())
    # No pauses between tries: a drawn 5xx must not make the example wait.
    desk.client.config = dataclasses.replace(desk.client.config, backoff_s=0.0)
    yield desk, script
    desk.close()


def recorded_json(desk: Desk, local_id: str) -> str:
    with desk.store.read() as db:
        return str(
            db.execute("SELECT json FROM decisions WHERE local_id = ?", (local_id,)).fetchone()[0]
        )


@HTTP_FUZZ
@given(answers(retry_after=False))
@example(Answer.json({**GOOD_DECISION, "amount_fen": 2**64, "waived_fen": 0}, 201))
@example(Answer(201, b"[" * 5_000))
def test_a_desk_decides_on_any_answer_or_says_why(
    stub_desk: tuple[Desk, Script], answer: Answer
) -> None:
    desk, script = stub_desk
    script.by_path["/v1/decisions"] = answer
    decision = result_or_error(ask, DeskError, desk, AT_1000, "BZ-CR-01")
    if isinstance(decision, DeskError):
        assert decision.message_zh
        return
    # Whatever it decided (online, or offline after a bad answer) is recorded whole.
    assert decision_from_json(recorded_json(desk, decision.local_id)) == decision


@HTTP_FUZZ
@given(answers(retry_after=False))
@example(Answer.json({"items": [GOOD_ITEM, GOOD_ITEM]}))
@example(Answer.json({"items": [{**GOOD_ITEM, "decision_valid_hours": 10**12}]}))
@example(Answer.json({"items": [{**GOOD_ITEM, "code": "BZ-CA-01", "path": "cancelled",
                                 "standard_deposit_fen": 2**63}]}))  # fmt: skip
def test_a_desk_keeps_a_usable_item_list_on_any_answer(
    stub_desk: tuple[Desk, Script], answer: Answer
) -> None:
    desk, script = stub_desk
    script.by_path["/v1/items"] = answer

    def use_the_list() -> None:
        desk.items.refresh()
        for item in desk.items.all():
            if item.path is not ItemPath.CREDIT:
                ask(desk, AT_1000, item.code)
            desk.settlements.default_due_date(item)

    error = result_or_error(use_the_list, DeskError)
    assert error is None or error.message_zh


@HTTP_FUZZ
@given(answers(retry_after=False))
@example(
    Answer.json({"cases": [{"decision": {**GOOD_DECISION, "amount_fen": 2**64, "waived_fen": 0},
                            "counter_id": "C-02", "state": "open"}]})
)  # fmt: skip
def test_a_desk_adopts_open_cases_from_any_answer_or_says_why(
    stub_desk: tuple[Desk, Script], answer: Answer
) -> None:
    desk, script = stub_desk
    script.by_path["/v1/cases/search"] = answer
    document = identify(AT_1000)
    cases = result_or_error(desk.settlements.open_cases, DeskError, document, "clerk-1")
    if isinstance(cases, DeskError):
        assert cases.message_zh
        return
    for case in cases:
        local_id = desk.settlements.adopt(case, document)
        kept = decision_from_json(recorded_json(desk, local_id))
        assert kept.decision_id == case.decision.decision_id


def test_an_answer_repeating_another_cases_decision_id_is_a_bad_answer(
    stub_desk: tuple[Desk, Script],
) -> None:
    """Found by the fuzzing above: the store's UNIQUE decision_id raised IntegrityError."""
    desk, script = stub_desk
    script.by_path["/v1/decisions"] = Answer.json(GOOD_DECISION, 201)
    first = ask(desk, AT_1000, "BZ-CR-01")
    assert (first.source, first.decision_id) == (DecisionSource.ONLINE, "D-1")
    # The next customer's answer repeats D-1: the desk decides offline instead.
    second = ask(desk, AT_950, "BZ-CR-01")
    assert second.source is DecisionSource.PROVISIONAL
    # Its registration is answered with D-1 again: a bad answer, retried, never a crash.
    for _ in range(MAX_BAD_ANSWERS):
        desk.outbox.retry_now()
        desk.outbox.deliver_due()
    (entry,) = outbox.entries(desk.ctx)
    assert (entry.ref, entry.state, entry.error_code) == (
        second.local_id,
        outbox.State.ATTENTION,
        "bad_answer",
    )
    with desk.store.read() as db:
        held = db.execute(
            "SELECT decision_id FROM decisions WHERE local_id = ?", (second.local_id,)
        )
        assert held.fetchone()[0] is None
