"""Environment drills: a full disk, a damaged database, a locked keyring, a read-only folder.

Each ends in a clear typed message (a :class:`~desk_app.errors.DeskError` with Chinese
and English text, ``fault: environment``), keeps everything recorded before, and leaves
no half-written record behind. Covered elsewhere and not repeated here: SQLite's own
page limit (test_desk_core: a full disk), garbage instead of a database at start
(test_desk_core), a keyring locked or forgetful at start (test_desk_store,
test_desk_cli_and_drills).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import keyring
import pytest

from desk_app.app import Desk, open_desk
from desk_app.errors import Fault
from desk_app.identity import identify
from desk_app.secrets import SecretsUnavailableError
from desk_app.store.database import StoreCorruptError, StoreRecordError
from desk_app.sync import outbox
from desk_app.training_platform.server import EmbeddedPlatform
from tests.integration.desk_fixtures import DeskFactory, ask, drain
from tests.integration.test_desk_cli_and_drills import desk_env, run
from tests.integration.test_desk_core import AT_950, AT_1000, settle_now
from tests.support.keyrings import LockedKeyring, MemoryKeyring
from tests.support.read_only import read_only
from tests.support.store_checks import assert_whole, rows


def faulty_desk(tmp_path: Path, *args: str) -> list[tuple[str, str]]:
    """Run tests/support/faulty_desk.py; its output lines as (first word, the rest)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.faulty_desk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=desk_env(tmp_path),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [
        (word, rest) for word, _, rest in (ln.partition(" ") for ln in done.stdout.splitlines())
    ]


def platform_settlements(platform: EmbeddedPlatform) -> set[str]:
    rows_ = platform.app.state.service.db.read_all("SELECT settlement_id FROM settlements")
    return {r["settlement_id"] for r in rows_}


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- A full disk -------------------------------------------------------------------------


def test_a_disk_full_at_the_file_size_limit_refuses_clearly_and_keeps_every_record(
    tmp_path: Path, platform: EmbeddedPlatform
) -> None:
    """Found by this drill: EFBIG reached the clerk as SQLite's raw "disk I/O error"."""
    data = tmp_path / "desk"
    lines = faulty_desk(tmp_path, "full", str(data), platform.url, str(1 << 20))
    recorded = [rest for word, rest in lines if word == "recorded"]
    refusals = [json.loads(rest) for word, rest in lines if word == "refused"]
    assert lines[-1] == ("closed", "")
    assert ("never", "full") not in lines
    assert len(recorded) > 3  # some fitted in the room left, then the disk was full
    # The first refusal, the clerk's retry and the sync round: the same clear message.
    assert len(refusals) == 3
    for refusal in refusals:
        assert refusal["error"] == "StoreFullError"
        assert refusal["fault"] == "environment"
        assert "磁盘已满" in refusal["message"]
        assert "disk is full" in refusal["message_en"]

    # Room again: everything recorded is there, whole, and reaches the platform once.
    db = data / "desk.sqlite3"
    common = ["--data-dir", str(data), "--platform-url", platform.url]
    code, synced = run(tmp_path, "sync", *common)
    assert (code, synced["needs_attention"], synced["kept"]) == (0, [], 0)
    assert_whole(db)
    local = {r[0] for r in rows(db, "SELECT settlement_id FROM settlements")}
    assert local == set(recorded)
    assert local <= platform_settlements(platform)
    code, verdict = run(tmp_path, "audit", "verify", *common)
    assert (code, verdict["intact"]) == (0, True)


# --- A read-only data folder -------------------------------------------------------------


def test_a_read_only_data_folder_is_a_clear_message_and_changes_nothing(
    tmp_path: Path, platform: EmbeddedPlatform
) -> None:
    data = tmp_path / "desk"
    lines = faulty_desk(tmp_path, "record", str(data), platform.url)
    recorded = {rest for word, rest in lines if word == "recorded"}
    before = files_of(data)
    common = ["--data-dir", str(data), "--platform-url", platform.url]
    with read_only(data) as prefix:
        for args in (["status"], ["decide", "--item", "BZ-CA-01", AT_1000], ["sync"]):
            done = subprocess.run(
                [*prefix, sys.executable, "-m", "desk_app", *args, *common],
                capture_output=True,
                text=True,
                encoding="utf-8",
                env=desk_env(tmp_path),
                timeout=120,
            )
            body: dict[str, Any] = json.loads(done.stdout)
            assert (done.returncode, body["error"]) == (3, "StoreReadOnlyError"), done.stderr
            assert "不能写入" in body["message"]
            assert "cannot be written" in body["message_en"]
    assert files_of(data) == before
    # Writable again: nothing was lost, and all of it still goes out.
    code, synced = run(tmp_path, "sync", *common)
    assert (code, synced["needs_attention"], synced["kept"]) == (0, [], 0)
    assert recorded <= platform_settlements(platform)
    assert_whole(data / "desk.sqlite3")


# --- A damaged database file -------------------------------------------------------------


