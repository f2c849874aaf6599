"""Deciding at the counter: online when the platform answers, by the offline rules when not.

- Online: the platform decides; the decision is cached with its ``valid_until``.
- Offline, a still-valid cached decision for the same person and item: it is used,
  marked as cached, with its age.
- Offline without one: the item's offline policy. ``collect``: the deposit is
  collected. ``provisional``: a provisional waiver on the signed commitment, within
  the item's daily cap per counter, verified with the platform when it answers again;
  a refusal raises an alert that stays until a clerk acknowledges it.
- Cancelled and legally cleared items never need the platform (``not_required``);
  supervised items are collected. Both are registered with the platform through the
  outbox so that the case exists there too.
- An emergency on an item with an emergency path is never refused for lack of credit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from desk_app.domain.model import (
    Decision,
    DecisionSource,
    Item,
    ItemPath,
    OfflineMode,
    Outcome,
    Reason,
    Text,
)
from desk_app.errors import BadInputError
from desk_app.identity import Document
from desk_app.platform.client import PlatformClient
from desk_app.platform.errors import PlatformBadAnswerError, PlatformUnreachableError
from desk_app.services.context import SYSTEM, DeskContext, epoch_ms
from desk_app.services.items import ItemsService
from desk_app.store.database import DAMAGED_VALUE_ERRORS, StoreRecordError
from desk_app.sync.outbox import Kind, Sealer, enqueue, refuse_known_decision_id

# How long a decision made without the platform may be honoured before it is stale.
OFFLINE_VALID_HOURS = 24


class CommitmentRequiredError(BadInputError):
    """A credit item needs the customer's signed commitment first."""

    def __init__(self) -> None:
        super().__init__(
            "请先让客户授权查询并签署信用承诺书。",
            "The customer must authorise the query and sign the credit commitment first.",
        )


class EmergencyNotAvailableError(BadInputError):
    """An emergency asked for on an item without an emergency path."""

    def __init__(self) -> None:
        super().__init__("该事项没有急诊通道。", "This item has no emergency path.")


@dataclass(frozen=True)
class DecisionRequest:
    """What the clerk asks for.

    Attributes:
        document: who, as read by :func:`desk_app.identity.identify`.
        item_code: which item.
        amount_fen: the deposit that would be collected; None for the item's standard.
        commitment_signed_at: when the customer signed the commitment, if they did.
        commitment_channel: how (``paper``, ``signature_pad``, ``app``).
        operator_id: the signed-in clerk.
        emergency: a hospital emergency admission.
    """

    document: Document
    item_code: str
    operator_id: str
    amount_fen: int | None = None
    commitment_signed_at: dt.datetime | None = None
    commitment_channel: str = "signature_pad"
    emergency: bool = False


def _reason(code: str, zh: str, en: str) -> Reason:
    return Reason(code, Text(zh, en))


def decision_json(decision: Decision) -> str:
    """A decision as stored in the ``json`` column."""
    raw = dataclasses.asdict(decision)
    raw["decided_at"] = decision.decided_at.isoformat()
    raw["valid_until"] = decision.valid_until.isoformat()
    return json.dumps(raw, ensure_ascii=False)


def decision_from_json(text: str) -> Decision:
    """A decision back from the ``json`` column.

    Raises:
        StoreRecordError: the stored text is damaged (a bug report would not help).
    """
    try:
        raw: dict[str, Any] = json.loads(text)
        raw["outcome"] = Outcome(raw["outcome"])
        raw["source"] = DecisionSource(raw["source"])
        raw["decided_at"] = dt.datetime.fromisoformat(raw["decided_at"])
        raw["valid_until"] = dt.datetime.fromisoformat(raw["valid_until"])
        raw["reasons"] = tuple(Reason(r["code"], Text(**r["text"])) for r in raw["reasons"])
        return Decision(**raw)
    except DAMAGED_VALUE_ERRORS as exc:
        raise StoreRecordError("decisions", f"{type(exc).__name__}: {exc}") from None


