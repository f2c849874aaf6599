"""Desks on real SQLite files against the training platform over HTTP."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desk_app.app import Desk, open_desk
from desk_app.domain.model import Decision
from desk_app.identity import PERSON_KINDS, identify
from desk_app.platform.errors import PlatformError
from desk_app.services.context import china_now
from desk_app.services.decisions import DecisionRequest
from desk_app.training_platform.server import EmbeddedPlatform
from tests.support.keyrings import MemoryKeyring


class Clock:
    """A clock a test can move."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return china_now() + self.offset


DeskFactory = Callable[..., Desk]


@pytest.fixture
def make_desk(
    tmp_path: Path, platform: EmbeddedPlatform, memory_keyring: MemoryKeyring
) -> Iterator[DeskFactory]:
    """Open desks (each in its own data folder) on the test's platform."""
    opened: list[Desk] = []

    def factory(
        name: str = "desk", institution: str = "training-hospital", clock: Clock | None = None
    ) -> Desk:
        folder = tmp_path / name
        from desk_app import settings

        folder.mkdir(exist_ok=True)
        current = settings.load(folder)
        current.training_institution = institution
        current.counter_id = name.upper()
        settings.save(folder, current)
        desk = open_desk(folder, platform.url, now=clock or china_now)
        # A counter cannot wait: keep the tests' timeouts short as well.
        desk.client.config = dataclasses.replace(
            desk.client.config, read_timeout_s=2.0, backoff_s=0.05
        )
        opened.append(desk)
        return desk

    yield factory
    for desk in opened:
        desk.close()


def ask(
    desk: Desk, number: str, item: str, amount_fen: int | None = None, **extra: object
) -> Decision:
    """Decide for ``number`` and ``item`` as a clerk would, commitment signed now."""
    document = identify(number, kinds=PERSON_KINDS)
    fields: dict[str, object] = {"commitment_signed_at": desk.ctx.now(), **extra}
    request = DecisionRequest(
        document=document,
        item_code=item,
        operator_id="clerk-1",
        amount_fen=amount_fen,
        **fields,  # type: ignore[arg-type]
    )
    return desk.decisions.decide(request)


def drain(desk: Desk) -> None:
    """Deliver the outbox until nothing is due, as a sync round does: health check first
    (which also ends the client's quiet after a timeout)."""
    with contextlib.suppress(PlatformError):
        desk.client.health()
    desk.outbox.retry_now()
    for _ in range(50):
        result = desk.outbox.deliver_due()
        if result.unreachable or not (result.sent or result.attention):
            return
