"""The training platform started for real on 127.0.0.1, driven over HTTP with requests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
import requests

from desk_app.training_platform.server import EmbeddedPlatform

TIMEOUT = (3.05, 10)
CHINA = dt.timezone(dt.timedelta(hours=8))


class Client:
    """One institution's session against the platform, as a desk would hold it."""

    def __init__(self, base_url: str, client_id: str, counter: str = "C-01") -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.counter = counter
        answer = self.session.post(
            f"{base_url}/v1/token",
            json={"client_id": client_id, "client_secret": f"{client_id}-secret"},
            timeout=TIMEOUT,
        )
        answer.raise_for_status()
        self.token = answer.json()["access_token"]

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "X-Counter-Id": self.counter, **extra}

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(
            self.base_url + path, headers=self.headers(), timeout=TIMEOUT, **kwargs
        )

    def post(self, path: str, body: Any, **kwargs: Any) -> requests.Response:
        return self.session.post(
            self.base_url + path, json=body, headers=self.headers(), timeout=TIMEOUT, **kwargs
        )

    def put(self, path: str, body: Any) -> requests.Response:
        return self.session.put(
            self.base_url + path, json=body, headers=self.headers(), timeout=TIMEOUT
        )

    def decide(self, item: str, number: str, amount_fen: int = 50000, **extra: Any) -> Any:
        body = decision_body(item, number, amount_fen, self.counter, **extra)
        answer = self.post("/v1/decisions", body)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def settle(self, decision_id: str, **fields: Any) -> requests.Response:
        return self.post("/v1/settlements", settlement_body(decision_id, self.counter, **fields))


def decision_body(
    item: str, number: str, amount_fen: int, counter: str = "C-01", **extra: Any
) -> dict[str, Any]:
    kind = extra.pop("kind", "resident_id")
    body: dict[str, Any] = {
        "item_code": item,
        "subject": {"kind": kind, "number": number},
        "commitment": {
            "signed_at": dt.datetime.now(CHINA).isoformat(timespec="seconds"),
            "channel": "signature_pad",
        },
        "amount_fen": amount_fen,
        "counter_id": counter,
        "operator_id": "op-7",
    }
    body.update(extra)
    return body


def settlement_body(decision_id: str, counter: str = "C-01", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "settlement_id": str(uuid.uuid4()),
        "decision_id": decision_id,
        "status": "settled",
        "total_fen": 1234500,
        "insurance_fen": 864150,
        "self_pay_fen": 370350,
        "paid_fen": 370350,
        "method": "unionpay_qr",
        "counter_id": counter,
        "operator_id": "op-7",
    }
    body.update(fields)
    return body


@pytest.fixture
def hospital(platform: EmbeddedPlatform) -> Client:
    return Client(platform.url, "training-hospital")


@pytest.fixture
def trainer(platform: EmbeddedPlatform) -> Client:
    return Client(platform.url, "training-trainer", counter="TRAINER")


# The desk fixtures live beside these; importing them here makes them visible to tests.
from tests.integration.desk_fixtures import make_desk  # noqa: E402

__all__ = ["make_desk"]
