"""The desk's core against the training platform over HTTP, on real SQLite files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import time

import pytest

from desk_app.app import Desk
from desk_app.domain.model import DecisionSource, Outcome
from desk_app.identity import identify
from desk_app.identity.checksums import mod11_2_check
from desk_app.platform.errors import PlatformRefusedError
from desk_app.services.decisions import CommitmentRequiredError
from desk_app.services.settlements import (
    FinalOutcome,
    SettlementInputError,
    SettlementRequest,
    SettlementStatus,
)
from desk_app.sync import outbox
from desk_app.training_platform.server import EmbeddedPlatform
from tests.integration.desk_fixtures import Clock, DeskFactory, ask, drain

AT_1000 = "371602198601115150"
AT_949 = "11010219840406970X"
AT_950 = "360426199101010071"
NOT_A_RESIDENT = "37160219700101001" + mod11_2_check("37160219700101001")


def settle_now(desk: Desk, local_id: str, total: int = 1_000_00, self_pay: int = 300_00) -> str:
    return desk.settlements.settle(
        SettlementRequest(
            local_id=local_id,
            status=SettlementStatus.SETTLED,
            total_fen=total,
            insurance_fen=total - self_pay,
            self_pay_fen=self_pay,
            paid_fen=self_pay,
            method="wechat",
            operator_id="clerk-1",
        )
    )


def platform_settlements(platform: EmbeddedPlatform) -> list[str]:
    rows = platform.app.state.service.db.read_all("SELECT settlement_id FROM settlements")
    return [r["settlement_id"] for r in rows]


def test_online_decisions_are_recorded_and_cached(make_desk: DeskFactory) -> None:
    desk = make_desk()
    decision = ask(desk, AT_1000, "BZ-CR-01")
    assert decision.source is DecisionSource.ONLINE
    assert decision.outcome is Outcome.WAIVE
    assert decision.decision_id
    cached = desk.decisions.cached(AT_1000, "BZ-CR-01")
    assert cached is not None
    assert cached.decision_id == decision.decision_id


def test_a_credit_item_needs_the_commitment(make_desk: DeskFactory) -> None:
    desk = make_desk()
    with pytest.raises(CommitmentRequiredError):
        ask(desk, AT_1000, "BZ-CR-01", commitment_signed_at=None)


def test_an_outage_mid_flow_uses_the_cache_then_the_offline_policy(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    ask(desk, AT_1000, "BZ-CR-01")
    platform.knobs.outage = True
    cached = ask(desk, AT_1000, "BZ-CR-01")
    assert cached.source is DecisionSource.CACHE
    assert cached.outcome is Outcome.WAIVE
    assert [r.code for r in cached.reasons][-1] == "cached"
    provisional = ask(desk, AT_950, "BZ-CR-01", amount_fen=5_000_00)
    assert provisional.source is DecisionSource.PROVISIONAL
    assert provisional.outcome is Outcome.WAIVE


def test_the_platform_gone_entirely_is_the_same_as_an_outage(make_desk: DeskFactory) -> None:
    desk = make_desk()
    desk.items.refresh()
    desk.client.config = type(desk.client.config)(
        base_url="http://127.0.0.1:9", counter_id="X", connect_timeout_s=0.5, attempts=1
    )
    decision = ask(desk, AT_1000, "BZ-CR-01")
    assert decision.source is DecisionSource.PROVISIONAL


def test_collect_policy_offline(make_desk: DeskFactory, platform: EmbeddedPlatform) -> None:
    desk = make_desk(institution="training-apartment")
    desk.items.refresh()
    platform.knobs.outage = True
    decision = ask(desk, AT_1000, "BZ-CR-05")
    assert decision.source is DecisionSource.OFFLINE_COLLECT
    assert decision.outcome is Outcome.COLLECT
    assert decision.collect_fen == decision.amount_fen


def test_the_provisional_cap_is_per_counter_per_day(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk(institution="training-hotel")
    desk.items.refresh()
    platform.knobs.outage = True
    cap = desk.items.get("BZ-CR-02").offline_cap_fen  # 2,000 yuan
    first = ask(desk, AT_1000, "BZ-CR-02", amount_fen=cap - 100)
    assert first.source is DecisionSource.PROVISIONAL
    second = ask(desk, AT_950, "BZ-CR-02", amount_fen=200)
    assert second.source is DecisionSource.OFFLINE_COLLECT
    assert second.reasons[0].code == "provisional_cap_reached"


def test_a_deferral_recorded_in_an_outage_arrives_after_its_due_date(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    """The platform is back only days later, after the due date: the settlement (and its
    payment) still arrive, judged by the day the clerk recorded them."""
    desk = make_desk()
    case = ask(desk, AT_1000, "BZ-CR-01")
    platform.knobs.outage = True
    today = desk.ctx.now().date()
    settlement_id = desk.settlements.settle(
        SettlementRequest(
            local_id=case.local_id,
            status=SettlementStatus.DEFERRED,
            total_fen=1_000_00,
            insurance_fen=700_00,
            self_pay_fen=300_00,
            paid_fen=0,
            method="none",
            operator_id="clerk-1",
            due_date=today + dt.timedelta(days=2),
        )
    )
    update_id = desk.settlements.record_outcome(settlement_id, FinalOutcome.PAID, 300_00, "clerk-1")
    drain(desk)
    # Five days later the platform answers again.
    platform.knobs.clock_offset_seconds = 5 * 86_400
    platform.knobs.outage = False
    drain(desk)
    assert outbox.counts(desk.ctx) == {"pending": 0, "attention": 0}
    remote = platform.app.state.service.db.read_all(
        "SELECT s.settlement_id, u.update_id FROM settlements s "
        "JOIN settlement_updates u USING (settlement_id) WHERE s.settlement_id = ?",
        (settlement_id,),
    )
    assert [(r["settlement_id"], r["update_id"]) for r in remote] == [(settlement_id, update_id)]


def test_a_provisional_waiver_later_refused_raises_an_alert(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    desk.items.refresh()
    platform.knobs.outage = True
    decision = ask(desk, AT_949, "BZ-CR-01", amount_fen=3_000_00)
    assert decision.source is DecisionSource.PROVISIONAL
    drain(desk)
    assert outbox.counts(desk.ctx)["pending"] == 1
    platform.knobs.outage = False
    drain(desk)
    assert outbox.counts(desk.ctx) == {"pending": 0, "attention": 0}
    with desk.store.read() as db:
        alerts = db.execute("SELECT kind, ref, message_zh, amount_fen FROM alerts").fetchall()
        verification = db.execute(
            "SELECT verification, decision_id FROM decisions WHERE local_id = ?",
            (decision.local_id,),
        ).fetchone()
    assert [(a[0], a[1], a[3]) for a in alerts] == [
        ("provisional_refused", decision.local_id, 3_000_00)
    ]
    assert "收取押金" in alerts[0][2]
    assert verification[0] == "refused"
    assert verification[1] is not None


def test_a_provisional_waiver_confirmed_raises_no_alert(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    desk.items.refresh()
    platform.knobs.outage = True
    ask(desk, AT_1000, "BZ-CR-01", amount_fen=3_000_00)
    platform.knobs.outage = False
    drain(desk)
    with desk.store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == 0
        assert db.execute("SELECT verification FROM decisions").fetchone()[0] == "confirmed"


def test_a_slow_platform_past_the_timeout_goes_offline_in_bounded_time(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    desk.items.refresh()
    platform.knobs.latency_ms = 5000
    desk.client.config = type(desk.client.config)(
        base_url=desk.client.config.base_url,
        counter_id=desk.client.config.counter_id,
        read_timeout_s=0.3,
        backoff_s=0.01,
    )
    started = dt.datetime.now()
    decision = ask(desk, AT_1000, "BZ-CR-01")
    elapsed = dt.datetime.now() - started
    assert decision.source is DecisionSource.PROVISIONAL
    # Two tries of 0.3 s each, not the platform's 5 s.
    assert elapsed < dt.timedelta(seconds=4)


def test_after_a_timeout_the_next_customers_are_served_offline_at_once(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    """Found by a new user's trial: with a platform that took connections and never
    answered, every customer waited for the timeouts (13 s for one decision). The first
    one waits; the next ones are served offline at once, until a health check (the
    window's sync round) finds the platform answering again."""
    desk = make_desk()
    desk.items.refresh()
    desk.client.config = dataclasses.replace(desk.client.config, read_timeout_s=1.0, backoff_s=0.01)
    platform.knobs.latency_ms = 5000
    started = time.monotonic()
    first = ask(desk, AT_1000, "BZ-CR-01")
    waited = time.monotonic() - started
    assert first.source is DecisionSource.PROVISIONAL
    assert waited >= 1.0  # it did wait for the platform
    started = time.monotonic()
    second = ask(desk, AT_950, "BZ-CR-01", amount_fen=100_00)
    assert second.source is DecisionSource.PROVISIONAL
    assert time.monotonic() - started < 0.9  # not even one read timeout: not tried
    platform.knobs.latency_ms = 0
    desk.client.health()
    assert ask(desk, AT_1000, "BZ-CA-01").source is DecisionSource.LIST
    assert ask(desk, "11010519491231002X", "BZ-CR-01").source is DecisionSource.ONLINE


def test_malformed_answers_never_crash_the_desk(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    ask(desk, AT_1000, "BZ-CR-01")
    platform.knobs.malformed_rate = 1.0
    decision = ask(desk, AT_1000, "BZ-CR-01")
    assert decision.source is DecisionSource.CACHE


def test_an_expired_decision_is_not_used_offline(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    clock = Clock()
    desk = make_desk(clock=clock)
    ask(desk, AT_1000, "BZ-CR-01")
    clock.offset = dt.timedelta(hours=25)
    platform.knobs.outage = True
    decision = ask(desk, AT_1000, "BZ-CR-01")
    assert decision.source is DecisionSource.PROVISIONAL


def test_a_refusal_is_the_clerks_to_fix_not_an_offline_case(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    platform.knobs.clock_offset_seconds = -3600  # the commitment looks signed in the future
    with pytest.raises(PlatformRefusedError) as caught:
        ask(desk, AT_1000, "BZ-CR-01")
    assert caught.value.code == "commitment_in_future"


def test_cancelled_and_supervised_items_are_decided_by_the_list_and_registered(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    platform.knobs.outage = True
    with pytest.raises(Exception, match="reach the platform once"):
        ask(desk, AT_1000, "BZ-CA-01")
    platform.knobs.outage = False
    desk.items.refresh()
    platform.knobs.outage = True
    cancelled = ask(desk, AT_1000, "BZ-CA-01", commitment_signed_at=None)
    supervised = ask(desk, AT_1000, "BZ-SV-01", commitment_signed_at=None)
    assert (cancelled.outcome, cancelled.source) == (Outcome.NOT_REQUIRED, DecisionSource.LIST)
    assert (supervised.outcome, supervised.source) == (Outcome.COLLECT, DecisionSource.LIST)
    platform.knobs.outage = False
    drain(desk)
    cases = desk.client.open_cases("resident_id", AT_1000)
    assert len(cases) == 2


def test_a_settlement_is_delivered_exactly_once(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    decision = ask(desk, AT_1000, "BZ-CR-01")
    settlement_id = settle_now(desk, decision.local_id)
    # The platform got it but the desk never heard back (crash after sending):
    with desk.store.read() as db:
        payload = db.execute(
            "SELECT payload FROM outbox WHERE ref = ?", (settlement_id,)
        ).fetchone()[0]
    import json

    desk.client.settle({**json.loads(payload), "decision_id": decision.decision_id})
    drain(desk)
    assert platform_settlements(platform).count(settlement_id) == 1
    assert outbox.counts(desk.ctx) == {"pending": 0, "attention": 0}


def test_a_settlement_made_offline_waits_for_its_decision(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    desk.items.refresh()
    platform.knobs.outage = True
    decision = ask(desk, AT_1000, "BZ-CR-01")
    settlement_id = settle_now(desk, decision.local_id)
    drain(desk)
    platform.knobs.outage = False
    drain(desk)
    assert settlement_id in platform_settlements(platform)


def test_one_poisoned_entry_does_not_block_the_rest(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    first = ask(desk, AT_1000, "BZ-CR-01")
    second = ask(desk, AT_950, "BZ-CR-01")
    # Another institution's settlement of the first case already exists: the platform
    # will refuse this desk's with 409.
    platform.app.state.service.db.write  # noqa: B018 - the platform's own state
    with platform.app.state.service.db.write() as conn:
        conn.execute(
            "INSERT INTO settlements VALUES (?,?,?,?,?,?,?,?,?)",
            ("00000000-0000-0000-0000-000000000001", first.decision_id, "BZ-H-0001", "x",
             "{}", "settled", None, "paid", "2026-01-01T00:00:00+08:00"),
        )  # fmt: skip
    poisoned = settle_now(desk, first.local_id)
    fine = settle_now(desk, second.local_id)
    drain(desk)
    waiting = {e.ref: e for e in outbox.entries(desk.ctx)}
    assert waiting[poisoned].state is outbox.State.ATTENTION
    assert waiting[poisoned].error_code == "already_settled"
    assert fine in platform_settlements(platform)


def test_a_case_opened_at_another_counter_is_settled_here(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    admission = make_desk("admission")
    discharge = make_desk("discharge")
    decision = ask(admission, AT_1000, "BZ-CR-01")
    document = identify(AT_1000)
    (case,) = discharge.settlements.open_cases(document, "clerk-2")
    assert case.counter_id == "ADMISSION"
    assert case.local_id is None
    local_id = discharge.settlements.adopt(case, document)
    settlement_id = settle_now(discharge, local_id)
    drain(discharge)
    assert discharge.settlements.open_cases(document, "clerk-2") == []
    with discharge.store.read() as db:
        actions = [
            r[0]
            for r in db.execute(
                "SELECT action FROM audit WHERE action != 'operator_added' ORDER BY seq"
            )
        ]
    assert actions == ["cases_query", "settlement", "cases_query"]
    rows = platform.app.state.service.db.read_all(
        "SELECT decision_id FROM settlements WHERE settlement_id = ?", (settlement_id,)
    )
    assert [r["decision_id"] for r in rows] == [decision.decision_id]


def test_settlement_amounts_are_checked_at_the_desk(make_desk: DeskFactory) -> None:
    desk = make_desk()
    decision = ask(desk, AT_1000, "BZ-CR-01")
    with pytest.raises(SettlementInputError):
        settle_now(desk, decision.local_id, total=100, self_pay=200)
    with pytest.raises(SettlementInputError, match="due date"):
        desk.settlements.settle(
            SettlementRequest(
                decision.local_id, SettlementStatus.DEFERRED, 100, 0, 100, 0, "none", "c",
                due_date=desk.ctx.now().date() + dt.timedelta(days=400),
            )
        )  # fmt: skip


def test_a_deferred_settlement_and_its_default_flip_the_next_decision(
    make_desk: DeskFactory,
) -> None:
    desk = make_desk(institution="training-hotel")
    decision = ask(desk, AT_1000, "BZ-CR-02")
    settlement_id = desk.settlements.settle(
        SettlementRequest(
            decision.local_id, SettlementStatus.DEFERRED, 58800, 0, 58800, 0, "none", "c",
            due_date=desk.settlements.default_due_date(desk.items.get("BZ-CR-02")),
        )
    )  # fmt: skip
    desk.settlements.record_outcome(settlement_id, FinalOutcome.DEFAULTED, 0, "clerk-1")
    drain(desk)
    assert outbox.counts(desk.ctx) == {"pending": 0, "attention": 0}
    assert ask(desk, AT_1000, "BZ-CR-02").outcome is Outcome.COLLECT


def test_the_database_never_holds_a_raw_identity_number(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    numbers = [AT_1000, AT_950, AT_949, NOT_A_RESIDENT]
    for number in numbers:
        decision = ask(desk, number, "BZ-CR-01")
        settle_now(desk, decision.local_id)
    platform.knobs.outage = True
    offline = ask(desk, AT_949, "BZ-CR-01")
    settle_now(desk, offline.local_id)
    drain(desk)  # stays queued: sealed payloads at rest
    platform.knobs.outage = False
    files = [p for p in desk.store.folder.iterdir() if p.is_file()]
    assert any(p.name == "desk.sqlite3" for p in files)
    blob = b"".join(p.read_bytes() for p in files)
    for number in numbers:
        assert number.encode() not in blob
        assert number[:17].encode() not in blob
    drain(desk)
    blob = b"".join(p.read_bytes() for p in desk.store.folder.iterdir() if p.is_file())
    for number in numbers:
        assert number.encode() not in blob


def test_a_full_disk_leaves_nothing_half_written(make_desk: DeskFactory) -> None:
    from desk_app.secrets import AUDIT_KEY, get_or_create_key
    from desk_app.store import audit
    from desk_app.store.database import StoreFullError

    desk = make_desk()
    desk.items.refresh()
    with desk.store.read() as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages + 8}")

    def fill_the_disk() -> None:
        for _ in range(2000):
            decision = ask(desk, AT_1000, "BZ-CA-02", commitment_signed_at=None)
            settle_now(desk, decision.local_id, total=1000, self_pay=1000)

    with pytest.raises(StoreFullError) as caught:
        fill_the_disk()
    assert "磁盘已满" in caught.value.message_zh
    with desk.store.read() as db:
        settled = {r[0] for r in db.execute("SELECT settlement_id FROM settlements")}
        queued = {r[0] for r in db.execute("SELECT ref FROM outbox WHERE kind = 'settlement'")}
        decided = db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
        registered = db.execute("SELECT COUNT(*) FROM outbox WHERE kind = 'decision'").fetchone()[0]
    assert settled
    assert settled == queued
    assert decided == registered
    assert audit.verify(desk.store, get_or_create_key(desk.secrets, AUDIT_KEY)).intact


def test_a_corrupt_database_file_is_a_clear_error(tmp_path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    from desk_app.app import open_desk
    from desk_app.store.database import StoreCorruptError

    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "desk.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreCorruptError) as caught:
        open_desk(folder, "http://127.0.0.1:9")
    assert "损坏" in caught.value.message_zh
    assert (folder / "desk.sqlite3").read_bytes().startswith(b"this is not")


def test_sqlite_reports_the_file_as_not_a_database() -> None:
    assert issubclass(sqlite3.DatabaseError, sqlite3.Error)


def test_open_cases_offline_are_the_desks_own(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    decision = ask(desk, AT_1000, "BZ-CR-01")
    platform.knobs.outage = True
    (case,) = desk.settlements.open_cases(identify(AT_1000), "clerk-1")
    assert case.local_id == decision.local_id
    assert case.remote is None


def test_an_emergency_on_an_item_without_that_path_is_refused(make_desk: DeskFactory) -> None:
    from desk_app.services.decisions import EmergencyNotAvailableError

    desk = make_desk()
    desk.items.refresh()
    with pytest.raises(EmergencyNotAvailableError):
        ask(desk, AT_1000, "BZ-SV-01", emergency=True)


def test_a_case_settled_here_is_not_listed_again_before_its_delivery(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    desk = make_desk()
    decision = ask(desk, AT_1000, "BZ-CR-01")
    settle_now(desk, decision.local_id)  # queued, not delivered: the platform says open
    assert desk.settlements.open_cases(identify(AT_1000), "clerk-1") == []


def test_a_supervised_deposit_is_collected_and_refunded(make_desk: DeskFactory) -> None:
    desk = make_desk()
    decision = ask(desk, AT_1000, "BZ-SV-01", commitment_signed_at=None)
    with pytest.raises(SettlementInputError):
        desk.deposits.refunded(decision.local_id, 100, "clerk-1")
    desk.deposits.collected(decision.local_id, decision.collect_fen, "cash", "clerk-1")
    with pytest.raises(SettlementInputError):
        desk.deposits.collected(decision.local_id, decision.collect_fen, "cash", "clerk-1")
    with pytest.raises(SettlementInputError):
        desk.deposits.refunded(decision.local_id, decision.collect_fen + 1, "clerk-1")
    desk.deposits.refunded(decision.local_id, decision.collect_fen - 2000, "clerk-1")
    assert desk.deposits.status(decision.local_id) == (
        decision.collect_fen,
        decision.collect_fen - 2000,
    )
