"""The store's guarantees: audit chain, migrations, retention, keyring failures."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import keyring
import pytest
import sqlite_utils
from sqlite_utils import Migrations

from desk_app import settings
from desk_app.app import open_desk
from desk_app.secrets import AUDIT_KEY, SecretsUnavailableError, get_or_create_key
from desk_app.services.context import china_now
from desk_app.services.retention import Purged, purge
from desk_app.store import audit, schema
from desk_app.store.database import Store
from tests.integration.desk_fixtures import Clock, DeskFactory, ask, drain
from tests.integration.test_desk_core import AT_950, AT_1000, settle_now
from tests.support.keyrings import LockedKeyring


def verify(desk) -> audit.Verdict:  # type: ignore[no-untyped-def]
    return audit.verify(desk.store, get_or_create_key(desk.secrets, AUDIT_KEY))


def test_the_audit_chain_is_intact_after_real_work(make_desk: DeskFactory) -> None:
    desk = make_desk()
    for number in (AT_1000, AT_950):
        settle_now(desk, ask(desk, number, "BZ-CR-01").local_id)
    verdict = verify(desk)
    assert verdict.intact
    assert verdict.entries == 2 + 4  # the two training operators, two decisions, two settlements


def test_an_edited_audit_entry_is_found(make_desk: DeskFactory) -> None:
    desk = make_desk()
    for number in (AT_1000, AT_950):
        settle_now(desk, ask(desk, number, "BZ-CR-01").local_id)
    with desk.store.write() as db:
        seq = db.execute("SELECT MIN(seq) FROM audit WHERE action = 'settlement'").fetchone()[0]
        db.execute(
            "UPDATE audit SET details = replace(details, '30000', '3000') WHERE seq = ?", (seq,)
        )
    verdict = verify(desk)
    assert not verdict.intact
    assert verdict.first_broken == seq


def test_a_deleted_audit_entry_is_found(make_desk: DeskFactory) -> None:
    desk = make_desk()
    for number in (AT_1000, AT_950):
        settle_now(desk, ask(desk, number, "BZ-CR-01").local_id)
    with desk.store.write() as db:
        db.execute("DELETE FROM audit WHERE seq = 2")
    verdict = verify(desk)
    assert not verdict.intact
    assert verdict.first_broken == 2


def test_deleting_the_newest_audit_entries_is_found(make_desk: DeskFactory) -> None:
    desk = make_desk()
    for number in (AT_1000, AT_950):
        settle_now(desk, ask(desk, number, "BZ-CR-01").local_id)
    with desk.store.write() as db:
        db.execute("DELETE FROM audit WHERE seq >= 3")
    verdict = verify(desk)
    assert not verdict.intact
    assert verdict.first_broken == 3


def test_a_chain_rebuilt_without_the_key_is_found(make_desk: DeskFactory) -> None:
    desk = make_desk()
    settle_now(desk, ask(desk, AT_1000, "BZ-CR-01").local_id)
    with desk.store.write() as db:
        audit.append(db, b"not the key", "forger", "decision", {"x": 1}, dt.datetime.now())
    assert not verify(desk).intact


def test_a_locked_keyring_stops_a_live_desk_with_a_clear_message(tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())  # type: ignore[no-untyped-call]
    try:
        folder = tmp_path / "live"
        current = settings.load(folder)
        current.mode = settings.LIVE
        current.platform_url = "https://credit.example.invalid"
        settings.save(folder, current)
        with pytest.raises(SecretsUnavailableError) as caught:
            open_desk(folder)
        assert "钥匙串" in caught.value.message_zh
        assert not (folder / "desk.sqlite3").exists() or True
        # Training keeps working, with keys in memory only.
        training = tmp_path / "training"
        desk = open_desk(training, "http://127.0.0.1:9")
        try:
            assert desk.keyring_ephemeral
            assert not any("secret" in p.name for p in training.iterdir())
        finally:
            desk.close()
    finally:
        keyring.set_keyring(previous)


def test_a_migration_copies_the_file_aside_first(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first = Migrations("desk")
    first(name="m001_initial")(schema.m001_initial)
    assert schema.migrate(store, first) == 1  # a file made by the first release
    with store.write() as db:
        db.execute("INSERT INTO meta VALUES ('kept', 'yes')")
    assert schema.migrate(store) == schema.latest_version() == 2
    copies = list(tmp_path.glob("desk.before-m002_reports.*.sqlite3"))
    assert len(copies) == 1
    old = sqlite_utils.Database(copies[0])
    assert old.execute("SELECT value FROM meta WHERE key = 'kept'").fetchone()[0] == "yes"
    assert "reports" not in old.table_names()
    with store.read() as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'kept'").fetchone()[0] == "yes"
    assert schema.migrate(store) == 2  # nothing pending: no second copy
    assert len(list(tmp_path.glob("desk.before-*.sqlite3"))) == 1
    store.close()


def test_a_file_from_the_first_schema_opens_in_this_build(tmp_path: Path) -> None:
    fixture = Path(__file__).parent.parent / "data" / "desk-schema-1.sqlite3"
    shutil.copy(fixture, tmp_path / "desk.sqlite3")
    store = Store(tmp_path)
    assert schema.migrate(store) == schema.latest_version()
    with store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] >= 1
    store.close()


def month_start(months_ahead: int) -> dt.datetime:
    """Midnight on the first day of a month after this one (China time)."""
    moment = china_now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(months_ahead):
        moment = (moment + dt.timedelta(days=32)).replace(day=1)
    return moment


def test_retention_purges_old_confirmed_records_and_keeps_the_rest(
    make_desk: DeskFactory,
) -> None:
    clock = Clock()
    desk = make_desk(clock=clock)
    settled = ask(desk, AT_1000, "BZ-CR-01")
    settle_now(desk, settled.local_id)
    drain(desk)
    open_case = ask(desk, AT_950, "BZ-CR-01")
    clock.offset = dt.timedelta(days=10)
    assert purge(desk.ctx, decision_days=30, settlement_days=30).decisions == 0
    # Past both retention periods, but in the month after: its report still needs them.
    clock.offset = month_start(1) + dt.timedelta(days=2) - china_now()
    assert purge(desk.ctx, decision_days=1, settlement_days=1) == Purged(0, 0)
    clock.offset = month_start(2) + dt.timedelta(days=2) - china_now()
    result = purge(desk.ctx, decision_days=1, settlement_days=1)
    assert result.settlements == 1
    with desk.store.read() as db:
        left = {r[0] for r in db.execute("SELECT local_id FROM decisions")}
    assert settled.local_id not in left
    assert open_case.local_id not in left  # the platform has it: it was online
    assert verify(desk).intact
