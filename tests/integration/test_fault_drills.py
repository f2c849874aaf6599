"""Fault drills: a desk killed with SIGKILL 100 times, two desks racing on the same cases.

The kill drill runs desk processes from a fork server (tests/support/drill.py) against one
long-lived training platform. Each round a worker opens the desk and serves customers:
decided, settled now or later (and then paid), part of the queue delivered. The test kills
it after a random number of its progress lines, or the worker kills itself after a random
delay, so kills land after a line and anywhere in between: inside a SQLite commit, in the
middle of an HTTP exchange. Afterwards the desk syncs once more, and then:

- everything a worker said it had recorded is in the store (nothing recorded is lost);
- every record came whole, with its outbox entry and its audit entry (no half rows,
  tests/support/store_checks.py);
- the platform holds every settlement and payment outcome exactly once, for the right
  case and amounts, and nothing the desk does not hold;
- the file passes ``PRAGMA integrity_check`` and ``desk-app audit verify`` says intact.
"""

from __future__ import annotations

import collections
import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from desk_app import settings
from desk_app.app import Desk
from desk_app.identity import identify
from desk_app.services.settlements import SettlementRequest, SettlementStatus
from desk_app.sync import outbox
from desk_app.training_platform.residents import generate
from desk_app.training_platform.server import EmbeddedPlatform
from tests.integration.desk_fixtures import DeskFactory, ask, drain
from tests.integration.test_desk_cli_and_drills import desk_env, run
from tests.support.store_checks import assert_whole, rows

ROUNDS = 100
COUNTER = "DRILL"


@dataclass
class DrillLog:
    """What the workers said, and how each of them died."""

    decided: set[str] = field(default_factory=set)
    settled: set[str] = field(default_factory=set)
    outcomes: set[str] = field(default_factory=set)
    # The last line before each death: "delivering" means the kill hit a delivery.
    deaths_after: collections.Counter[str] = field(default_factory=collections.Counter)
    killed_by_test: int = 0
    killed_itself: int = 0

    def note(self, word: str, rest: list[str]) -> None:
        """Take a worker's progress line."""
        if word == "decided":
            self.decided.add(rest[0])
        elif word == "settled":
            self.settled.add(rest[0])
        elif word == "outcome":
            self.outcomes.add(rest[0])


class DrillServer:
    """The fork server, driven line by line."""

    def __init__(self, data: Path, url: str, env: dict[str, str], log: Path) -> None:
        self._log = log
        self._stderr = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.drill", str(data), url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=env,
        )

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def line(self) -> list[str]:
        """The next line, split; fails with the server's stderr when it died."""
        assert self.process.stdout is not None
        text = self.process.stdout.readline()
        words = text.split()
        if not words or words[0] == "failed":
            pytest.fail("drill worker failed:\n" + self._log.read_text(encoding="utf-8"))
        return words

    def round(self, seed: int, lines_before_kill: int, log: DrillLog) -> None:
        """One worker's life: read its lines, kill it after ``lines_before_kill`` of them."""
        self.send(f"round {seed}")
        pid: int | None = None
        seen = 0
        last = "started"
        killed = False
        while True:
            word, *rest = self.line()
            if word == "ended":
                assert int(rest[1]) == signal.SIGKILL, f"worker ended by signal {rest[1]}"
                log.deaths_after[last] += 1
                if not killed:
                    log.killed_itself += 1
                return
            if word == "pid":
                pid = int(rest[0])
            else:
                log.note(word, rest)
                seen += 1
                last = word
            if pid is not None and not killed and seen >= lines_before_kill:
                killed = True
                log.killed_by_test += 1
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:  # it killed itself a moment ago
                    log.killed_by_test -= 1

    def close(self) -> None:
        self.send("quit")
        self.process.communicate(timeout=30)
        self._stderr.close()


def platform_rows(platform: EmbeddedPlatform, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in platform.app.state.service.db.read_all(sql)]


@pytest.mark.slow
def test_a_desk_killed_100_times_while_recording_and_delivering_loses_and_doubles_nothing(
    tmp_path: Path, platform: EmbeddedPlatform
) -> None:
    data = tmp_path / "desk"
    current = settings.load(data)
    current.counter_id = COUNTER
    settings.save(data, current)
    server = DrillServer(data, platform.url, desk_env(tmp_path), tmp_path / "drill.log")
    rng = random.Random(20261203)
    log = DrillLog()
    try:
        for seed in range(ROUNDS):
            server.round(seed, rng.randint(0, 24), log)
    finally:
        server.close()

    # The drill did what it says: many records, kills both ways, kills inside deliveries.
    # (A run here: 146 settlements, 48 payment outcomes; 46 kills by the test and 54 by
    # the worker's own timer; 48 deaths during a delivery round, 12 while opening.)
    assert len(log.settled) >= 100
    assert log.outcomes
    assert log.killed_by_test >= 20
    assert log.killed_itself >= 20
    assert log.deaths_after["delivering"] >= 20

    common = ["--data-dir", str(data), "--platform-url", platform.url]
    code, synced = run(tmp_path, "sync", *common)
    assert code == 0
    assert synced["needs_attention"] == []
    assert synced["kept"] == 0

    db = data / "desk.sqlite3"
    assert_whole(db)
    # Nothing a worker said it had recorded is lost.
    local_decisions = dict(rows(db, "SELECT local_id, decision_id FROM decisions"))
    assert log.decided <= local_decisions.keys()
    local_settlements = {
        r[0]: (r[1], r[2])
        for r in rows(
            db,
            "SELECT s.settlement_id, d.decision_id, s.total_fen "
            "FROM settlements s JOIN decisions d USING (local_id)",
        )
    }
    assert log.settled <= local_settlements.keys()
    local_updates = {r[0] for r in rows(db, "SELECT update_id FROM settlement_updates")}
    assert log.outcomes <= local_updates
    assert rows(db, "SELECT DISTINCT state FROM outbox") == [("delivered",)]

    # The platform holds each settlement once, for the same case and amount; nothing more.
    remote_settlements = {
        r[0]: (r[1], json.loads(r[2])["total_fen"])
        for r in platform_rows(
            platform,
            "SELECT s.settlement_id, s.decision_id, s.answer_json FROM settlements s "
            f"JOIN decisions d USING (decision_id) WHERE d.counter_id = '{COUNTER}'",
        )
    }
    assert remote_settlements == local_settlements
    remote_updates = platform_rows(
        platform,
        "SELECT u.update_id FROM settlement_updates u JOIN settlements s USING (settlement_id) "
        f"JOIN decisions d USING (decision_id) WHERE d.counter_id = '{COUNTER}'",
    )
    assert {r[0] for r in remote_updates} == local_updates
    # Every case the desk holds is the platform's, under the desk's own request id. (The
    # platform may hold a few more: decisions whose answer the kill cut off.)
    remote_decisions = dict(
        platform_rows(
            platform,
            f"SELECT request_id, decision_id FROM decisions WHERE counter_id = '{COUNTER}'",
        )
    )
    for local_id, decision_id in local_decisions.items():
        assert remote_decisions[local_id] == decision_id

    code, verdict = run(tmp_path, "audit", "verify", *common)
    assert (code, verdict["intact"]) == (0, True)


