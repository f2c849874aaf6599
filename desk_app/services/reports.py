"""The monthly report: what this counter did in a month, per item, from its own store.

The figures come from the desk's records only, so they match the store exactly:

- decisions made at this counter in the month (cases taken over from another counter
  were decided there and are not counted again), by outcome, and the amounts waived
  (by waive decisions: a cancelled item's deposit no longer exists to be waived);
- settlement events in the month: settled at once or a deferred amount paid by its due
  date (on time), paid after it (late), given up (defaulted); and the deferred
  settlements still unpaid at the month's end (open);
- provisional waivers granted in the month, and how the platform's check ended
  (confirmed, refused, still pending);
- supervised deposits collected and refunded in the month.

Months are calendar months in China time. A report goes to the platform through the
outbox; a month already submitted with the same figures is not sent again, other
figures go as the next revision (the platform's correction rule).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from desk_app.domain.model import Text
from desk_app.errors import BadInputError
from desk_app.exports import export_file
from desk_app.services import institution
from desk_app.services.context import CHINA_TIME, DeskContext, epoch_ms
from desk_app.services.items import ItemsService
from desk_app.services.settlements import TAKEN_OVER
from desk_app.sync.outbox import Kind, enqueue

_MONTH = re.compile(r"(\d{4})-(\d{2})")


class ReportInputError(BadInputError):
    """A month that cannot be reported."""


@dataclass(frozen=True)
class ItemFigures:
    """One item's figures for the month; money in fen.

    The first fields are the contract's ``ReportItem``; the rest are shown and
    exported but not sent (the contract has no field for them).
    """

    item_code: str
    decisions_waive: int = 0
    decisions_collect: int = 0
    decisions_not_required: int = 0
    waived_fen: int = 0
    settlements_on_time: int = 0
    settlements_late: int = 0
    settlements_defaulted: int = 0
    settlements_open: int = 0
    provisional_granted: int = 0
    provisional_refused: int = 0
    supervised_collected_fen: int = 0
    supervised_refunded_fen: int = 0
    # Not in the contract:
    provisional_confirmed: int = 0
    provisional_pending: int = 0

    def contract_row(self) -> dict[str, int | str]:
        """The row as ``POST /v1/reports/monthly`` takes it."""
        row = asdict(self)
        for name in _LOCAL_ONLY:
            del row[name]
        return row


_LOCAL_ONLY = ("provisional_confirmed", "provisional_pending")
FIGURE_NAMES = tuple(f.name for f in fields(ItemFigures) if f.name != "item_code")


@dataclass(frozen=True)
class DayOutcomes:
    """Settlement outcomes recorded on one day of the month."""

    day: dt.date
    on_time: int = 0
    late: int = 0
    defaulted: int = 0


@dataclass(frozen=True)
class MonthlyReport:
    """A month's figures: per item, totals, and settlement outcomes per day."""

    month: str
    counter_id: str
    items: tuple[ItemFigures, ...]
    days: tuple[DayOutcomes, ...]
    item_names: dict[str, str] = field(default_factory=dict)
    item_names_en: dict[str, str] = field(default_factory=dict)
    institution: Text = field(default_factory=lambda: Text("", ""))

    @property
    def totals(self) -> ItemFigures:
        """Every figure summed over the items."""
        return ItemFigures(
            "",
            **{name: sum(getattr(i, name) for i in self.items) for name in FIGURE_NAMES},
        )

    def body(self, revision: int, operator_id: str) -> dict[str, object]:
        """The ``POST /v1/reports/monthly`` body."""
        return {
            "month": self.month,
            "revision": revision,
            "counter_id": self.counter_id,
            "operator_id": operator_id,
            "items": [i.contract_row() for i in self.items],
        }

    def fingerprint(self) -> str:
        """What the platform compares between revisions: the figures, not who sends them."""
        rows = [i.contract_row() for i in self.items]
        return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()

    def to_dict(self) -> dict[str, object]:
        """The report as JSON (``desk-app report monthly``)."""
        return {
            "month": self.month,
            "counter_id": self.counter_id,
            "items": [
                {**asdict(i), "name": self.item_names.get(i.item_code, i.item_code)}
                for i in self.items
            ],
            "totals": {k: v for k, v in asdict(self.totals).items() if k != "item_code"},
            "days": [{**asdict(d), "day": d.day.isoformat()} for d in self.days],
        }


