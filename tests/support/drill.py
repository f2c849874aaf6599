"""Desk processes that record and deliver settlements until they are killed with SIGKILL.

Run as ``python -m tests.support.drill DATA_DIR PLATFORM_URL``: a fork server. It imports
the desk once (a third of a second a process), then takes one command a line on stdin:

``round SEED``
    Fork a worker; it prints ``pid PID`` first. It opens the desk on DATA_DIR and works
    until it dies: a customer after another, each decided, settled (now, or later and
    then paid) and delivered. It prints a line per step, flushed: ``opened``,
    ``decided LOCAL_ID``, ``settled SETTLEMENT_ID``, ``outcome UPDATE_ID``,
    ``delivering``, ``delivered N``, so a test can kill it at a chosen line without
    sleeping. A worker also kills itself with SIGKILL after a delay drawn from SEED: that
    kill lands anywhere, inside a SQLite commit or an HTTP exchange, not just after a
    line. Once the worker is dead the server prints ``ended PID SIGNAL``.
``quit``
    Exit.

A line printed by a worker is a promise: what it names was committed before the line.
The server is single-threaded, so forking it is safe; every worker has its own SQLite
connections and HTTP sessions (none is opened before the fork).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sys
import threading
import traceback
from pathlib import Path

from desk_app.app import Desk, open_desk
from desk_app.identity import PERSON_KINDS, identify
from desk_app.services.decisions import DecisionRequest
from desk_app.services.settlements import FinalOutcome, SettlementRequest, SettlementStatus

PEOPLE = ("371602198601115150", "360426199101010071", "11010219840406970X")
# A cancelled item (registered through the outbox: a settlement waits for it) and a credit
# item (decided online: a kill can land in the decision's own HTTP exchange).
ITEMS = ("BZ-CA-01", "BZ-CR-01")
# The longest a worker lives before it kills itself.
MAX_LIFE_S = 0.8


def say(*words: object) -> None:
    """One line on stdout in one write: the test reads it as it comes, and a kill cannot
    cut it in half (a pipe write this short is atomic)."""
    os.write(sys.stdout.fileno(), (" ".join(map(str, words)) + "\n").encode())


def serve_one(desk: Desk, rng: random.Random, step: int) -> None:
    """One customer: decided, settled (now, or later and then paid), some of the queue sent."""
    now = desk.ctx.now()
    document = identify(rng.choice(PEOPLE), kinds=PERSON_KINDS, today=now.date())
    item_code = rng.choice(ITEMS)
    decision = desk.decisions.decide(
        DecisionRequest(
            document=document,
            item_code=item_code,
            operator_id="drill",
            commitment_signed_at=now,
        )
    )
    say("decided", decision.local_id)
    total = 10_000 + step
    deferred = rng.random() < 0.3
    self_pay = 4_000 + step % 1000
    settlement_id = desk.settlements.settle(
        SettlementRequest(
            local_id=decision.local_id,
            status=SettlementStatus.DEFERRED if deferred else SettlementStatus.SETTLED,
            total_fen=total,
            insurance_fen=total - self_pay,
            self_pay_fen=self_pay,
            paid_fen=0 if deferred else self_pay,
            method="none" if deferred else "cash",
            operator_id="drill",
            due_date=now.date() + dt.timedelta(days=7) if deferred else None,
        )
    )
    say("settled", settlement_id)
    if deferred:
        update_id = desk.settlements.record_outcome(
            settlement_id, FinalOutcome.PAID, self_pay, "drill"
        )
        say("outcome", update_id)
    say("delivering")
    sent = desk.outbox.deliver_due(limit=rng.randint(1, 6))
    say("delivered", len(sent.sent))


def work(data_dir: Path, platform_url: str, seed: int) -> None:
    """A worker's life: arm the self-kill, open the desk, serve customers until killed."""
    say("pid", os.getpid())
    rng = random.Random(seed)
    killer = threading.Timer(rng.uniform(0.0, MAX_LIFE_S), os.kill, (os.getpid(), signal.SIGKILL))
    killer.daemon = True
    killer.start()
    desk = open_desk(data_dir, platform_url)
    say("opened")
    step = seed * 1000
    while True:
        serve_one(desk, rng, step)
        step += 1


def main() -> None:
    """The fork server's loop (see the module's docstring)."""
    data_dir, platform_url = Path(sys.argv[1]), sys.argv[2]
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "quit":
            return
        if command != "round":
            say("unknown", command)
            continue
        pid = os.fork()
        if pid == 0:
            try:
                work(data_dir, platform_url, int(argument))
            except BaseException:
                # Not killed: something failed. Say so, and never return into the server.
                traceback.print_exc()
                say("failed")
            os._exit(1)
        _, status = os.waitpid(pid, 0)
        say("ended", pid, os.WTERMSIG(status) if os.WIFSIGNALED(status) else -1)


if __name__ == "__main__":
    main()
