"""Health, tokens, counters and the management list, over real HTTP."""

from __future__ import annotations

import requests

from desk_app.training_platform.institutions import INSTITUTIONS
from desk_app.training_platform.server import EmbeddedPlatform
from tests.integration.conftest import TIMEOUT, Client


def test_health_says_training(platform: EmbeddedPlatform) -> None:
    answer = requests.get(platform.url + "/v1/health", timeout=TIMEOUT)
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["mode"] == "training"
    assert "+08:00" in body["time"]


def test_every_documented_training_credential_works(platform: EmbeddedPlatform) -> None:
    for institution in INSTITUTIONS:
        answer = requests.post(
            platform.url + "/v1/token",
            json={"client_id": institution.client_id, "client_secret": institution.client_secret},
            timeout=TIMEOUT,
        )
        assert answer.status_code == 200, institution.client_id
        body = answer.json()
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == 900
        assert body["institution_id"] == institution.institution_id


def test_wrong_credentials_are_a_problem_in_both_languages(platform: EmbeddedPlatform) -> None:
    answer = requests.post(
        platform.url + "/v1/token",
        json={"client_id": "training-hospital", "client_secret": "guess"},
        timeout=TIMEOUT,
    )
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["code"] == "invalid_client"
    assert problem["status"] == 401
    assert problem["message"]["zh"] == "机构凭据不正确。"
    assert problem["message"]["en"]
    assert problem["type"].endswith("invalid_client")
    assert problem["title"] == "Invalid client"


def test_a_call_without_a_token_is_refused(platform: EmbeddedPlatform) -> None:
    answer = requests.get(
        platform.url + "/v1/items", headers={"X-Counter-Id": "C-01"}, timeout=TIMEOUT
    )
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert answer.json()["code"] == "unauthorized"


def test_a_forged_token_is_refused(platform: EmbeddedPlatform) -> None:
    answer = requests.get(
        platform.url + "/v1/items",
        headers={"Authorization": "Bearer forged", "X-Counter-Id": "C-01"},
        timeout=TIMEOUT,
    )
    assert answer.status_code == 401
    assert answer.json()["code"] == "invalid_token"


def test_every_call_carries_its_counter(hospital: Client) -> None:
    answer = hospital.session.get(
        hospital.base_url + "/v1/items",
        headers={"Authorization": f"Bearer {hospital.token}"},
        timeout=TIMEOUT,
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "counter_required"


def test_an_expired_token_is_refused(platform: EmbeddedPlatform, trainer: Client) -> None:
    assert trainer.put("/v1/training/knobs", {"token_ttl_seconds": 0}).status_code == 200
    short_lived = Client(platform.url, "training-hotel")
    answer = short_lived.get("/v1/items")
    assert answer.status_code == 401
    assert answer.json()["code"] == "token_expired"
    assert answer.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_the_management_list_splits_as_the_city_reported(trainer: Client) -> None:
    items = trainer.get("/v1/items").json()["items"]
    assert len(items) == 16
    paths = [item["path"] for item in items]
    assert {p: paths.count(p) for p in set(paths)} == {
        "legally_cleared": 2,
        "cancelled": 5,
        "credit": 5,
        "supervised": 4,
    }
    credit = {item["scenario"]: item for item in items if item["path"] == "credit"}
    assert credit["medical"]["min_score"] == 1000
    assert credit["medical"]["min_level"] == "AA"
    assert credit["lodging"]["min_score"] == 1000
    for scenario in ("library", "parking", "apartment_rental"):
        assert credit[scenario]["min_score"] == 950
        assert credit[scenario]["min_level"] == "A"
    public_hospital = next(i for i in items if i["code"] == "BZ-CA-01")
    assert public_hospital["path"] == "cancelled"
    for item in items:
        assert isinstance(item["standard_deposit_fen"], int)
        assert item["offline_policy"]["mode"] in ("collect", "provisional")
        assert item["name"]["zh"]
        assert item["name"]["en"]


def test_an_institution_sees_its_own_items_with_an_etag(hospital: Client) -> None:
    answer = hospital.get("/v1/items")
    assert answer.status_code == 200
    codes = [item["code"] for item in answer.json()["items"]]
    assert codes == ["BZ-CA-01", "BZ-CA-02", "BZ-CR-01", "BZ-SV-01"]
    etag = answer.headers["ETag"]
    again = hospital.session.get(
        hospital.base_url + "/v1/items",
        headers=hospital.headers(**{"If-None-Match": etag}),
        timeout=TIMEOUT,
    )
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
