"""Outbox drain: queued settlements delivered by ``Outbox.deliver_due`` against a bare loop.

Two sets of cases of the same shape are made on the training platform: one is settled at
the desk (:meth:`SettlementService.settle`, so each settlement waits in the outbox as a
clerk leaves it), the other is posted by a bare ``requests.Session`` loop with the same
payloads. Each side's writes are new to the platform (no idempotent replays), and the two
run in alternating rounds of the size the desk's sync round takes (500 entries), so that
both meet the platform's tables at the same size.

The cases are hospital admissions of the cancelled deposit (treat first, settle at
discharge), the bulk of a hospital's settlements: the platform decides them by the list,
in-process by its own service (the same rules and writes as over HTTP, without spending
the run on 20,000 round trips), and the desk holds them as a registered decision of the
list, as it does once the registration is delivered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk_app.bench.report import BenchError, Figure, ms, ratio
from desk_app.bench.scratch import (
    CANCELLED_ITEM,
    INSTITUTION,
    OPERATOR,
    BareClient,
    decision_body,
    open_bench_desk,
    resident_numbers,
)
from desk_app.domain.model import DecisionSource
from desk_app.identity import PERSON_KINDS, Document, identify
from desk_app.platform.answers import read_decision
from desk_app.services.decisions import insert_decision
from desk_app.services.settlements import SettlementRequest, SettlementStatus
from desk_app.sync.outbox import counts
from desk_app.training_platform import models
from desk_app.training_platform.institutions import BY_CLIENT_ID
from desk_app.training_platform.server import EmbeddedPlatform

# The desk's sync round delivers at most this many entries (Outbox.deliver_due's limit).
ROUND = 500
GOAL = "ratio <= 1.2"
AMOUNT_FEN = 300_000
# A discharge paid in full: the insurance share and the self-pay share, paid now.
TOTAL_FEN, INSURANCE_FEN = 120_000, 70_000

Progress = Callable[[str], None]


def _platform_decisions(
    platform: EmbeddedPlatform, counter_id: str, count: int
) -> list[tuple[str, str, dict[str, Any]]]:
    """``count`` decisions made by the platform: ``(request id, number, answer)``."""
    service = platform.app.state.service
    institution = BY_CLIENT_ID[INSTITUTION]
    numbers = resident_numbers()
    made = []
    for i in range(count):
        number = numbers[i % len(numbers)]
        body = decision_body(number, counter_id, AMOUNT_FEN, CANCELLED_ITEM)
        validated = models.DecisionRequest.model_validate(body).model_dump()
        answer, _ = service.decide(institution, validated)
        made.append((str(body["request_id"]), number, answer))
    return made


def _settlement(settlement_id: str, counter_id: str) -> dict[str, Any]:
    """A settlement payload as :meth:`SettlementService.settle` queues it."""
    return {
        "settlement_id": settlement_id,
        "status": SettlementStatus.SETTLED.value,
        "due_date": None,
        "settled_on": dt.date.today().isoformat(),
        "total_fen": TOTAL_FEN,
        "insurance_fen": INSURANCE_FEN,
        "self_pay_fen": TOTAL_FEN - INSURANCE_FEN,
        "paid_fen": TOTAL_FEN - INSURANCE_FEN,
        "method": "bank_card",
        "counter_id": counter_id,
        "operator_id": OPERATOR[0],
    }


def outbox_drain(
    scratch: Path, platform: EmbeddedPlatform, entries: int, progress: Progress
) -> Figure:
    """The figure: ``entries`` settlements delivered by the desk and by a bare loop.

    Raises:
        BenchError: the platform refused a settlement, or the outbox did not drain.
    """
    counter_id = "BENCH-DRAIN"
    desk = open_bench_desk(scratch / "drain", platform.url, counter_id)
    bare = BareClient(platform.url, desk)
    try:
        progress(f"outbox_drain: {2 * entries:,} cases on the platform")
        made = _platform_decisions(platform, counter_id, 2 * entries)
        ours, theirs = made[:entries], made[entries:]
        documents: dict[str, Document] = {}
        local_ids = []
        with desk.store.write() as db:
            for request_id, number, answer in ours:
                document = documents.get(number)
                if document is None:
                    document = documents[number] = identify(number, kinds=PERSON_KINDS)
                # Decided by the list at the desk; the registration gave it the platform's id.
                decision = dataclasses.replace(
                    read_decision(answer, local_id=request_id), source=DecisionSource.LIST
                )
                insert_decision(db, desk.ctx, decision, document, OPERATOR[0])
                desk.ctx.audit(
                    db,
                    OPERATOR[0],
                    "decision",
                    local_id=decision.local_id,
                    decision_id=decision.decision_id,
                    subject=document.masked_number,
                    item=CANCELLED_ITEM,
                    outcome=decision.outcome.value,
                    source=decision.source.value,
                    amount_fen=decision.amount_fen,
                    waived_fen=decision.waived_fen,
                    emergency=decision.emergency,
                )
                local_ids.append(request_id)
        progress(f"outbox_drain: settling {entries:,} cases at the desk")
        started = time.perf_counter()
        for local_id in local_ids:
            desk.settlements.settle(
                SettlementRequest(
                    local_id=local_id,
                    status=SettlementStatus.SETTLED,
                    total_fen=TOTAL_FEN,
                    insurance_fen=INSURANCE_FEN,
                    self_pay_fen=TOTAL_FEN - INSURANCE_FEN,
                    paid_fen=TOTAL_FEN - INSURANCE_FEN,
                    method="bank_card",
                    operator_id=OPERATOR[0],
                )
            )
        settle_s = time.perf_counter() - started
        payloads = [
            {**_settlement(str(uuid.uuid4()), counter_id), "decision_id": answer["decision_id"]}
            for _, _, answer in theirs
        ]

        progress(f"outbox_drain: delivering {entries:,} settlements, and as many bare")
        desk_s = bare_s = 0.0
        delivered = 0
        for round_no, start in enumerate(range(0, entries, ROUND)):
            # Alternate who goes first, so neither always meets the other's fresh writes.
            for which in (0, 1) if round_no % 2 == 0 else (1, 0):
                if which == 0:
                    t0 = time.perf_counter()
                    done = desk.outbox.deliver_due(limit=ROUND)
                    desk_s += time.perf_counter() - t0
                    if done.attention or done.unreachable:
                        raise BenchError("the platform refused or missed an outbox entry")
                    delivered += len(done.sent)
                else:
                    t0 = time.perf_counter()
                    for payload in payloads[start : start + ROUND]:
                        bare.post("/v1/settlements", payload)
                    bare_s += time.perf_counter() - t0
        left = counts(desk.ctx)
        if delivered != entries or left["pending"] or left["attention"]:
            raise BenchError(f"the outbox did not drain: {delivered} of {entries} delivered")
    finally:
        bare.close()
        desk.close()

    rate = ratio(desk_s, bare_s)
    values: dict[str, Any] = {
        "total_s": round(desk_s, 3),
        "per_entry_ms": ms(desk_s / entries),
        "baseline_total_s": round(bare_s, 3),
        "baseline_per_entry_ms": ms(bare_s / entries),
        "ratio": rate,
        "entries": entries,
        "round": ROUND,
        "settle_per_entry_ms": ms(settle_s / entries),
        "goal": GOAL,
        "met": rate is not None and rate <= 1.2,
    }
    return Figure(
        "outbox_drain",
        f"{desk_s:.2f} s ({ms(desk_s / entries):.2f} ms/entry)",
        f"{bare_s:.2f} s ({ms(bare_s / entries):.2f} ms/entry)",
        values,
    )