@dataclass(frozen=True)
class Submission:
    """What :meth:`ReportService.submit` did."""

    month: str
    revision: int
    queued: bool  # False: this month was already submitted with the same figures


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` as (year, month); the desk reports years 2000 to 2099.

    Raises:
        ReportInputError: anything else.
    """
    match = _MONTH.fullmatch(text.strip())
    if match is None:
        raise ReportInputError(
            f"月份应写成“年-月”，例如 2026-11，而不是“{text[:20]}”。",
            f"Write the month as YYYY-MM, e.g. 2026-11, not {text[:20]!r}.",
        )
    if not 1 <= int(match.group(2)) <= 12:
        raise ReportInputError(
            f"没有第 {match.group(2)} 月：月份是 01 到 12（YYYY-MM，例如 2026-11）。",
            f"There is no month {match.group(2)}: months are 01 to 12 (YYYY-MM, e.g. 2026-11).",
        )
    year = int(match.group(1))
    if not 2000 <= year <= 2099:
        raise ReportInputError(
            f"年份 {year} 不在 2000 到 2099 之间。", f"The year {year} is not from 2000 to 2099."
        )
    return year, int(match.group(2))


def month_bounds_ms(year: int, month: int) -> tuple[int, int]:
    """The month's first and one-past-last millisecond, in China time."""
    start = dt.datetime(year, month, 1, tzinfo=CHINA_TIME)
    days = calendar.monthrange(year, month)[1]
    return epoch_ms(start), epoch_ms(start + dt.timedelta(days=days))


class ReportService:
    """Computes, exports and submits monthly reports.

    Args:
        ctx: the desk's context.
        items: the management list (item names and order).
    """

    def __init__(self, ctx: DeskContext, items: ItemsService) -> None:
        self.ctx = ctx
        self.items = items

    def monthly(self, month: str) -> MonthlyReport:
        """The figures of ``month`` (``YYYY-MM``) from the store.

        Raises:
            ReportInputError: not a month.
            StoreError: the store cannot be read.
        """
        year, number = parse_month(month)
        start, end = month_bounds_ms(year, number)
        rows: dict[str, dict[str, int]] = {}
        days: dict[dt.date, dict[str, int]] = {}

        def add(item: str, name: str, value: int) -> None:
            figures = rows.setdefault(item, dict.fromkeys(FIGURE_NAMES, 0))
            figures[name] += value

        def add_day(ms: int, name: str) -> None:
            day = dt.datetime.fromtimestamp(ms / 1000, CHINA_TIME).date()
            days.setdefault(day, {"on_time": 0, "late": 0, "defaulted": 0})[name] += 1

        with self.ctx.store.read() as db:
            # A provisional waiver the platform refused afterwards ends with the deposit
            # collected (the clerk is alerted to collect it): it counts as collected, and
            # its amount was not waived. A refusal after a report went out changes the
            # figures: the next submission is a revision.
            for item, outcome, count, waived in db.execute(
                "SELECT item_code, CASE WHEN verification = 'refused' THEN 'collect' "
                "ELSE outcome END AS final, COUNT(*), "
                "SUM(CASE WHEN verification = 'refused' THEN 0 ELSE waived_fen END) "
                "FROM decisions WHERE decided_at_ms >= ? AND decided_at_ms < ? "
                "AND operator_id != ? GROUP BY item_code, final",
                (start, end, TAKEN_OVER),
            ):
                add(item, f"decisions_{outcome}", count)
                if outcome == "waive":  # a cancelled item's deposit no longer exists
                    add(item, "waived_fen", waived)
            for item, verification, count in db.execute(
                "SELECT item_code, COALESCE(verification, 'pending'), COUNT(*) FROM decisions "
                "WHERE source = 'provisional' AND outcome = 'waive' "
                "AND decided_at_ms >= ? AND decided_at_ms < ? GROUP BY 1, 2",
                (start, end),
            ):
                add(item, "provisional_granted", count)
                add(item, f"provisional_{verification}", count)
            # Settled at once: paid on the day, on time.
            for item, ms in db.execute(
                "SELECT d.item_code, s.recorded_at_ms FROM settlements s "
                "JOIN decisions d USING (local_id) WHERE s.status = 'settled' "
                "AND s.recorded_at_ms >= ? AND s.recorded_at_ms < ?",
                (start, end),
            ):
                add(item, "settlements_on_time", 1)
                add_day(ms, "on_time")
            # A deferred amount's outcome, counted when it was recorded.
            for item, outcome, ms in db.execute(
                "SELECT d.item_code, u.outcome, u.recorded_at_ms FROM settlement_updates u "
                "JOIN settlements s USING (settlement_id) JOIN decisions d USING (local_id) "
                "WHERE u.recorded_at_ms >= ? AND u.recorded_at_ms < ?",
                (start, end),
            ):
                name = {"paid": "on_time", "paid_late": "late"}.get(outcome, "defaulted")
                add(item, f"settlements_{name}", 1)
                add_day(ms, name)
            # Deferred, and no outcome recorded by the month's end.
            for item, count in db.execute(
                "SELECT d.item_code, COUNT(*) FROM settlements s JOIN decisions d "
                "USING (local_id) WHERE s.status = 'deferred' AND s.recorded_at_ms < ? "
                "AND NOT EXISTS (SELECT 1 FROM settlement_updates u WHERE "
                "u.settlement_id = s.settlement_id AND u.recorded_at_ms < ?) GROUP BY 1",
                (end, end),
            ):
                add(item, "settlements_open", count)
            for item, collected in db.execute(
                "SELECT d.item_code, SUM(p.collected_fen) FROM deposits p JOIN decisions d "
                "USING (local_id) WHERE p.collected_at_ms >= ? AND p.collected_at_ms < ? "
                "GROUP BY 1",
                (start, end),
            ):
                add(item, "supervised_collected_fen", collected)
            for item, refunded in db.execute(
                "SELECT d.item_code, SUM(p.refunded_fen) FROM deposits p JOIN decisions d "
                "USING (local_id) WHERE p.refunded_at_ms >= ? AND p.refunded_at_ms < ? "
                "GROUP BY 1",
                (start, end),
            ):
                add(item, "supervised_refunded_fen", refunded)

        known = self.items.all()
        named = institution.known(self.ctx)
        order = {item.code: position for position, item in enumerate(known)}
        codes = sorted(rows, key=lambda code: (order.get(code, len(order)), code))
        return MonthlyReport(
            month=f"{year:04d}-{number:02d}",
            counter_id=self.ctx.counter_id,
            items=tuple(ItemFigures(code, **rows[code]) for code in codes),
            days=tuple(DayOutcomes(day, **counts) for day, counts in sorted(days.items())),
            item_names={i.code: i.name.zh for i in known},
            item_names_en={i.code: i.name.en for i in known},
            institution=named[1] if named else Text("", ""),
        )

    def submit(self, report: MonthlyReport, operator_id: str) -> Submission:
        """Queue the report for the platform, as the next revision when its figures changed.

        Raises:
            ReportInputError: the month is not over yet (the platform would refuse it).
            StoreError: it could not be queued (nothing was).
        """
        if report.month >= self.ctx.now().strftime("%Y-%m"):
            raise ReportInputError(
                "只能上报已经结束的月份。", "Only a month that is over can be reported."
            )
        fingerprint = report.fingerprint()
        with self.ctx.store.write() as db:
            last = db.execute(
                "SELECT revision, fingerprint FROM reports WHERE month = ? "
                "ORDER BY revision DESC LIMIT 1",
                (report.month,),
            ).fetchone()
            if last is not None and last[1] == fingerprint:
                return Submission(report.month, int(last[0]), queued=False)
            revision = 1 if last is None else int(last[0]) + 1
            body = report.body(revision, operator_id)
            entry = enqueue(
                db, self.ctx, Kind.REPORT, f"{report.month}:r{revision}", json.dumps(body)
            )
            db.execute(
                "INSERT INTO reports (month, revision, fingerprint, outbox_id, created_ms) "
                "VALUES (?, ?, ?, ?, ?)",
                (report.month, revision, fingerprint, entry, epoch_ms(self.ctx.now())),
            )
            self.ctx.audit(
                db, operator_id, "report_submitted", month=report.month, revision=revision,
                items=len(report.items),
            )  # fmt: skip
        return Submission(report.month, revision, queued=True)

    def submissions(self, month: str) -> list[tuple[int, str]]:
        """Revisions queued for ``month`` and where each stands (pending, delivered...)."""
        with self.ctx.store.read() as db:
            return [
                (int(r[0]), str(r[1]))
                for r in db.execute(
                    "SELECT r.revision, o.state FROM reports r JOIN outbox o "
                    "ON o.id = r.outbox_id WHERE r.month = ? ORDER BY r.revision",
                    (month,),
                )
            ]


# -- CSV ------------------------------------------------------------------------------

CSV_COLUMNS = (
    ("item_code", "事项代码"),
    ("name", "事项名称"),
    ("decisions_waive", "免押决定数"),
    ("decisions_collect", "收押决定数"),
    ("decisions_not_required", "无需押金决定数"),
    ("waived_fen", "免押金额（元）"),
    ("settlements_on_time", "按时结清"),
    ("settlements_late", "逾期结清"),
    ("settlements_defaulted", "违约"),
    ("settlements_open", "月末未结"),
    ("provisional_granted", "临时免押"),
    ("provisional_confirmed", "临时免押已确认"),
    ("provisional_refused", "临时免押被拒"),
    ("provisional_pending", "临时免押待核验"),
    ("supervised_collected_fen", "监管押金收取（元）"),
    ("supervised_refunded_fen", "监管押金退还（元）"),
)


def _yuan(fen: int) -> str:
    """Plain yuan with two decimals (no symbol, no grouping): what a spreadsheet reads."""
    return f"{fen // 100}.{fen % 100:02d}"


def csv_rows(report: MonthlyReport, language: str = "zh_CN") -> Iterable[list[str]]:
    """The CSV's rows: one header, the items, the totals.

    The header is Chinese, or with ``language="en"`` the machine names (``waived_yuan``
    and so on), which stay the same from one release to the next. One header row only:
    a second would be a data row to Excel's filters and sorting. Every row starts with
    the month, so months exported one by one can be pasted into one sheet. Amounts are
    yuan with two decimals. The totals row has no item code.
    """
    english = language == "en"
    if english:
        yield ["month", *(name.replace("_fen", "_yuan") for name, _ in CSV_COLUMNS)]
    else:
        yield ["月份", *(title for _, title in CSV_COLUMNS)]
    names = report.item_names_en if english else report.item_names
    for figures in (*report.items, report.totals):
        code = figures.item_code
        row = [report.month]
        for name, _ in CSV_COLUMNS:
            if name == "item_code":
                row.append(code or "")
            elif name == "name":
                row.append(names.get(code, code) if code else ("Total" if english else "合计"))
            elif name.endswith("_fen"):
                row.append(_yuan(getattr(figures, name)))
            else:
                row.append(str(getattr(figures, name)))
        yield row


def write_csv(report: MonthlyReport, path: Path, language: str = "zh_CN") -> None:
    """Write the report as CSV in UTF-8 with a BOM, so Excel on a Chinese Windows opens it.

    Args:
        report: the month's figures.
        path: where the clerk wants the file.
        language: "en" for English item names and header; else Chinese.

    Raises:
        ExportError: the file could not be written (nothing is left under its name).
    """

    def produce(partial: Path) -> None:
        with partial.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerows(csv_rows(report, language))

    export_file(path, produce)
