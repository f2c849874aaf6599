"""What every figure stands on: a scratch folder, desks, a bare client, the residents.

Nothing here touches the desk's own data folder, log folder or keyring: desks are opened
on folders under a temporary directory with :class:`MemorySecrets`, and a desk in another
process gets the same keys from a file in that directory (training keys only).
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from desk_app import settings as settings_module
from desk_app.app import Desk, open_desk
from desk_app.bench.report import BenchError
from desk_app.identity import DocumentKind
from desk_app.secrets import TOKEN, MemorySecrets
from desk_app.services.context import china_now
from desk_app.training_platform.residents import ANCHORS, generate

INSTITUTION = "training-hospital"
# A credit item of the hospital: the platform is really asked (a cancelled or supervised
# item is decided by the list, without a call).
CREDIT_ITEM = "BZ-CR-01"
# The public hospitals' admission deposit, directly cancelled: treat first, settle at
# discharge. The platform decides it by the list, without looking at credit.
CANCELLED_ITEM = "BZ-CA-01"
OPERATOR = ("1001", "1234")
TIMEOUT_S = (3.05, 10.0)


@contextmanager
def scratch_dir() -> Iterator[Path]:
    """A temporary folder for the whole run, removed afterwards (what is left on Windows'
    locked files is left to the system's temp cleaning)."""
    with tempfile.TemporaryDirectory(prefix="desk-bench-", ignore_cleanup_errors=True) as name:
        yield Path(name)


def resident_numbers() -> list[str]:
    """The training platform's residents with an 18-character identity number."""
    people = [*ANCHORS, *generate()]
    return [p.number for p in people if p.kind is DocumentKind.RESIDENT_ID]


def prepare_folder(folder: Path, counter_id: str) -> None:
    """Settings for a training desk of the hospital at ``counter_id`` in ``folder``."""
    current = settings_module.load(folder)
    current.training_institution = INSTITUTION
    current.counter_id = counter_id
    settings_module.save(folder, current)


def open_bench_desk(
    folder: Path, platform_url: str, counter_id: str, secrets: MemorySecrets | None = None
) -> Desk:
    """A training desk on ``folder`` against ``platform_url``, keys in memory, list fetched.

    Raises:
        BenchError: the platform did not give the management list.
    """
    prepare_folder(folder, counter_id)
    desk = open_desk(folder, platform_url, secrets=secrets or MemorySecrets())
    desk.items.refresh()
    if not desk.items.all():
        desk.close()
        raise BenchError("the training platform gave no management list")
    return desk


def save_secrets(secrets: MemorySecrets, path: Path) -> None:
    """Write a scratch desk's keys for a desk process the bench starts (training keys only)."""
    names = ("client_id", "client_secret", "subject_hmac_key", "audit_hmac_key", "outbox_key")
    values = {name: secrets.get(name) for name in names}
    path.write_text(json.dumps({k: v for k, v in values.items() if v is not None}), "utf-8")


def load_secrets(path: Path) -> MemorySecrets:
    """The keys :func:`save_secrets` wrote, in memory."""
    secrets = MemorySecrets()
    for name, value in json.loads(path.read_text("utf-8")).items():
        secrets.set(name, value)
    return secrets


def commitment_now() -> dict[str, str]:
    """A commitment signed now, as the desk sends it."""
    return {
        "signed_at": china_now().isoformat(timespec="seconds"),
        "channel": "signature_pad",
    }


def decision_body(
    number: str, counter_id: str, amount_fen: int, item_code: str = CREDIT_ITEM
) -> dict[str, Any]:
    """The body of ``POST /v1/decisions`` as :class:`DecisionService` sends it (a credit item
    with the commitment signed; a cancelled one without), with a fresh ``request_id``: a new
    decision, never a replay."""
    return {
        "item_code": item_code,
        "subject": {"kind": DocumentKind.RESIDENT_ID.value, "number": number},
        "commitment": commitment_now() if item_code == CREDIT_ITEM else None,
        "amount_fen": amount_fen,
        "counter_id": counter_id,
        "operator_id": OPERATOR[0],
        "emergency": False,
        "request_id": str(uuid.uuid4()),
    }


class BareClient:
    """The baseline: a bare ``requests.Session`` with the desk's own token and headers.

    Args:
        base_url: the platform.
        desk: the desk whose token and counter id to use (it must have called the
            platform once, so that it holds a token).
    """

    def __init__(self, base_url: str, desk: Desk) -> None:
        kept = desk.secrets.get(TOKEN)
        if not kept:
            raise BenchError("the desk holds no platform token yet")
        self.base_url = base_url
        self.session = requests.Session()
        self.session.trust_env = False  # as the desk's client: no proxy from the environment
        self.headers = {
            "Authorization": f"Bearer {kept.partition(' ')[0]}",
            "X-Counter-Id": desk.settings.counter_id,
        }

    def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST ``body``; the parsed answer.

        Raises:
            BenchError: the platform did not answer 2xx.
        """
        response = self.session.post(
            self.base_url + path, json=body, headers=self.headers, timeout=TIMEOUT_S
        )
        if response.status_code >= 300:
            raise BenchError(f"POST {path}: HTTP {response.status_code} {response.text[:200]}")
        return response.json()

    def close(self) -> None:
        """Close the session's connections."""
        self.session.close()


def closed_port_url() -> tuple[str, socket.socket]:
    """A loopback URL where nothing listens, and the socket that keeps the port taken.

    The port is bound but not listening, so a connection is refused at once (on Linux;
    Windows retries a refused loopback connection for about two seconds) and nothing else
    can start listening there during the run. Close the socket when done.
    """
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    return f"http://127.0.0.1:{holder.getsockname()[1]}", holder


def machine() -> dict[str, Any]:
    """The machine the figures come from (for the README and for comparing counters)."""
    import os
    import platform
    import sys

    import psutil

    return {
        "system": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpus": os.cpu_count(),
        "memory_mb": round(psutil.virtual_memory().total / 2**20),
        "python": sys.version.split()[0],
        "frozen": bool(getattr(sys, "frozen", False)),
        "at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
