"""A desk process for environment drills: it records customers, then its disk fills up.

Run as ``python -m tests.support.faulty_desk MODE DATA_DIR PLATFORM_URL [ROOM_BYTES]``:

``record``
    Record three customers (decided and settled), print ``recorded SETTLEMENT_ID`` for
    each, and exit.
``full``
    Record three customers, then limit this process's file size (``RLIMIT_FSIZE``) to
    ROOM_BYTES past the largest of the database's files, with ``SIGXFSZ`` ignored so a
    write past the limit fails with ``EFBIG`` instead of killing the process: the disk is
    full as far as this desk can tell. Keep recording until the desk refuses, then try
    once more, then deliver the queue, then close. Every refusal is printed as
    ``refused {json}``; a failure that is not a :class:`~desk_app.errors.DeskError`
    escapes (a traceback, exit 1).

A ``recorded`` line is printed only after the settlement's transaction committed.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
from pathlib import Path

from desk_app.app import Desk, open_desk
from desk_app.errors import DeskError
from desk_app.identity import PERSON_KINDS, identify
from desk_app.services.decisions import DecisionRequest
from desk_app.services.settlements import SettlementRequest, SettlementStatus

MAX_CUSTOMERS = 2000


def say(*words: object) -> None:
    print(*words, flush=True)


def refused(error: DeskError) -> None:
    say(
        "refused",
        json.dumps(
            {
                "error": type(error).__name__,
                "fault": error.fault.value,
                "message": error.message_zh,
                "message_en": error.message_en,
            },
            ensure_ascii=False,
        ),
    )


def customer(desk: Desk, step: int) -> None:
    """Decide (a cancelled item: no platform needed) and settle; say what was recorded."""
    now = desk.ctx.now()
    document = identify("371602198601115150", kinds=PERSON_KINDS, today=now.date())
    decision = desk.decisions.decide(
        DecisionRequest(document=document, item_code="BZ-CA-01", operator_id="drill")
    )
    settlement_id = desk.settlements.settle(
        SettlementRequest(
            local_id=decision.local_id,
            status=SettlementStatus.SETTLED,
            total_fen=10_000 + step,
            insurance_fen=6_000,
            self_pay_fen=4_000 + step,
            paid_fen=4_000 + step,
            method="cash",
            operator_id="drill",
        )
    )
    say("recorded", settlement_id)


def fill_the_disk(desk: Desk, room: int) -> None:
    """Leave ``room`` bytes for the database's files to grow, then work until refused."""
    files = [Path(str(desk.store.path) + s) for s in ("", "-wal", "-shm")]
    largest = max(f.stat().st_size for f in files if f.exists())
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (largest + room, resource.RLIM_INFINITY))
    say("limited", largest + room)
    for step in range(3, MAX_CUSTOMERS):
        try:
            customer(desk, step)
        except DeskError as error:
            refused(error)
            break
    else:
        say("never full")
        return
    # The clerk tries again, and the sync round runs: refused the same clear way.
    for action in (lambda: customer(desk, MAX_CUSTOMERS), desk.outbox.deliver_due):
        try:
            action()
        except DeskError as error:
            refused(error)


def main() -> None:
    mode, data_dir, platform_url = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    desk = open_desk(data_dir, platform_url)
    try:
        for step in range(3):
            customer(desk, step)
        if mode == "full":
            fill_the_disk(desk, int(sys.argv[4]))
    finally:
        desk.close()
    say("closed")


if __name__ == "__main__":
    main()
