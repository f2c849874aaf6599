"""The printed documents as HTML that Qt's rich text engine lays out (no Qt here).

Two layouts each: A4 for the file and the signature, and 80 mm thermal receipt width
for the counter's receipt printer. Every value is escaped; amounts are integer fen
formatted as yuan. The wording is Chinese, or English for a desk set to English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from html import escape

from desk_app.domain.model import DecisionSource, Outcome, Text
from desk_app.domain.money import format_fen
from desk_app.paper.sources import CommitmentData, Heading, ReceiptData, SlipData
from desk_app.services.reports import CSV_COLUMNS, MonthlyReport
from desk_app.services.settlements import METHOD_NAMES


class Layout(StrEnum):
    """Paper size."""

    A4 = "a4"
    THERMAL_80 = "thermal80"


@dataclass(frozen=True)
class Paper:
    """A document ready to lay out: its title, HTML, layout, and a file name stem."""

    title: str
    html: str
    layout: Layout
    file_stem: str


OUTCOMES = {
    Outcome.WAIVE: Text("免收押金", "Deposit waived"),
    Outcome.COLLECT: Text("收取押金", "Collect the deposit"),
    Outcome.NOT_REQUIRED: Text("无需押金", "No deposit required"),
}
SOURCES = {
    DecisionSource.ONLINE: Text("信用平台联网决定", "Platform, online"),
    DecisionSource.CACHE: Text("离线：平台近期决定", "Offline: the platform's recent decision"),
    DecisionSource.PROVISIONAL: Text("临时免押（待平台核验）", "Provisional (to be verified)"),
    DecisionSource.OFFLINE_COLLECT: Text("离线：收取押金", "Offline: deposit collected"),
    DecisionSource.LIST: Text("按管理清单", "By the management list"),
}
STATUSES = {
    "settled": Text("已结清", "Settled"),
    "deferred": Text("到期再付", "Due later"),
    "paid": Text("已按期付清", "Paid on time"),
    "paid_late": Text("逾期付清", "Paid late"),
    "defaulted": Text("未付（违约）", "Not paid (default)"),
}


class _Words:
    """Picks the Chinese or English wording."""

    def __init__(self, language: str) -> None:
        self.english = language.startswith("en")

    def __call__(self, zh: str, en: str) -> str:
        return en if self.english else zh

    def text(self, text: Text) -> str:
        return text.en if self.english else text.zh


def _money(fen: int) -> str:
    return escape(format_fen(fen))


def _date(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def _time(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _title(text: str, layout: Layout) -> str:
    size = "18pt" if layout is Layout.A4 else "12pt"
    return f'<p align="center" style="font-size:{size}; font-weight:bold">{escape(text)}</p>'


def _institution(heading: Heading, w: _Words) -> str:
    name = w.text(heading.institution) or w("（机构名称未知）", "(institution unknown)")
    return f'<p align="center">{escape(name)}</p>'


def _rows(rows: list[tuple[str, str]], layout: Layout) -> str:
    """Label and value pairs: a ruled table on A4, two plain columns on a receipt."""
    cells = "".join(
        f"<tr><td>{escape(label)}</td><td{' align=right' if layout is Layout.THERMAL_80 else ''}>"
        f"{value}</td></tr>"
        for label, value in rows
    )
    if layout is Layout.A4:
        return (
            '<table width="100%" border="1" cellspacing="0" cellpadding="6" '
            f'style="border-collapse:collapse; border-color:#888">{cells}</table>'
        )
    return f'<table width="100%" cellspacing="0" cellpadding="1">{cells}</table>'


def _rule(layout: Layout) -> str:
    return "<hr/>" if layout is Layout.THERMAL_80 else ""


def _who(heading: Heading, w: _Words) -> list[tuple[str, str]]:
    operator = heading.operator_name or heading.operator_id
    if heading.operator_name:
        operator = w(f"{heading.operator_name}（{heading.operator_id}）",
                     f"{heading.operator_name} ({heading.operator_id})")  # fmt: skip
    return [
        (w("窗口", "Counter"), escape(heading.counter_id)),
        (w("经办人", "Operator"), escape(operator)),
    ]


def _page(body: str) -> str:
    return f"<html><body>{body}</body></html>"


def commitment_letter(data: CommitmentData, layout: Layout, language: str = "zh") -> Paper:
    """The credit commitment letter, with a signature line."""
    w = _Words(language)
    item = w.text(data.item_name)
    institution = w.text(data.heading.institution) or w("本机构", "this institution")
    blank = w("＿＿＿＿＿＿＿＿", "________________")
    name = escape(data.name) if data.name else blank
    decision = (
        escape(data.decision_id)
        if data.decision_id
        else w("（决定作出后生成）", "(after the decision)")
    )
    days = data.repayment_days
    clauses = [
        w(
            f"本人{name}（证件号码 {escape(data.subject_masked)}）在{escape(institution)}办理"
            f"“{escape(item)}”，申请以信用承诺代替押金，郑重承诺：",
            f"I, {name} (document {escape(data.subject_masked)}), ask {escape(institution)} to "
            f"accept my credit commitment instead of a deposit for “{escape(item)}”, and "
            "commit as follows:",
        ),
        w(
            f"一、本人授权{escape(institution)}通过城市信用平台查询本人的公共信用信息，"
            "仅用于本次免押审核。",
            f"1. I authorise {escape(institution)} to query my public credit record on the "
            "city credit platform, for this deposit decision only.",
        ),
        w(
            "二、服务结束后，本人按结算金额付清应付费用；需要延后支付的，在还款期限"
            f"（{days} 天）内付清。",
            "2. When the service ends I pay what I owe at settlement; an amount due later I "
            f"pay within the repayment window ({days} days).",
        ),
        w(
            "三、本人知悉：逾期或未付清属于失信行为，将记入城市信用平台，降低本人的信用等级，"
            "并可能使本人今后不能享受免押服务。",
            "3. I understand that paying late or not at all is a broken commitment: it is "
            "recorded on the city credit platform, lowers my credit level, and may end my "
            "access to deposit-free services.",
        ),
        w("四、本人提供的身份信息真实有效。", "4. The identity I gave is true and valid."),
    ]
    rows = [
        (w("日期", "Date"), escape(data.heading.printed_at.date().isoformat())),
        *_who(data.heading, w),
        (w("决定编号", "Decision"), decision),
    ]
    signature = w(
        f"承诺人签名：{blank}　　日期：＿＿＿＿＿＿",
        "Signature: ____________________   Date: __________",
    )
    body = (
        _title(w("信用承诺书", "Credit commitment letter"), layout)
        + _institution(data.heading, w)
        + "".join(f"<p>{clause}</p>" for clause in clauses)
        + _rows(rows, layout)
        + f"<p><br/>{escape(signature)}</p>"
    )
    return Paper(w("信用承诺书", "Credit commitment letter"), _page(body), layout,
                 f"commitment-{data.decision_id or 'before-decision'}")  # fmt: skip


def decision_slip(data: SlipData, layout: Layout, language: str = "zh") -> Paper:
    """The decision slip: what was decided, on which amounts, valid until when."""
    w = _Words(language)
    d = data.decision
    title = w("免押决定单", "Deposit decision slip")
    outcome = w.text(OUTCOMES[d.outcome])
    if d.emergency:
        outcome += w("（急诊先治疗）", " (emergency: treat first)")
    rows = [
        *_who(data.heading, w),
        (w("决定编号", "Decision"), escape(data.case_id)),
        (w("客户证件", "Document"), escape(data.subject_masked)),
        (w("事项", "Item"), escape(w.text(data.item_name))),
        (w("决定", "Decision taken"), f"<b>{escape(outcome)}</b>"),
        (w("依据", "Source"), escape(w.text(SOURCES[d.source]))),
        (w("押金标准", "Standard deposit"), _money(d.amount_fen)),
        (w("免收金额", "Waived"), _money(d.waived_fen)),
        (w("应收押金", "To collect"), _money(d.collect_fen)),
        (w("决定时间", "Decided at"), escape(_time(d.decided_at))),
        (w("有效期至", "Valid until"), escape(_time(d.valid_until))),
    ]
    reasons = "".join(f"<p>{escape(w.text(r.text))}</p>" for r in d.reasons)
    body = (
        _title(title, layout)
        + _institution(data.heading, w)
        + _reprint(data.reprint, w)
        + _rows(rows, layout)
        + reasons
        + _rule(layout)
        + f"<p>{escape(w('打印时间：', 'Printed: '))}{escape(_time(data.heading.printed_at))}</p>"
    )
    return Paper(title, _page(body), layout, f"decision-{data.case_id}")


def _reprint(reprint: bool, w: _Words) -> str:
    if not reprint:
        return ""
    return f'<p align="center"><b>{escape(w("【补打】", "[REPRINT]"))}</b></p>'


def settlement_receipt(data: ReceiptData, layout: Layout, language: str = "zh") -> Paper:
    """The settlement receipt: amounts, how paid, what is still due and by when."""
    w = _Words(language)
    title = w("结算回执", "Settlement receipt")
    method = METHOD_NAMES.get(data.method, Text(data.method, data.method))
    status = STATUSES.get(data.status, Text(data.status, data.status))
    rows = [
        *_who(data.heading, w),
        (w("案件编号", "Case"), escape(data.case_id)),
        (w("结算编号", "Settlement"), escape(data.settlement_id)),
        (w("客户证件", "Document"), escape(data.subject_masked)),
        (w("事项", "Item"), escape(w.text(data.item_name))),
        (w("费用总额", "Total"), _money(data.total_fen)),
        (w("医保/保险支付", "Insurance share"), _money(data.insurance_fen)),
        (w("个人自付", "Self-pay"), _money(data.self_pay_fen)),
        (w("已付", "Paid"), _money(data.paid_fen)),
        (w("待付", "Due"), f"<b>{_money(data.due_fen)}</b>"),
    ]
    if data.due_date is not None:
        rows.append((w("到期日", "Due date"), escape(_date(data.due_date))))
    rows += [
        (w("支付方式", "Method"), escape(w.text(method))),
        (
            w("状态", "Status"),
            f"<b>{escape(w.text(status))}</b>",
        ),
        (w("结算时间", "Recorded"), escape(_time(data.recorded_at))),
    ]
    body = (
        _title(title, layout)
        + _institution(data.heading, w)
        + _reprint(data.reprint, w)
        + _rows(rows, layout)
        + _rule(layout)
        + f"<p>{escape(w('打印时间：', 'Printed: '))}{escape(_time(data.heading.printed_at))}</p>"
    )
    return Paper(title, _page(body), layout, f"receipt-{data.settlement_id}")


# The report's columns on paper: the CSV's, with short headers that fit an A4 page.
_REPORT_HEADERS = {
    "item_code": Text("事项", "Item"),
    "decisions_waive": Text("免押", "Waived"),
    "decisions_collect": Text("收押", "Collected"),
    "decisions_not_required": Text("无需", "None due"),
    "waived_fen": Text("免押金额", "Amount waived"),
    "settlements_on_time": Text("按时", "On time"),
    "settlements_late": Text("逾期", "Late"),
    "settlements_defaulted": Text("违约", "Default"),
    "settlements_open": Text("未结", "Open"),
    "provisional_granted": Text("临时", "Prov."),
    "provisional_confirmed": Text("确认", "Confirmed"),
    "provisional_refused": Text("被拒", "Refused"),
    "provisional_pending": Text("待核", "Pending"),
    "supervised_collected_fen": Text("监管收", "Sup. in"),
    "supervised_refunded_fen": Text("监管退", "Sup. out"),
}


def monthly_report(
    report: MonthlyReport, language: str = "zh", charts: tuple[str, ...] = ()
) -> Paper:
    """The monthly report on A4: the figures per item and totals, then the charts.

    Args:
        report: the month's figures.
        language: ``zh`` or ``en``.
        charts: image resource names (the renderer adds the images) to show after the table.
    """
    w = _Words(language)
    names = report.item_names_en if w.english else report.item_names
    columns = [c for c, _ in CSV_COLUMNS if c in _REPORT_HEADERS]
    head = "".join(f"<th>{escape(w.text(_REPORT_HEADERS[c]))}</th>" for c in columns)
    lines = []
    for figures in (*report.items, report.totals):
        cells = []
        for column in columns:
            if column == "item_code":
                label = (names.get(figures.item_code, figures.item_code) if figures.item_code
                         else w("合计", "Total"))  # fmt: skip
                cells.append(f"<td>{escape(label)}</td>")
            else:
                value = getattr(figures, column)
                shown = format_fen(value) if column.endswith("_fen") else str(value)
                cells.append(f"<td align=right>{escape(shown)}</td>")
        style = ' style="font-weight:bold"' if not figures.item_code else ""
        lines.append(f"<tr{style}>{''.join(cells)}</tr>")
    title = w(f"{report.month} 免押月报", f"Deposit-free monthly report {report.month}")
    institution = w.text(report.institution)
    body = (
        _title(title, Layout.A4)
        + f'<p align="center">{escape(institution)}　{escape(w("窗口", "Counter"))} '
        + f"{escape(report.counter_id)}</p>"
        + '<table width="100%" border="1" cellspacing="0" cellpadding="3" '
        + f'style="border-collapse:collapse; font-size:8pt"><tr>{head}</tr>{"".join(lines)}</table>'
        + "".join(f'<p align="center"><img src="{escape(c)}" width="640"/></p>' for c in charts)
    )
    return Paper(title, _page(body), Layout.A4, f"monthly-report-{report.month}")
