"""Settling a case: amounts, how paid, now or later; later, how a deferred amount ended.

Each settlement is written with its outbox entry in one transaction, so it is either
recorded and on its way to the platform, or not recorded at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from enum import StrEnum

from desk_app.domain.model import Decision, DecisionSource, Item, Text
from desk_app.domain.money import format_fen
from desk_app.errors import BadInputError
from desk_app.identity import Document
from desk_app.platform.answers import RemoteCase
from desk_app.platform.client import PlatformClient
from desk_app.platform.errors import PlatformBadAnswerError, PlatformUnreachableError
from desk_app.services.context import DeskContext, epoch_ms
from desk_app.services.decisions import decision_from_json, insert_decision
from desk_app.services.items import ItemsService
from desk_app.sync.outbox import Kind, enqueue, pending_for

# The operator recorded for a case taken over from another counter (decided there).
TAKEN_OVER = "remote"
# How a settlement was paid, with the names the window and the paper show.
METHOD_NAMES = {
    "cash": Text("现金", "cash"),
    "bank_card": Text("银行卡", "bank card"),
    "unionpay_qr": Text("银联二维码", "UnionPay QR"),
    "wechat": Text("微信", "WeChat Pay"),
    "alipay": Text("支付宝", "Alipay"),
    "transfer": Text("转账", "transfer"),
    "insurance": Text("医保", "insurance"),
    "none": Text("未付", "not paid"),
}
METHODS = tuple(METHOD_NAMES)


class SettlementStatus(StrEnum):
    """Settled now, or due later."""

    SETTLED = "settled"
    DEFERRED = "deferred"


class FinalOutcome(StrEnum):
    """How a deferred settlement ended."""

    PAID = "paid"
    PAID_LATE = "paid_late"
    DEFAULTED = "defaulted"


class SettlementInputError(BadInputError):
    """Amounts or dates that cannot be right."""


@dataclass(frozen=True)
class SettlementRequest:
    """What the clerk enters at settlement. Money in fen."""

    local_id: str
    status: SettlementStatus
    total_fen: int
    insurance_fen: int
    self_pay_fen: int
    paid_fen: int
    method: str
    operator_id: str
    due_date: dt.date | None = None


@dataclass(frozen=True)
class OpenCase:
    """A case not settled yet (or deferred and unpaid).

    ``local_id`` is None for a case only the platform knows (opened at another counter):
    :meth:`SettlementService.adopt` takes it over before it is settled here.
    """

    local_id: str | None
    decision: Decision
    counter_id: str
    settlement_id: str | None
    remote: RemoteCase | None
    due_date: str | None = None
    owed_fen: int | None = None


class SettlementService:
    """Records settlements and their outcomes, and finds open cases.

    Args:
        ctx: the desk's context.
        items: the management list (repayment windows).
        client: the platform client (the institution's open cases).
    """

    def __init__(self, ctx: DeskContext, items: ItemsService, client: PlatformClient) -> None:
        self.ctx = ctx
        self.items = items
        self.client = client

    def default_due_date(self, item: Item) -> dt.date:
        """Today plus the item's repayment window (at least one day)."""
        return self.ctx.now().date() + dt.timedelta(days=max(item.repayment_days, 1))

    def settle(self, request: SettlementRequest) -> str:
        """Record a settlement and queue it for the platform.

        Returns:
            The settlement id (the platform's idempotency key).

        Raises:
            SettlementInputError: amounts or dates that cannot be right.
            StoreError: it could not be recorded (nothing was).
        """
        self._check(request)
        settlement_id = str(uuid.uuid4())
        now = self.ctx.now()
        with self.ctx.store.write() as db:
            row = db.execute(
                "SELECT subject_masked, item_code, decided_at FROM decisions WHERE local_id = ?",
                (request.local_id,),
            ).fetchone()
            if row is None:
                raise SettlementInputError("找不到这个案件。", "This case cannot be found.")
            taken = db.execute(
                "SELECT 1 FROM settlements WHERE local_id = ?", (request.local_id,)
            ).fetchone()
            if taken:
                raise SettlementInputError("该案件已经结算。", "This case is already settled.")
            self._check_window(request, row[1], row[2])
            db.execute(
                "INSERT INTO settlements (settlement_id, local_id, status, due_date, total_fen, "
                "insurance_fen, self_pay_fen, paid_fen, method, operator_id, recorded_at, "
                "recorded_at_ms, final_outcome) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    settlement_id,
                    request.local_id,
                    request.status.value,
                    None if request.due_date is None else request.due_date.isoformat(),
                    request.total_fen,
                    request.insurance_fen,
                    request.self_pay_fen,
                    request.paid_fen,
                    request.method,
                    request.operator_id,
                    now.isoformat(timespec="seconds"),
                    epoch_ms(now),
                    "paid" if request.status is SettlementStatus.SETTLED else None,
                ),
            )
            payload = {
                "settlement_id": settlement_id,
                "status": request.status.value,
                "due_date": None if request.due_date is None else request.due_date.isoformat(),
                # The day the window is judged by, however late the platform gets it.
                "settled_on": now.date().isoformat(),
                "total_fen": request.total_fen,
                "insurance_fen": request.insurance_fen,
                "self_pay_fen": request.self_pay_fen,
                "paid_fen": request.paid_fen,
                "method": request.method,
                "counter_id": self.ctx.counter_id,
                "operator_id": request.operator_id,
            }
            depends = pending_for(db, Kind.DECISION, request.local_id)
            enqueue(db, self.ctx, Kind.SETTLEMENT, settlement_id, json.dumps(payload), depends)
            self.ctx.audit(
                db,
                request.operator_id,
                "settlement",
                settlement_id=settlement_id,
                local_id=request.local_id,
                subject=row[0],
                item=row[1],
                status=request.status.value,
                total_fen=request.total_fen,
                self_pay_fen=request.self_pay_fen,
                paid_fen=request.paid_fen,
            )
        return settlement_id

    def record_outcome(
        self,
        settlement_id: str,
        outcome: FinalOutcome,
        paid_fen: int,
        operator_id: str,
        paid_on: dt.date | None = None,
    ) -> str:
        """Record how a deferred settlement ended and queue it for the platform.

        A payment (on time or late) clears what was owed and has a date (default today);
        a default is anything less.

        Returns:
            The update id.

        Raises:
            SettlementInputError: not a deferred settlement, already ended, or amounts and
                dates that do not fit the outcome.
        """
        update_id = str(uuid.uuid4())
        if outcome is not FinalOutcome.DEFAULTED and paid_on is None:
            paid_on = self.ctx.now().date()
        with self.ctx.store.write() as db:
            row = db.execute(
                "SELECT status, final_outcome, self_pay_fen - paid_fen, due_date "
                "FROM settlements WHERE settlement_id = ?",
                (settlement_id,),
            ).fetchone()
            if row is None or row[0] != "deferred":
                raise SettlementInputError(
                    "只有“到期再付”的结算才能登记还款结果。",
                    "Only a deferred settlement takes a payment outcome.",
                )
            if row[1] is not None:
                raise SettlementInputError(
                    "该结算已有最终结果。", "This settlement already has its outcome."
                )
            _check_outcome(outcome, paid_fen, row[2], dt.date.fromisoformat(row[3]), paid_on)
            db.execute(
                "INSERT INTO settlement_updates (update_id, settlement_id, outcome, paid_fen, "
                "paid_on, operator_id, recorded_at_ms) VALUES (?,?,?,?,?,?,?)",
                (
                    update_id,
                    settlement_id,
                    outcome.value,
                    paid_fen,
                    None if paid_on is None else paid_on.isoformat(),
                    operator_id,
                    epoch_ms(self.ctx.now()),
                ),
            )
            db.execute(
                "UPDATE settlements SET final_outcome = ? WHERE settlement_id = ?",
                (outcome.value, settlement_id),
            )
            payload = {
                "settlement_id": settlement_id,
                "update_id": update_id,
                "outcome": outcome.value,
                "paid_fen": paid_fen,
                "paid_on": None if paid_on is None else paid_on.isoformat(),
                "counter_id": self.ctx.counter_id,
                "operator_id": operator_id,
            }
            depends = pending_for(db, Kind.SETTLEMENT, settlement_id)
            enqueue(db, self.ctx, Kind.SETTLEMENT_UPDATE, update_id, json.dumps(payload), depends)
            self.ctx.audit(
                db,
                operator_id,
                "settlement_outcome",
                settlement_id=settlement_id,
                outcome=outcome.value,
                paid_fen=paid_fen,
            )
        return update_id

    def open_cases(self, document: Document, operator_id: str) -> list[OpenCase]:
        """This person's open cases: this desk's, and (online) the institution's.

        The query is audited. Offline, the desk's own cases are still listed.
        """
        key = self.ctx.subject_key(document.subject_id)
        with self.ctx.store.read() as db:
            rows = db.execute(
                "SELECT d.local_id, d.json, d.counter_id, s.settlement_id, s.due_date, "
                "s.self_pay_fen - s.paid_fen FROM decisions d "
                "LEFT JOIN settlements s USING (local_id) "
                "WHERE d.subject_key = ? AND (s.settlement_id IS NULL OR "
                "(s.status = 'deferred' AND s.final_outcome IS NULL)) "
                "ORDER BY d.decided_at_ms",
                (key,),
            ).fetchall()
        cases = [
            OpenCase(
                local_id=r[0],
                decision=decision_from_json(r[1]),
                counter_id=r[2],
                settlement_id=r[3],
                remote=None,
                due_date=r[4],
                owed_fen=r[5],
            )
            for r in rows
        ]
        with self.ctx.store.read() as db:
            # Every case this desk knows, settled ones included: a settlement still on its
            # way leaves the platform showing the case as open.
            known = {
                r[0]
                for r in db.execute(
                    "SELECT decision_id FROM decisions WHERE subject_key = ? "
                    "AND decision_id IS NOT NULL",
                    (key,),
                )
            }
        online = True
        try:
            remote = self.client.open_cases(document.kind.value, document.platform_number)
        except (PlatformUnreachableError, PlatformBadAnswerError):
            remote, online = [], False
        for case in remote:
            if case.decision.decision_id not in known:
                cases.append(
                    OpenCase(None, case.decision, case.counter_id, case.settlement_id, case)
                )
        with self.ctx.store.write() as db:
            self.ctx.audit(
                db, operator_id, "cases_query", subject=document.masked_number,
                found=len(cases), online=online,
            )  # fmt: skip
        return cases

    def adopt(self, case: OpenCase, document: Document) -> str:
        """Take over a case opened at another counter, so it can be settled here.

        Args:
            case: from :meth:`open_cases`.
            document: the person's document (the case is keyed by it here).

        Returns:
            The local id of the case.
        """
        if case.local_id is not None:
            return case.local_id
        decision = case.decision
        assert decision.decision_id is not None
        with self.ctx.store.write() as db:
            known = db.execute(
                "SELECT local_id FROM decisions WHERE decision_id = ?", (decision.decision_id,)
            ).fetchone()
            if known:
                return str(known[0])
            taken_over = dataclasses.replace(
                decision, local_id=decision.decision_id, source=DecisionSource.ONLINE
            )
            insert_decision(db, self.ctx, taken_over, document, TAKEN_OVER, case.counter_id)
        return decision.decision_id

    def _check_window(self, r: SettlementRequest, item_code: str, decided_at: str) -> None:
        """A due date within the item's repayment window, counted from the decision."""
        if r.due_date is None:
            return
        item = self.items.get(item_code)
        if item.repayment_days <= 0:
            return
        decided_on = dt.datetime.fromisoformat(decided_at).date()
        last = max(decided_on + dt.timedelta(days=item.repayment_days), self.ctx.now().date())
        if r.due_date > last:
            raise SettlementInputError(
                f"到期日不能晚于 {last.isoformat()}（还款期 {item.repayment_days} 天）。",
                f"The due date cannot be after {last.isoformat()} (repayment window "
                f"{item.repayment_days} days).",
            )

    def _check(self, r: SettlementRequest) -> None:
        def refuse(zh: str, en: str) -> None:
            raise SettlementInputError(zh, en)

        if min(r.total_fen, r.insurance_fen, r.self_pay_fen, r.paid_fen) < 0:
            refuse("金额不能为负数。", "Amounts cannot be negative.")
        if r.insurance_fen + r.self_pay_fen != r.total_fen:
            refuse(
                "医保支付与自付之和须等于总额。", "Insurance plus self-pay must equal the total."
            )
        if r.paid_fen > r.self_pay_fen:
            refuse("实付金额不能大于自付金额。", "The amount paid cannot exceed self-pay.")
        if r.method not in METHODS:
            refuse("请选择支付方式。", "Choose how it was paid.")
        if r.status is SettlementStatus.SETTLED:
            if r.paid_fen != r.self_pay_fen:
                refuse(
                    "还有未付金额：请选择“到期再付”并填写到期日。",
                    "An amount is still unpaid: choose 'due later' and a due date.",
                )
            return
        if r.due_date is None:
            refuse("“到期再付”需要到期日。", "'Due later' needs a due date.")
        elif r.due_date < self.ctx.now().date():
            refuse("到期日不能早于今天。", "The due date cannot be before today.")
        if r.paid_fen >= r.self_pay_fen:
            refuse("已全部付清，请选择“当场结清”。", "Everything is paid: choose 'settled now'.")


