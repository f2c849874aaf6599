"""A desk process that records and delivers settlements until it is killed.

Run as ``python -m tests.support.drill DATA_DIR PLATFORM_URL``. It prints one line per
step, so a test can kill it at a chosen moment without sleeping.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desk_app.app import open_desk
from desk_app.identity import identify
from desk_app.services.decisions import DecisionRequest
from desk_app.services.settlements import SettlementRequest, SettlementStatus

PEOPLE = ("371602198601115150", "360426199101010071", "11010219840406970X")


def main() -> None:
    desk = open_desk(Path(sys.argv[1]), sys.argv[2])
    step = 0
    while True:
        document = identify(PEOPLE[step % len(PEOPLE)])
        decision = desk.decisions.decide(
            DecisionRequest(document=document, item_code="BZ-CA-01", operator_id="drill")
        )
        print("decided", flush=True)
        desk.settlements.settle(
            SettlementRequest(
                local_id=decision.local_id,
                status=SettlementStatus.SETTLED,
                total_fen=10000 + step,
                insurance_fen=6000,
                self_pay_fen=4000 + step,
                paid_fen=4000 + step,
                method="cash",
                operator_id="drill",
            )
        )
        print("settled", flush=True)
        desk.outbox.deliver_due(limit=3)
        print("delivered", flush=True)
        step += 1


if __name__ == "__main__":
    main()