def damage(path: Path, how: str) -> None:
    """Damage the file the ways disks and copies do."""
    data = bytearray(path.read_bytes())
    if how == "pages":  # garbage inside every third page after the first
        for start in range(2 * 4096, len(data), 3 * 4096):
            data[start + 100 : start + 400] = bytes(range(150)) * 2
    elif how == "truncated":  # a copy cut short
        del data[len(data) // 2 :]
    elif how == "header":  # the header's page size and format bytes
        data[16:32] = b"\xff" * 16
    elif how == "zeros":  # everything after the first page lost
        data[4096:] = bytes(len(data) - 4096)
    path.write_bytes(bytes(data))


def a_closed_desk_with_records(make_desk: DeskFactory, platform: EmbeddedPlatform) -> Path:
    """A desk's folder with online and offline decisions, settlements, an open case; closed."""
    desk = make_desk()
    for number in (AT_1000, AT_950):
        settle_now(desk, ask(desk, number, "BZ-CR-01").local_id)
    platform.knobs.outage = True
    settle_now(desk, ask(desk, AT_950, "BZ-CA-01").local_id)
    platform.knobs.outage = False
    ask(desk, AT_1000, "BZ-SV-01")  # still open
    folder = desk.store.folder
    desk.close()
    return folder


@pytest.mark.parametrize("how", ["pages", "truncated", "header", "zeros"])
def test_a_damaged_database_file_is_refused_clearly_and_left_for_it_to_restore(
    make_desk: DeskFactory, platform: EmbeddedPlatform, how: str
) -> None:
    folder = a_closed_desk_with_records(make_desk, platform)
    damage(folder / "desk.sqlite3", how)
    damaged = (folder / "desk.sqlite3").read_bytes()
    with pytest.raises(StoreCorruptError) as caught:
        open_desk(folder, platform.url).close()
    assert caught.value.fault is Fault.ENVIRONMENT
    assert "损坏" in caught.value.message_zh
    assert "damaged" in caught.value.message_en
    # Not overwritten, not moved: IT restores it, or recovers what it still holds.
    assert (folder / "desk.sqlite3").read_bytes() == damaged


def test_a_damaged_database_file_stops_the_command_line_with_exit_3(
    tmp_path: Path, make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    folder = a_closed_desk_with_records(make_desk, platform)
    damage(folder / "desk.sqlite3", "pages")
    code, body = run(tmp_path, "status", "--data-dir", str(folder), "--platform-url", platform.url)
    assert (code, body["error"], body["fault"]) == (3, "StoreCorruptError", "environment")
    assert body["message"]
    assert body["message_en"]


def test_a_damaged_record_in_a_sound_file_is_a_clear_message_not_a_crash(
    make_desk: DeskFactory, platform: EmbeddedPlatform
) -> None:
    """Found by this drill: a garbled stored JSON value raised JSONDecodeError (a bug report).

    SQLite checks its pages, not the values in them: bit rot inside a record passes
    ``PRAGMA integrity_check`` and is only found when the value is read.
    """
    folder = a_closed_desk_with_records(make_desk, platform)
    path = folder / "desk.sqlite3"
    data = bytearray(path.read_bytes())
    for needle in (b'"standard_deposit_fen"', b'"outcome": "'):
        # Every copy: SQLite leaves old copies of rewritten records in free pages.
        at = data.find(needle)
        assert at > 0
        while at > 0:
            data[at : at + 4] = b"\x00\x01{]"
            at = data.find(needle, at)
    path.write_bytes(bytes(data))
    assert rows(path, "PRAGMA integrity_check") == [("ok",)]

    desk = open_desk(folder, platform.url)
    try:
        before = rows(path, "SELECT COUNT(*) FROM audit")
        document = identify(AT_1000)
        for action in (
            lambda: ask(desk, AT_1000, "BZ-CR-01"),  # the item list is damaged
            lambda: desk.decisions.cached(document.subject_id, "BZ-CR-01"),  # a decision
            lambda: desk.settlements.open_cases(document, "clerk-1"),
        ):
            with pytest.raises(StoreRecordError) as caught:
                action()
            assert caught.value.fault is Fault.ENVIRONMENT
            assert "损坏" in caught.value.message_zh
        # A refusal records nothing; the undamaged records still go out.
        assert rows(path, "SELECT COUNT(*) FROM audit") == before
        drain(desk)
        assert outbox.counts(desk.ctx) == {"pending": 0, "attention": 0}
    finally:
        desk.close()


# --- A keyring that locks while the desk runs --------------------------------------------


def test_a_keyring_locked_while_the_desk_runs_is_a_clear_message_and_loses_nothing(
    make_desk: DeskFactory, platform: EmbeddedPlatform, memory_keyring: MemoryKeyring
) -> None:
    desk: Desk = make_desk()
    open_case = ask(desk, AT_1000, "BZ-CR-01")
    audited = rows(desk.store.path, "SELECT COUNT(*) FROM audit")
    # The session locks its keyring (a screen lock, another user); the token runs out.
    keyring.set_keyring(LockedKeyring())  # type: ignore[no-untyped-call]
    desk.client._token = None
    try:
        with pytest.raises(SecretsUnavailableError) as caught:
            ask(desk, AT_950, "BZ-CR-01")
        assert caught.value.fault is Fault.ENVIRONMENT
        assert "钥匙串" in caught.value.message_zh
        assert "keyring" in caught.value.message_en
        # The refused decision left nothing behind.
        assert rows(desk.store.path, "SELECT COUNT(*) FROM audit") == audited
        # What needs no keyring still works and waits: a settlement, a cancelled item.
        settled = settle_now(desk, open_case.local_id)
        listed = ask(desk, AT_950, "BZ-CA-01")
        with pytest.raises(SecretsUnavailableError):
            desk.outbox.deliver_due()
        assert {(e.ref, e.state) for e in outbox.entries(desk.ctx)} == {
            (settled, outbox.State.PENDING),
            (listed.local_id, outbox.State.PENDING),
        }
    finally:
        keyring.set_keyring(memory_keyring)
    # Unlocked: all of it goes out, once.
    drain(desk)
    assert outbox.counts(desk.ctx) == {"pending": 0, "attention": 0}
    assert settled in platform_settlements(platform)
    assert_whole(desk.store.path)
