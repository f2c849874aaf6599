"""The monthly report against a store filled through the real flow, and its exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from desk_app.app import Desk
from desk_app.exports import ExportError
from desk_app.services.context import CHINA_TIME, china_now
from desk_app.services.reports import (
    CSV_COLUMNS,
    ItemFigures,
    ReportInputError,
    write_csv,
)
from desk_app.services.retention import purge
from desk_app.services.settlements import FinalOutcome, SettlementRequest, SettlementStatus
from desk_app.training_platform.server import EmbeddedPlatform
from tests.integration.desk_fixtures import Clock, DeskFactory, ask, drain
from tests.integration.test_desk_cli_and_drills import desk_env
from tests.support.keyrings import MemoryKeyring

AT_1000 = "371602198601115150"
AT_949 = "11010219840406970X"
AT_950 = "360426199101010071"
# Residents above 1000 who each appear once (a default lowers a score, a cached
# decision would answer during the outage).
HIGH = ("11010519491231002X", "371602200411143484", "372324198203031456", "372323195311190059")


def last_month_day(day: int, hour: int = 12) -> dt.datetime:
    """A moment in last month (China time)."""
    first = china_now().replace(day=1, hour=hour, minute=0, second=0, microsecond=0)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return previous.replace(day=day)


@dataclass
class Month:
    """A desk and platform whose clocks a test moves together."""

    desk: Desk
    clock: Clock
    platform: EmbeddedPlatform

    def at(self, moment: dt.datetime) -> None:
        offset = moment - china_now()
        self.clock.offset = offset
        self.platform.knobs.clock_offset_seconds = int(offset.total_seconds())

    @property
    def name(self) -> str:
        return last_month_day(1).strftime("%Y-%m")


def settle(desk: Desk, local_id: str, deferred: bool = False, due: dt.date | None = None) -> str:
    return desk.settlements.settle(
        SettlementRequest(
            local_id=local_id,
            status=SettlementStatus.DEFERRED if deferred else SettlementStatus.SETTLED,
            total_fen=2_000_00,
            insurance_fen=1_200_00,
            self_pay_fen=800_00,
            paid_fen=0 if deferred else 800_00,
            method="bank_card" if deferred else "wechat",
            operator_id="clerk-1",
            due_date=due,
        )
    )


@pytest.fixture
def month(make_desk: DeskFactory, platform: EmbeddedPlatform) -> Month:
    """Last month's work at one counter, through the real services and platform.

    - CR-01 online: A settled at once; C deferred then paid late; I deferred then
      defaulted; G deferred and still open at the month's end; B refused (collect).
    - CR-01 during an outage: E provisional (confirmed later), F provisional (refused).
    - CA-01 (cancelled): D, no deposit. SV-01 (supervised): H collected and refunded.
    """
    clock = Clock()
    desk = make_desk(clock=clock)
    m = Month(desk, clock, platform)
    m.at(last_month_day(10))
    a = ask(desk, AT_1000, "BZ-CR-01")
    settle(desk, a.local_id)
    ask(desk, AT_949, "BZ-CR-01")
    c = ask(desk, HIGH[0], "BZ-CR-01")
    c_settlement = settle(desk, c.local_id, deferred=True, due=last_month_day(12).date())
    i = ask(desk, HIGH[1], "BZ-CR-01")
    i_settlement = settle(desk, i.local_id, deferred=True, due=last_month_day(12).date())
    ask(desk, AT_950, "BZ-CA-01")
    h = ask(desk, AT_950, "BZ-SV-01")
    desk.deposits.collected(h.local_id, 500_00, "cash", "clerk-1")
    platform.knobs.outage = True
    ask(desk, HIGH[2], "BZ-CR-01", amount_fen=1_000_00)
    ask(desk, AT_950, "BZ-CR-01", amount_fen=1_000_00)
    platform.knobs.outage = False
    drain(desk)
    m.at(last_month_day(20))
    desk.deposits.refunded(h.local_id, 500_00, "clerk-1")
    m.at(last_month_day(28))
    desk.settlements.record_outcome(c_settlement, FinalOutcome.PAID_LATE, 800_00, "clerk-1")
    desk.settlements.record_outcome(i_settlement, FinalOutcome.DEFAULTED, 0, "clerk-1")
    g = ask(desk, HIGH[3], "BZ-CR-01")
    settle(desk, g.local_id, deferred=True, due=last_month_day(28).date() + dt.timedelta(days=5))
    drain(desk)
    m.at(china_now().replace(day=1, hour=9, minute=0, second=0, microsecond=0))
    return m


def test_the_figures_match_what_was_recorded(month: Month) -> None:
    report = month.desk.reports.monthly(month.name)
    by_item = {figures.item_code: figures for figures in report.items}
    assert by_item["BZ-CR-01"] == ItemFigures(
        "BZ-CR-01",
        decisions_waive=5,  # A, C, I, G online; E provisional, confirmed
        # B refused online; F provisional, refused afterwards: its deposit is collected.
        decisions_collect=2,
        waived_fen=4 * 5_000_00 + 1_000_00,
        settlements_on_time=1,
        settlements_late=1,
        settlements_defaulted=1,
        settlements_open=1,
        provisional_granted=2,
        provisional_refused=1,
        provisional_confirmed=1,
    )
    assert by_item["BZ-CA-01"] == ItemFigures("BZ-CA-01", decisions_not_required=1)
    assert by_item["BZ-SV-01"] == ItemFigures(
        "BZ-SV-01",
        decisions_collect=1,
        supervised_collected_fen=500_00,
        supervised_refunded_fen=500_00,
    )
    assert set(by_item) == {"BZ-CR-01", "BZ-CA-01", "BZ-SV-01"}
    totals = report.totals
    assert totals.decisions_waive + totals.decisions_collect + totals.decisions_not_required == 9
    # Days: A on the 10th; C late and I defaulted on the 28th.
    days = {d.day.day: (d.on_time, d.late, d.defaulted) for d in report.days}
    assert days == {10: (1, 0, 0), 28: (0, 1, 1)}
    # Cross-check against the store itself.
    with month.desk.store.read() as db:
        waived = db.execute(
            "SELECT SUM(waived_fen) FROM decisions WHERE outcome = 'waive' "
            "AND COALESCE(verification, '') != 'refused'"
        ).fetchone()[0]
    assert totals.waived_fen == waived


def test_an_outcome_after_the_month_leaves_it_open_in_that_month(month: Month) -> None:
    desk = month.desk
    open_case = desk.reports.monthly(month.name)
    with desk.store.read() as db:
        settlement_id = db.execute(
            "SELECT settlement_id FROM settlements WHERE status = 'deferred' "
            "AND final_outcome IS NULL"
        ).fetchone()[0]
    desk.settlements.record_outcome(settlement_id, FinalOutcome.PAID, 800_00, "clerk-1")
    again = desk.reports.monthly(month.name)
    assert again.totals.settlements_open == open_case.totals.settlements_open == 1
    this_month = desk.reports.monthly(desk.ctx.now().strftime("%Y-%m"))
    assert this_month.totals.settlements_on_time == 1
    assert this_month.totals.decisions_waive == 0


def test_submitting_is_idempotent_and_a_change_is_the_next_revision(
    month: Month, platform: EmbeddedPlatform
) -> None:
    desk = month.desk
    report = desk.reports.monthly(month.name)
    first = desk.reports.submit(report, "9001")
    again = desk.reports.submit(desk.reports.monthly(month.name), "9001")
    assert (first.revision, first.queued) == (1, True)
    assert (again.revision, again.queued) == (1, False)
    drain(desk)
    assert desk.reports.submissions(month.name) == [(1, "delivered")]
    stored = platform.app.state.service.db.read_all("SELECT month, revision FROM reports")
    assert [(r["month"], r["revision"]) for r in stored] == [(month.name, 1)]
    # A late outcome recorded in the month changes the figures: revision 2 corrects.
    with desk.store.write() as db:
        db.execute(
            "UPDATE settlement_updates SET recorded_at_ms = recorded_at_ms - 1 "
            "WHERE outcome = 'paid_late'"
        )
        db.execute("UPDATE deposits SET refunded_fen = 40000")
    corrected = desk.reports.submit(desk.reports.monthly(month.name), "9001")
    assert (corrected.revision, corrected.queued) == (2, True)
    drain(desk)
    assert desk.reports.submissions(month.name) == [(1, "delivered"), (2, "delivered")]
    # Retention, a year on, keeps what the report revisions point at.
    month.clock.offset += dt.timedelta(days=400)
    purge(desk.ctx, decision_days=1, settlement_days=1)
    assert desk.reports.submissions(month.name) == [(1, "delivered"), (2, "delivered")]


def test_a_month_not_over_or_malformed_is_refused(month: Month) -> None:
    desk = month.desk
    current = desk.reports.monthly(desk.ctx.now().strftime("%Y-%m"))
    with pytest.raises(ReportInputError) as refused:
        desk.reports.submit(current, "9001")
    assert "结束" in refused.value.message_zh
    for bad in ("2026-13", "26-11", "2026/11", "", "2026-11-01", "x" * 10_000, "2026-00"):
        with pytest.raises(ReportInputError) as refused:
            desk.reports.monthly(bad)
        assert "YYYY-MM" in refused.value.message_en
        assert len(refused.value.message_zh) < 80
    for out_of_range in ("9999-12", "1969-12", "0000-01"):
        with pytest.raises(ReportInputError) as refused:
            desk.reports.monthly(out_of_range)
        assert "2000 到 2099" in refused.value.message_zh


def test_the_csv_opens_in_excel_with_the_right_columns(month: Month, tmp_path: Path) -> None:
    report = month.desk.reports.monthly(month.name)
    path = tmp_path / "report.csv"
    write_csv(report, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["月份", *(title for _, title in CSV_COLUMNS)]
    # One header row: every row after it is data, to Excel's filters and sorting too.
    assert all(row[0] == month.name for row in rows[1:])
    by_name = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    cr = by_name["信易医住院押金"]
    assert cr["事项代码"] == "BZ-CR-01"
    assert cr["免押金额（元）"] == "21000.00"
    assert cr["免押决定数"] == "5"
    assert by_name["合计"]["事项代码"] == ""
    assert by_name["合计"]["监管押金退还（元）"] == "500.00"
    assert not list(tmp_path.glob("*.partial"))


def test_the_english_csv_has_the_machine_names_and_english_items(
    month: Month, tmp_path: Path
) -> None:
    report = month.desk.reports.monthly(month.name)
    path = tmp_path / "report.csv"
    write_csv(report, path, "en")
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
    assert rows[0] == ["month", *(name.replace("_fen", "_yuan") for name, _ in CSV_COLUMNS)]
    by_code = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    cr = by_code["BZ-CR-01"]
    assert cr["name"] == report.item_names_en["BZ-CR-01"]
    assert cr["name"].isascii()
    assert cr["waived_yuan"] == "21000.00"
    assert by_code[""]["name"] == "Total"
    assert by_code[""]["supervised_refunded_yuan"] == "500.00"


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("missing-folder/report.csv", "文件夹不存在"),
        ("missing-folder/deeper/report.csv", "文件夹不存在"),
        ("a-folder", "这是一个文件夹"),
        # A file where a folder should be: said of that file, not "missing".
        ("a-file/report.csv", "a-file：这是一个文件，不是文件夹"),
        ("a-file/deeper/report.csv", "a-file：这是一个文件，不是文件夹"),
        # A folder that exists but takes no new files.
        ("/proc/report.csv", "/proc：此文件夹中不能新建文件"),
        ("/dev/full", "这不是普通文件"),
        ("/dev/null", "这不是普通文件"),
    ],
)
def test_a_csv_that_cannot_be_written_says_why_and_leaves_nothing(
    month: Month, tmp_path: Path, target: str, reason: str
) -> None:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("not a folder")
    report = month.desk.reports.monthly(month.name)
    path = tmp_path / target
    with pytest.raises(ExportError) as failed:
        write_csv(report, path)
    assert reason in failed.value.message_zh
    assert not list(tmp_path.rglob("*.partial"))
    assert Path("/dev/full").is_char_device()  # never replaced by a file


def test_a_full_disk_is_said_and_the_earlier_file_is_kept(month: Month, tmp_path: Path) -> None:
    """A file-size limit stands in for a full disk: the CSV is larger than it."""
    report = month.desk.reports.monthly(month.name)
    path = tmp_path / "report.csv"
    path.write_text("the month before")
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.limited_export", "200", str(path)],
        capture_output=True, text=True, timeout=60, env=desk_env(tmp_path),
    )  # fmt: skip
    assert "文件超过允许的大小" in done.stdout, done.stderr
    assert path.read_text() == "the month before"  # the earlier export is untouched
    assert not list(tmp_path.glob("*.partial"))
    assert report.items


def test_the_command_line_exports_and_submits(
    month: Month, platform: EmbeddedPlatform, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    # The command line runs in another process: its keyring is a file with the same keys.
    folder = month.desk.store.path.parent
    month.desk.close()
    entries = memory_keyring.entries
    (tmp_path / "keyring.json").write_text(
        json.dumps({f"{service}/{name}": value for (service, name), value in entries.items()})
    )
    csv_path, pdf_path = tmp_path / "m.csv", tmp_path / "m.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", "report", "monthly", "--month", month.name,
         "--csv", str(csv_path), "--pdf", str(pdf_path), "--submit",
         "--data-dir", str(folder), "--platform-url", platform.url],
        capture_output=True, text=True, encoding="utf-8", env=desk_env(tmp_path), timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["submission"] == {
        "month": month.name,
        "revision": 1,
        "queued": True,
        "state": "delivered",
        "platform_reachable": True,
    }
    assert out["report"]["totals"]["decisions_waive"] == 5
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "免押月报" in text
    assert "信易医住院押金" in text
    assert "¥21,000.00" in text
    bad = subprocess.run(
        [sys.executable, "-m", "desk_app", "report", "monthly", "--month", "2026-13",
         "--data-dir", str(folder), "--platform-url", platform.url],
        capture_output=True, text=True, encoding="utf-8", env=desk_env(tmp_path), timeout=120,
    )  # fmt: skip
    assert bad.returncode == 1
    assert "YYYY-MM" in json.loads(bad.stdout)["message_en"]


def test_moments_are_counted_in_china_time(month: Month) -> None:
    """A decision at 23:30 on the month's last day (15:30 UTC) belongs to that month."""
    desk = month.desk
    last = last_month_day(1).replace(day=28) + dt.timedelta(days=10)
    last = last.replace(day=1) - dt.timedelta(days=1)
    month.at(last.replace(hour=23, minute=30, tzinfo=CHINA_TIME))
    ask(desk, AT_950, "BZ-CA-01")
    assert desk.reports.monthly(month.name).totals.decisions_not_required == 2
