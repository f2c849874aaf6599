"""The service itself: limits, training knobs, logs without numbers, contract in sync."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from desk_app.identity import identify
from desk_app.training_platform.api import openapi_document
from desk_app.training_platform.residents import BINZHOU_CURRENT, BINZHOU_RETIRED, generate
from desk_app.training_platform.server import EmbeddedPlatform
from tests.conftest import ROOT, VECTORS
from tests.integration.conftest import TIMEOUT, Client, decision_body

AT_1000 = "371602198601115150"


def test_malformed_json_is_a_400_problem(hospital: Client) -> None:
    answer = hospital.session.post(
        hospital.base_url + "/v1/decisions",
        data=b'{"item_code": "BZ-CR-01", ',
        headers=hospital.headers(**{"Content-Type": "application/json"}),
        timeout=TIMEOUT,
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "malformed_json"


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_body_is_a_413(hospital: Client, chunked: bool) -> None:
    payload = b'{"x": "' + b"9" * 200_000 + b'"}'
    data = (
        iter([payload[i : i + 8192] for i in range(0, len(payload), 8192)]) if chunked else payload
    )
    answer = hospital.session.post(
        hospital.base_url + "/v1/decisions",
        data=data,
        headers=hospital.headers(**{"Content-Type": "application/json"}),
        timeout=TIMEOUT,
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "payload_too_large"


def test_an_unknown_path_is_a_404_problem(hospital: Client) -> None:
    answer = hospital.get("/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_the_rate_limit_is_per_counter_with_retry_after(
    platform: EmbeddedPlatform, trainer: Client
) -> None:
    trainer.put("/v1/training/knobs", {"rate_limit_per_second": 0.5, "rate_limit_burst": 2})
    busy = Client(platform.url, "training-hospital", counter="BUSY")
    assert [busy.get("/v1/items").status_code for _ in range(2)] == [200, 200]
    limited = busy.get("/v1/items")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["code"] == "rate_limited"
    calm = Client(platform.url, "training-hospital", counter="CALM")
    assert calm.get("/v1/items").status_code == 200


def test_only_the_trainer_turns_the_knobs(hospital: Client) -> None:
    answer = hospital.put("/v1/training/knobs", {"outage": True})
    assert answer.status_code == 403
    assert answer.json()["code"] == "trainer_only"


def test_an_outage_takes_everything_down_but_the_trainer_can_end_it(
    platform: EmbeddedPlatform, trainer: Client, hospital: Client
) -> None:
    assert trainer.put("/v1/training/knobs", {"outage": True}).json()["outage"] is True
    assert requests.get(platform.url + "/v1/health", timeout=TIMEOUT).status_code == 503
    down = hospital.post("/v1/decisions", decision_body("BZ-CR-01", AT_1000, 100))
    assert down.status_code == 503
    assert down.json()["code"] == "platform_outage"
    assert "Retry-After" in down.headers
    assert trainer.put("/v1/training/knobs", {}).json()["outage"] is False
    assert requests.get(platform.url + "/v1/health", timeout=TIMEOUT).status_code == 200


def test_injected_errors_are_5xx(trainer: Client, hospital: Client) -> None:
    trainer.put("/v1/training/knobs", {"error_rate": 1.0})
    answer = hospital.get("/v1/items")
    assert answer.status_code == 503
    assert answer.json()["code"] == "injected_error"


def test_malformed_answers_are_200_with_broken_json(trainer: Client, hospital: Client) -> None:
    trainer.put("/v1/training/knobs", {"malformed_rate": 1.0})
    answer = hospital.post("/v1/decisions", decision_body("BZ-CR-01", AT_1000, 100))
    assert answer.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.text)


def test_latency_past_a_client_timeout(trainer: Client, hospital: Client) -> None:
    trainer.put("/v1/training/knobs", {"latency_ms": 1500})
    with pytest.raises(requests.exceptions.ReadTimeout):
        hospital.session.get(
            hospital.base_url + "/v1/items", headers=hospital.headers(), timeout=(1, 0.3)
        )


def test_the_clock_knob_moves_the_platform_day(trainer: Client, hospital: Client) -> None:
    trainer.put("/v1/training/knobs", {"clock_offset_seconds": 40 * 86400})
    decision = hospital.decide("BZ-CR-01", AT_1000)
    assert decision["decided_at"] > time.strftime("%Y-%m-%d", time.gmtime(time.time() + 39 * 86400))


def test_the_archive_is_for_the_trainer(trainer: Client, hospital: Client) -> None:
    decision = hospital.decide("BZ-CR-01", AT_1000)
    hospital.settle(decision["decision_id"])
    archive = trainer.get(f"/v1/subjects/{AT_1000}/archive").json()
    assert archive["score"] == 1005
    assert archive["level"] == "AA"
    assert [h["delta"] for h in archive["history"]] == [5]
    assert archive["subject"]["masked"] == "3716**********5150"
    assert hospital.get(f"/v1/subjects/{AT_1000}/archive").status_code == 403
    unknown = "37160219700101001" + "X"
    assert trainer.get(f"/v1/subjects/{unknown}/archive").status_code in (404, 422)


def test_no_identity_number_reaches_a_log(
    caplog: pytest.LogCaptureFixture, trainer: Client, hospital: Client
) -> None:
    caplog.set_level(logging.DEBUG)
    decision = hospital.decide("BZ-CR-01", AT_1000)
    hospital.get("/v1/cases", params={"subject": AT_1000})
    hospital.settle(decision["decision_id"])
    trainer.get(f"/v1/subjects/{AT_1000}/archive")
    hospital.post("/v1/decisions", decision_body("BZ-CR-01", AT_1000[:-1] + "1", 100))
    server_side = [r for r in caplog.records if not r.name.startswith("urllib3")]
    assert "desk_app.training_platform" in {r.name for r in server_side}
    text = "\n".join(r.getMessage() for r in server_side)
    assert "/v1/decisions" in text
    assert AT_1000 not in text
    assert AT_1000[:-1] not in text


def test_the_openapi_document_in_docs_is_the_one_the_code_serves(tmp_path: Path) -> None:
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert committed == openapi_document(tmp_path), (
        "docs/openapi.json is stale: regenerate it with `desk-platform openapi > docs/openapi.json`"
    )


def test_the_served_openapi_names_every_endpoint_of_the_contract(hospital: Client) -> None:
    paths = set(
        requests.get(hospital.base_url + "/v1/openapi.json", timeout=TIMEOUT).json()["paths"]
    )
    assert {
        "/v1/health",
        "/v1/token",
        "/v1/items",
        "/v1/decisions",
        "/v1/cases",
        "/v1/settlements",
        "/v1/reports/monthly",
        "/v1/subjects/{number}/archive",
    } <= paths


def test_residents_are_synthetic_valid_deterministic_and_cover_every_level() -> None:
    residents = generate(7)
    assert residents == generate(7)
    assert [r.number for r in residents] != [r.number for r in generate(8)]
    numbers = [r.number for r in residents]
    assert len(numbers) == len(set(numbers))
    for resident in residents:
        assert identify(resident.number).number == resident.number
    assert {r.level for r in residents} == {"AAA", "AA", "A", "B", "C", "D"}
    regions = {r.number[:6] for r in residents}
    assert regions & set(BINZHOU_CURRENT)
    assert regions & set(BINZHOU_RETIRED)
    assert sum(r.unpaid_due_in_days is not None for r in residents) >= 5
    vectors = {
        line.split("\t")[3]
        for line in (VECTORS / "identity.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#") and line.split("\t")[1] == "accept"
    }
    person_vectors = {v for v in vectors if v[:2] != "91" or (len(v) == 18 and v[:4] == "9113")}
    assert {"371602198601115150", "11010519491231002X", "810000199408230021"} <= set(numbers)
    assert person_vectors & set(numbers)


def test_desk_platform_residents_prints_the_cheat_sheet(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desk_app.training_platform.cli", "residents",
         "--data", str(tmp_path), "--level", "AA"],
        capture_output=True, text=True, encoding="utf-8", timeout=60, check=True,
    )  # fmt: skip
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows
    assert {row["level"] for row in rows} == {"AA"}
    assert {"number", "score", "level", "open_cases"} <= rows[0].keys()
    assert any(row["open_cases"] for row in rows)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_desk_platform_serve_answers_on_its_port(tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "desk_app.training_platform.cli", "serve",
         "--host", "127.0.0.1", "--port", str(port), "--data", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    output: list[str] = []
    try:
        assert server.stdout is not None
        # uvicorn says when it listens; read its lines (bounded by the test timeout).
        for line in server.stdout:
            output.append(line)
            if "Uvicorn running on" in line:
                break
        assert server.poll() is None, "".join(output)
        answer = requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=TIMEOUT)
        assert answer.json()["mode"] == "training"
        assert (tmp_path / "training-platform.sqlite3").exists()
    finally:
        server.terminate()
        output.append(server.communicate(timeout=30)[0])
    assert AT_1000 not in "".join(output)


def test_the_embedded_platform_starts_and_stops_cleanly(tmp_path: Path) -> None:
    before = {t.name for t in threading.enumerate()}
    platform = EmbeddedPlatform(tmp_path / "p").start()
    assert requests.get(platform.url + "/v1/health", timeout=TIMEOUT).status_code == 200
    port = platform.port
    platform.stop()
    assert "training-platform" not in {t.name for t in threading.enumerate()} - before
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=TIMEOUT)
    # The data persists like a real platform's: a restart sees the same archive.
    again = EmbeddedPlatform(tmp_path / "p").start()
    try:
        assert again.app.state.service.residents()[0]["number"] == AT_1000
    finally:
        again.stop()


def test_a_problem_never_echoes_a_number_from_the_path(trainer: Client) -> None:
    answer = trainer.get(f"/v1/subjects/{AT_1000[:-1]}1/archive")
    assert answer.status_code == 422
    assert AT_1000[:-1] not in answer.text
    assert answer.json()["instance"] == "/v1/subjects/***/archive"


def test_a_counter_header_must_be_an_identifier(hospital: Client) -> None:
    answer = hospital.session.get(
        hospital.base_url + "/v1/items",
        headers={**hospital.headers(), "X-Counter-Id": "ADM 01/x"},
        timeout=TIMEOUT,
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "counter_required"