def _check_outcome(
    outcome: FinalOutcome, paid_fen: int, owed: int, due: dt.date, paid_on: dt.date | None
) -> None:
    """The platform's rules for a payment outcome, checked before anything is recorded."""
    if paid_fen < 0 or paid_fen > owed:
        raise SettlementInputError(
            f"还款金额须在 0 到欠款 {format_fen(owed, False)} 元之间。",
            f"The amount paid must be between 0 and what was owed ({format_fen(owed, False)} "
            "yuan).",
        )
    if outcome is FinalOutcome.DEFAULTED:
        if paid_fen >= owed:
            raise SettlementInputError(
                "欠款已全部还清，不是违约。", "Everything owed was paid: this is no default."
            )
        return
    if paid_fen != owed:
        raise SettlementInputError(
            "还款须还清欠款；未还清请登记为违约。",
            "A payment must clear what was owed; otherwise record a default.",
        )
    assert paid_on is not None
    if outcome is FinalOutcome.PAID and paid_on > due:
        raise SettlementInputError(
            "还款日期晚于到期日，应登记为逾期还款。", "Paid after the due date: record it as late."
        )
    if outcome is FinalOutcome.PAID_LATE and paid_on <= due:
        raise SettlementInputError(
            "还款日期未超过到期日，应登记为按时还款。", "Paid by the due date: record it as paid."
        )


