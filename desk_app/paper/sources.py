"""What goes on paper, read from the store: nothing here needs the platform.

A decision slip or settlement receipt can be printed again at any time, also offline,
because everything on it is in the desk's own records (masked numbers only: the
store never holds a raw one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desk_app.domain.model import Decision, Item, Text
from desk_app.errors import BadInputError
from desk_app.identity import Document
from desk_app.services import institution
from desk_app.services.context import CHINA_TIME, DeskContext
from desk_app.services.decisions import decision_from_json
from desk_app.services.items import ItemsService
from desk_app.services.settlements import TAKEN_OVER


class NothingToPrintError(BadInputError):
    """There is no such record (or none yet) to print."""


@dataclass(frozen=True)
class Heading:
    """Who issues the paper: institution, counter, operator, when."""

    institution: Text
    counter_id: str
    operator_id: str
    operator_name: str
    printed_at: dt.datetime


@dataclass(frozen=True)
class CommitmentData:
    """A credit commitment letter (信用承诺书) for one customer and item."""

    heading: Heading
    subject_masked: str
    name: str | None  # from the card; None leaves a line to write it in
    item_code: str
    item_name: Text
    repayment_days: int
    decision_id: str | None  # None when printed before the decision


@dataclass(frozen=True)
class SlipData:
    """A decision slip."""

    heading: Heading
    subject_masked: str
    item_name: Text
    decision: Decision
    case_id: str
    reprint: bool


@dataclass(frozen=True)
class ReceiptData:
    """A settlement receipt."""

    heading: Heading
    subject_masked: str
    item_name: Text
    case_id: str
    settlement_id: str
    status: str  # settled, deferred, or the deferred amount's outcome
    total_fen: int
    insurance_fen: int
    self_pay_fen: int
    paid_fen: int
    due_fen: int
    due_date: dt.date | None
    method: str
    recorded_at: dt.datetime
    reprint: bool


class PaperSources:
    """Reads the records a paper is made from.

    Args:
        ctx: the desk's context.
        items: the management list (item names and repayment windows).
    """

    def __init__(self, ctx: DeskContext, items: ItemsService) -> None:
        self.ctx = ctx
        self.items = items

    def heading(self, operator_id: str) -> Heading:
        """The heading for a paper printed now by ``operator_id``."""
        known = institution.known(self.ctx)
        with self.ctx.store.read() as db:
            row = db.execute(
                "SELECT name FROM operators WHERE operator_id = ?", (operator_id,)
            ).fetchone()
        return Heading(
            institution=known[1] if known else Text("", ""),
            counter_id=self.ctx.counter_id,
            operator_id=operator_id,
            operator_name="" if row is None else str(row[0]),
            printed_at=self.ctx.now().astimezone(CHINA_TIME),
        )

    def _item_name(self, code: str) -> Text:
        names = {item.code: item.name for item in self.items.all()}
        return names.get(code, Text(code, code))

    def commitment(
        self,
        document: Document,
        item: Item,
        operator_id: str,
        name: str | None = None,
        decision: Decision | None = None,
    ) -> CommitmentData:
        """The commitment letter for ``document`` and ``item``, before or with the decision."""
        return CommitmentData(
            heading=self.heading(operator_id),
            subject_masked=document.masked_number,
            name=name,
            item_code=item.code,
            item_name=item.name,
            repayment_days=item.repayment_days,
            decision_id=None if decision is None else decision.decision_id or decision.local_id,
        )

    def slip(self, local_id: str, operator_id: str, reprint: bool = False) -> SlipData:
        """The decision slip of case ``local_id``.

        Raises:
            NothingToPrintError: no such case.
        """
        with self.ctx.store.read() as db:
            row = db.execute(
                "SELECT json, subject_masked, item_code FROM decisions WHERE local_id = ?",
                (local_id,),
            ).fetchone()
        if row is None:
            raise NothingToPrintError("找不到这个决定。", "This decision cannot be found.")
        decision = decision_from_json(row[0])
        return SlipData(
            heading=self.heading(operator_id),
            subject_masked=row[1],
            item_name=self._item_name(row[2]),
            decision=decision,
            case_id=decision.decision_id or decision.local_id,
            reprint=reprint,
        )

    def receipt(self, settlement_id: str, operator_id: str, reprint: bool = False) -> ReceiptData:
        """The receipt of settlement ``settlement_id``, with its outcome when there is one.

        Raises:
            NothingToPrintError: no such settlement.
        """
        with self.ctx.store.read() as db:
            row = db.execute(
                "SELECT d.subject_masked, d.item_code, COALESCE(d.decision_id, d.local_id), "
                "s.status, s.final_outcome, s.total_fen, s.insurance_fen, s.self_pay_fen, "
                "s.paid_fen + COALESCE((SELECT SUM(u.paid_fen) FROM settlement_updates u "
                "  WHERE u.settlement_id = s.settlement_id), 0), "
                "s.due_date, s.method, s.recorded_at FROM settlements s "
                "JOIN decisions d USING (local_id) WHERE s.settlement_id = ?",
                (settlement_id,),
            ).fetchone()
        if row is None:
            raise NothingToPrintError("找不到这笔结算。", "This settlement cannot be found.")
        masked, item_code, case_id, status, outcome, total, insurance, self_pay, paid = row[:9]
        due_date, method, recorded_at = row[9:]
        if status == "deferred" and outcome is not None:
            status = outcome
        return ReceiptData(
            heading=self.heading(operator_id),
            subject_masked=masked,
            item_name=self._item_name(item_code),
            case_id=case_id,
            settlement_id=settlement_id,
            status=status,
            total_fen=total,
            insurance_fen=insurance,
            self_pay_fen=self_pay,
            paid_fen=paid,
            due_fen=max(self_pay - paid, 0) if outcome is None else 0,
            due_date=None if due_date is None else dt.date.fromisoformat(due_date),
            method=method,
            recorded_at=dt.datetime.fromisoformat(recorded_at),
            reprint=reprint,
        )

    def last(self, operator_id: str) -> SlipData | ReceiptData:
        """The last slip or receipt this counter issued, for a reprint (works offline).

        Raises:
            NothingToPrintError: nothing was decided or settled here yet.
        """
        with self.ctx.store.read() as db:
            decision = db.execute(
                "SELECT local_id, decided_at_ms FROM decisions WHERE operator_id != ? "
                "ORDER BY decided_at_ms DESC, rowid DESC LIMIT 1",
                (TAKEN_OVER,),
            ).fetchone()
            settlement = db.execute(
                "SELECT settlement_id, MAX(s.recorded_at_ms, COALESCE(MAX(u.recorded_at_ms), 0)) "
                "AS at FROM settlements s LEFT JOIN settlement_updates u USING (settlement_id) "
                "GROUP BY settlement_id ORDER BY at DESC, s.rowid DESC LIMIT 1"
            ).fetchone()
        if decision is None and settlement is None:
            raise NothingToPrintError(
                "本窗口还没有可重打的单据。", "Nothing was decided or settled here yet."
            )
        if settlement is not None and (decision is None or settlement[1] >= decision[1]):
            return self.receipt(settlement[0], operator_id, reprint=True)
        assert decision is not None
        return self.slip(decision[0], operator_id, reprint=True)