class DecisionService:
    """Makes and records decisions.

    Args:
        ctx: the desk's context.
        client: the platform client.
        items: the management list.
        sealer: encrypts outbox payloads that carry an identity number.
    """

    def __init__(
        self, ctx: DeskContext, client: PlatformClient, items: ItemsService, sealer: Sealer
    ) -> None:
        self.ctx = ctx
        self.client = client
        self.items = items
        self.sealer = sealer

    def decide(self, request: DecisionRequest) -> Decision:
        """Decide, online or by the offline rules, and record it.

        Raises:
            CommitmentRequiredError: a credit item without the signed commitment.
            UnknownItemError: the counter does not offer the item.
            PlatformRefusedError: the platform refused the request (e.g. a bad subject).
            StoreError: the decision could not be recorded.
        """
        item = self.items.get(request.item_code)
        amount = request.amount_fen if request.amount_fen is not None else item.standard_deposit_fen
        if request.emergency and not item.emergency_path:
            raise EmergencyNotAvailableError()
        emergency = request.emergency
        if item.path is ItemPath.CREDIT and request.commitment_signed_at is None and not emergency:
            raise CommitmentRequiredError()
        local_id = str(uuid.uuid4())
        body = self._platform_body(request, item, amount, local_id, emergency)
        if item.path is not ItemPath.CREDIT:
            decision = self._by_the_list(item, amount, local_id)
            self._record(request, decision, body)
            return decision
        try:
            decision = self.client.decide(body, attempts=2)
            with self.ctx.store.read() as db:
                refuse_known_decision_id(db, decision, local_id)
        except (PlatformUnreachableError, PlatformBadAnswerError):
            decision = self._offline(request, item, amount, local_id, emergency)
            self._record(request, decision, body)
            return decision
        self._record(request, decision, None)
        return decision

    # -- the paths ----------------------------------------------------------------------

    def _by_the_list(self, item: Item, amount: int, local_id: str) -> Decision:
        now = self.ctx.now()
        if item.path is ItemPath.SUPERVISED:
            outcome, waived = Outcome.COLLECT, 0
            reason = _reason(
                "supervised_item",
                "该事项仍收取押金（加强监管），请登记收取金额和方式，归还后退还。",
                "This deposit is still collected under supervision: record amount and method, "
                "refund on return.",
            )
        else:
            outcome, waived = Outcome.NOT_REQUIRED, amount
            reason = _reason(
                "item_cancelled" if item.path is ItemPath.CANCELLED else "item_legally_cleared",
                "该押金已取消，无需查询信用，只登记服务。",
                "This deposit is abolished: no credit check, the service is recorded.",
            )
        return Decision(
            local_id=local_id,
            item_code=item.code,
            outcome=outcome,
            source=DecisionSource.LIST,
            amount_fen=amount,
            waived_fen=waived,
            decided_at=now,
            valid_until=now + dt.timedelta(hours=item.decision_valid_hours),
            reasons=(reason,),
        )

    def _offline(
        self, request: DecisionRequest, item: Item, amount: int, local_id: str, emergency: bool
    ) -> Decision:
        now = self.ctx.now()
        cached = self.cached(request.document.subject_id, item.code)
        if cached is not None and not emergency:
            age_min = int(cached.age(now).total_seconds() // 60)
            return dataclasses.replace(
                cached,
                local_id=local_id,
                decision_id=None,
                source=DecisionSource.CACHE,
                amount_fen=amount,
                waived_fen=amount if cached.outcome is not Outcome.COLLECT else 0,
                reasons=(
                    *cached.reasons,
                    _reason(
                        "cached",
                        f"信用平台暂时连不上：沿用 {age_min} 分钟前的平台决定（仍在有效期内）。",
                        f"The platform is unreachable: the platform's decision of {age_min} "
                        "minutes ago is used (still valid).",
                    ),
                ),
            )
        valid_until = now + dt.timedelta(hours=OFFLINE_VALID_HOURS)
        base = Decision(
            local_id=local_id,
            item_code=item.code,
            outcome=Outcome.COLLECT,
            source=DecisionSource.OFFLINE_COLLECT,
            amount_fen=amount,
            waived_fen=0,
            decided_at=now,
            valid_until=valid_until,
            threshold=item.min_score,
            min_level=item.min_level,
            emergency=emergency,
        )
        if emergency:
            return dataclasses.replace(
                base,
                outcome=Outcome.WAIVE,
                source=DecisionSource.PROVISIONAL,
                waived_fen=amount,
                reasons=(
                    _reason(
                        "emergency_offline",
                        "急诊入院：先救治。信用平台恢复后自动核验。",
                        "Emergency admission: treat now. Verified with the platform when it "
                        "is back.",
                    ),
                ),
            )
        if item.offline_mode is OfflineMode.PROVISIONAL:
            used = self._provisional_used_today(item.code)
            if used + amount <= item.offline_cap_fen:
                return dataclasses.replace(
                    base,
                    outcome=Outcome.WAIVE,
                    source=DecisionSource.PROVISIONAL,
                    waived_fen=amount,
                    reasons=(
                        _reason(
                            "provisional",
                            "信用平台暂时连不上：凭已签署的信用承诺书临时免押，平台恢复后核验；"
                            "如被拒绝，将提示收取押金。",
                            "The platform is unreachable: provisional waiver on the signed "
                            "commitment, verified when it is back; if refused you will be told "
                            "to collect.",
                        ),
                    ),
                )
            return dataclasses.replace(
                base,
                reasons=(
                    _reason(
                        "provisional_cap_reached",
                        "信用平台暂时连不上，且本柜台今日临时免押额度已用完：请收取押金。",
                        "The platform is unreachable and today's provisional waiver cap of "
                        "this counter is used up: collect the deposit.",
                    ),
                ),
            )
        return dataclasses.replace(
            base,
            reasons=(
                _reason(
                    "offline_collect",
                    "信用平台暂时连不上，本事项离线时按规定收取押金。",
                    "The platform is unreachable; offline, this item's deposit is collected.",
                ),
            ),
        )

    # -- cache --------------------------------------------------------------------------

    def cached(self, subject_id: str, item_code: str) -> Decision | None:
        """The newest still-valid platform decision for this person and item, if any.

        Args:
            subject_id: :attr:`Document.subject_id` (the number, or state and passport).
            item_code: the item.
        """
        with self.ctx.store.read() as db:
            row = db.execute(
                "SELECT json FROM decisions WHERE subject_key = ? AND item_code = ? "
                "AND valid_until_ms > ? AND source = 'online' "
                "ORDER BY decided_at_ms DESC LIMIT 1",
                (self.ctx.subject_key(subject_id), item_code, epoch_ms(self.ctx.now())),
            ).fetchone()
        return None if row is None else decision_from_json(row[0])

    def _provisional_used_today(self, item_code: str) -> int:
        now = self.ctx.now()
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        with self.ctx.store.read() as db:
            row = db.execute(
                "SELECT COALESCE(SUM(waived_fen), 0) FROM decisions "
                "WHERE source = 'provisional' AND emergency = 0 AND item_code = ? "
                "AND counter_id = ? AND decided_at_ms >= ?",
                (item_code, self.ctx.counter_id, epoch_ms(midnight)),
            ).fetchone()
        return int(row[0])

    # -- recording ----------------------------------------------------------------------

    def _platform_body(
        self, request: DecisionRequest, item: Item, amount: int, local_id: str, emergency: bool
    ) -> dict[str, Any]:
        commitment = None
        if request.commitment_signed_at is not None:
            commitment = {
                "signed_at": request.commitment_signed_at.isoformat(timespec="seconds"),
                "channel": request.commitment_channel,
            }
        return {
            "item_code": item.code,
            "subject": {
                "kind": request.document.kind.value,
                "number": request.document.platform_number,
            },
            "commitment": commitment,
            "amount_fen": amount,
            "counter_id": self.ctx.counter_id,
            "operator_id": request.operator_id,
            "emergency": emergency,
            "request_id": local_id,
        }

    def _record(
        self, request: DecisionRequest, decision: Decision, register: dict[str, Any] | None
    ) -> None:
        """Store the decision, queue its registration when the platform lacks it, audit it."""
        document = request.document
        with self.ctx.store.write() as db:
            insert_decision(db, self.ctx, decision, document, request.operator_id)
            if register is not None:
                enqueue(db, self.ctx, Kind.DECISION, decision.local_id, self.sealer.seal(register))
            self.ctx.audit(
                db,
                request.operator_id,
                "decision",
                local_id=decision.local_id,
                decision_id=decision.decision_id,
                subject=document.masked_number,
                item=decision.item_code,
                outcome=decision.outcome.value,
                source=decision.source.value,
                amount_fen=decision.amount_fen,
                waived_fen=decision.waived_fen,
                emergency=decision.emergency,
            )


def insert_decision(
    db: sqlite_utils.Database,
    ctx: DeskContext,
    decision: Decision,
    document: Document,
    operator_id: str,
    counter_id: str | None = None,
) -> None:
    """Insert a decision row (inside the caller's transaction).

    Args:
        db: the connection, inside :meth:`Store.write`.
        ctx: the desk's context.
        decision: the decision.
        document: whose.
        operator_id: who made or took it.
        counter_id: the counter it was made at (default this one).
    """
    verification = "pending" if decision.source is DecisionSource.PROVISIONAL else None
    db.execute(
        "INSERT INTO decisions (local_id, decision_id, subject_key, subject_kind, "
        "subject_masked, item_code, outcome, source, amount_fen, waived_fen, decided_at, "
        "decided_at_ms, valid_until_ms, emergency, json, operator_id, counter_id, verification) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            decision.local_id,
            decision.decision_id,
            ctx.subject_key(document.subject_id),
            document.kind.value,
            document.masked_number,
            decision.item_code,
            decision.outcome.value,
            decision.source.value,
            decision.amount_fen,
            decision.waived_fen,
            decision.decided_at.isoformat(),
            epoch_ms(decision.decided_at),
            epoch_ms(decision.valid_until),
            int(decision.emergency),
            decision_json(decision),
            operator_id,
            counter_id or ctx.counter_id,
            verification,
        ),
    )