class DepositService:
    """Deposits still collected (supervised items, or a credit refusal): collected, refunded.

    Kept at the desk with the case and in the audit trail; the monthly report carries
    the totals to the platform.
    """

    def __init__(self, ctx: DeskContext) -> None:
        self.ctx = ctx

    def collected(self, local_id: str, amount_fen: int, method: str, operator_id: str) -> None:
        """Record that the deposit was collected.

        Raises:
            SettlementInputError: unknown case, already recorded, or a bad amount or method.
        """
        if amount_fen <= 0:
            raise SettlementInputError("押金金额须大于 0。", "The deposit must be more than 0.")
        if method not in METHODS or method == "none":
            raise SettlementInputError("请选择收取方式。", "Choose how the deposit was paid.")
        with self.ctx.store.write() as db:
            row = db.execute(
                "SELECT subject_masked FROM decisions WHERE local_id = ?", (local_id,)
            ).fetchone()
            if row is None:
                raise SettlementInputError("找不到这个案件。", "This case cannot be found.")
            if db.execute("SELECT 1 FROM deposits WHERE local_id = ?", (local_id,)).fetchone():
                raise SettlementInputError(
                    "该案件的押金已登记。", "This case's deposit is recorded already."
                )
            db.execute(
                "INSERT INTO deposits (local_id, collected_fen, method, collected_at_ms) "
                "VALUES (?, ?, ?, ?)",
                (local_id, amount_fen, method, epoch_ms(self.ctx.now())),
            )
            self.ctx.audit(
                db, operator_id, "deposit_collected", local_id=local_id, subject=row[0],
                amount_fen=amount_fen, method=method,
            )  # fmt: skip

    def refunded(self, local_id: str, amount_fen: int, operator_id: str) -> None:
        """Record that the deposit was refunded (all of it, or what is left after costs).

        Raises:
            SettlementInputError: no deposit collected, already refunded, or too much.
        """
        with self.ctx.store.write() as db:
            row = db.execute(
                "SELECT collected_fen, refunded_fen FROM deposits WHERE local_id = ?",
                (local_id,),
            ).fetchone()
            if row is None:
                raise SettlementInputError(
                    "该案件没有登记收取押金。", "No deposit was recorded for this case."
                )
            if row[1] is not None:
                raise SettlementInputError("押金已退还。", "The deposit was refunded already.")
            if not 0 <= amount_fen <= row[0]:
                raise SettlementInputError(
                    "退还金额不能超过已收押金。", "The refund cannot exceed the deposit."
                )
            db.execute(
                "UPDATE deposits SET refunded_fen = ?, refunded_at_ms = ? WHERE local_id = ?",
                (amount_fen, epoch_ms(self.ctx.now()), local_id),
            )
            self.ctx.audit(
                db, operator_id, "deposit_refunded", local_id=local_id, amount_fen=amount_fen
            )

    def status(self, local_id: str) -> tuple[int, int | None] | None:
        """``(collected, refunded or None)`` in fen, or None when nothing was collected."""
        with self.ctx.store.read() as db:
            row = db.execute(
                "SELECT collected_fen, refunded_fen FROM deposits WHERE local_id = ?",
                (local_id,),
            ).fetchone()
        return None if row is None else (int(row[0]), None if row[1] is None else int(row[1]))