# --- Two desks, one platform, the same cases ----------------------------------------------


def settle_now(desk: Desk, local_id: str) -> str:
    return desk.settlements.settle(
        SettlementRequest(
            local_id=local_id,
            status=SettlementStatus.SETTLED,
            total_fen=100_00,
            insurance_fen=70_00,
            self_pay_fen=30_00,
            paid_fen=30_00,
            method="cash",
            operator_id=f"clerk-{desk.settings.counter_id}",
        )
    )


@dataclass
class Racer:
    """One desk's clerk going through the queue on a thread of their own."""

    desk: Desk
    numbers: list[str]
    start: threading.Barrier
    settled: dict[str, str] = field(default_factory=dict)  # decision id -> settlement id
    failure: BaseException | None = None

    def run(self) -> None:
        try:
            self.start.wait(timeout=30)
            for number in self.numbers:
                document = identify(number)
                for case in self.desk.settlements.open_cases(document, "clerk"):
                    local_id = self.desk.settlements.adopt(case, document)
                    self.settled[case.decision.decision_id or local_id] = settle_now(
                        self.desk, local_id
                    )
                # Deliver as the desk's sync does, while the other desk works too.
                self.desk.outbox.deliver_due()
        except BaseException as error:
            self.failure = error


def threads(*racers: Racer) -> Iterator[threading.Thread]:
    for racer in racers:
        thread = threading.Thread(target=racer.run, name=f"desk-{racer.desk.settings.counter_id}")
        thread.start()
        yield thread


def race(*racers: Racer) -> None:
    for thread in list(threads(*racers)):
        thread.join(120)
        assert not thread.is_alive()
    for racer in racers:
        if racer.failure is not None:
            raise racer.failure


def test_two_desks_settling_each_others_cases_at_once_make_one_settlement_per_case(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    east, west = make_desk("east"), make_desk("west")
    # Residents without a case seeded at the platform: every case here is opened below.
    numbers = [r.number for r in generate() if r.unpaid_due_in_days is None][:30]
    opened_at: dict[str, Desk] = {}
    for index, number in enumerate(numbers):
        desk = east if index % 2 == 0 else west
        decision = ask(desk, number, "BZ-CR-01")
        assert decision.decision_id is not None
        opened_at[decision.decision_id] = desk
    # East goes down the queue, west up it: they meet on every case, each settling its own
    # cases and adopting the other's, at the same time.
    start = threading.Barrier(2)
    racers = Racer(east, numbers, start), Racer(west, numbers[::-1], start)
    race(*racers)
    for desk in (east, west):
        drain(desk)

    remote = collections.Counter(
        r[0]
        for r in platform_rows(
            platform,
            "SELECT decision_id FROM settlements WHERE decision_id IN ({})".format(
                ",".join(f"'{d}'" for d in opened_at)
            ),
        )
    )
    # One settlement per case, and none missing.
    assert remote == dict.fromkeys(opened_at, 1)
    winners = dict(
        platform_rows(
            platform,
            "SELECT decision_id, settlement_id FROM settlements WHERE decision_id IN ({})".format(
                ",".join(f"'{d}'" for d in opened_at)
            ),
        )
    )
    raced = 0
    for racer in racers:
        entries = {e.ref: e for e in outbox.entries(racer.desk.ctx, tuple(outbox.State))}
        for decision_id, settlement_id in racer.settled.items():
            entry = entries[settlement_id]
            if winners[decision_id] == settlement_id:
                assert entry.state is outbox.State.DELIVERED
            else:
                # The other desk was first: this one is told, and its record is kept.
                raced += 1
                assert (entry.state, entry.error_code) == (
                    outbox.State.ATTENTION,
                    "already_settled",
                )
                assert entry.error_zh
        assert outbox.counts(racer.desk.ctx)["pending"] == 0
    # Every case was settled by its own desk or the other, and some by both.
    settled_by = collections.Counter(d for racer in racers for d in racer.settled)
    assert settled_by.keys() == opened_at.keys()
    assert raced == sum(n - 1 for n in settled_by.values())
    assert raced > 0