def apply_registration(
    db: sqlite_utils.Database, ctx: DeskContext, local_id: str, answer: Decision
) -> None:
    """The platform now has a decision the desk made without it: keep its id and verify.

    A provisional waiver the platform refuses raises an alert that stays until a clerk
    acknowledges it: the deposit must be collected now.
    """
    row = db.execute(
        "SELECT verification, subject_masked, amount_fen FROM decisions WHERE local_id = ?",
        (local_id,),
    ).fetchone()
    if row is None:
        return
    verification, masked, amount = row
    if verification == "pending":
        refused = answer.outcome is Outcome.COLLECT
        verification = "refused" if refused else "confirmed"
        if refused:
            reason = answer.reasons[0].text if answer.reasons else Text("", "")
            db.execute(
                "INSERT OR IGNORE INTO alerts (id, kind, ref, subject_masked, message_zh, "
                "message_en, amount_fen, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    str(uuid.uuid4()),
                    "provisional_refused",
                    local_id,
                    masked,
                    f"临时免押未通过平台核验：请向客户（{masked}）收取押金。{reason.zh}",
                    f"The provisional waiver was refused by the platform: collect the deposit "
                    f"from the customer ({masked}). {reason.en}",
                    amount,
                    epoch_ms(ctx.now()),
                ),
            )
            ctx.audit(db, SYSTEM, "provisional_refused", local_id=local_id, subject=masked)
    db.execute(
        "UPDATE decisions SET decision_id = ?, verification = ? WHERE local_id = ?",
        (answer.decision_id, verification, local_id),
    )
