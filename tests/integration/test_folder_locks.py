"""Desk processes that open one data folder at the same moment (desk_app/locks.py).

Found by a new user's trial: two support commands (or a double click on the icon) on a
new folder each made keys, so the keyring kept one process's and the database the
other's fingerprint, and every later start stopped with KeysLostError; without a
keyring, a command beside the open window set the window's live database aside.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from desk_app import locks
from desk_app.app import open_desk
from desk_app.training_platform.server import EmbeddedPlatform
from tests.integration.desk_fixtures import ask
from tests.integration.test_desk_cli_and_drills import desk_env, run
from tests.support.keyrings import LockedKeyring

AT_1000 = "371602198601115150"
STARTS = 4
ROUNDS = 3


def desk_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "desk_app", *args]


def test_desks_started_at_once_on_a_new_folder_all_open_it_and_so_do_later_ones(
    tmp_path: Path, platform: EmbeddedPlatform
) -> None:
    for round_no in range(ROUNDS):
        common = ["--data-dir", str(tmp_path / f"desk-{round_no}"), "--platform-url", platform.url]
        started = [
            subprocess.Popen(
                desk_command("status", *common),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=desk_env(tmp_path),
            )
            for _ in range(STARTS)
        ]
        for process in started:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            assert json.loads(out)["schema_version"] >= 1
        # The keyring and the database agree: the desk opens again, and keeps doing so.
        code, status = run(tmp_path, "status", *common)
        assert code == 0, status


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """This process has no usable keyring (a training desk keeps its keys in memory)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def test_a_keyringless_training_desk_in_use_is_never_set_aside_by_another_process(
    tmp_path: Path, platform: EmbeddedPlatform, no_keyring: None
) -> None:
    data = tmp_path / "desk"
    desk = open_desk(data, platform.url)
    env = {**desk_env(tmp_path), "PYTHON_KEYRING_BACKEND": "tests.support.keyrings.LockedKeyring"}
    common = ["--data-dir", str(data), "--platform-url", platform.url]
    try:
        assert desk.keyring_ephemeral
        case = ask(desk, AT_1000, "BZ-CA-01")
        database = (data / "desk.sqlite3").stat().st_ino
        done = subprocess.run(
            desk_command("status", *common), capture_output=True, text=True, env=env, timeout=120
        )
        answer = json.loads(done.stdout)
        assert (done.returncode, answer["error"]) == (3, "TrainingSessionBusyError")
        assert "钥匙串" in answer["message"]
        assert "close it first" in answer["message_en"]
        # The open desk's database stayed where it is, and it still works.
        assert (data / "desk.sqlite3").stat().st_ino == database
        assert not list(data.glob("desk.earlier-training-*"))
        assert ask(desk, AT_1000, "BZ-CA-01").local_id != case.local_id
    finally:
        desk.close()
    # Closed: the next training session may start (the earlier one kept aside, as ever).
    done = subprocess.run(
        desk_command("status", *common), capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert list(data.glob("desk.earlier-training-*-keys-gone.sqlite3"))


def test_a_second_window_on_the_same_desk_says_it_is_open_and_ends(
    tmp_path: Path, platform: EmbeddedPlatform
) -> None:
    data = tmp_path / "desk"
    held = locks.hold(data, locks.WINDOW, locks.WindowOpenError)
    try:
        done = subprocess.run(
            desk_command("--data-dir", str(data), "--platform-url", platform.url),
            capture_output=True,
            text=True,
            env={**desk_env(tmp_path), "QT_QPA_PLATFORM": "offscreen"},
            timeout=120,
        )
    finally:
        held.release()
    assert done.returncode == 3, done.stderr
    assert f"服务台已经在这台电脑上打开（同一柜台只能打开一个窗口：{data}）" in done.stderr
    # Nothing was opened behind the message: no database was made.
    assert not (data / "desk.sqlite3").exists()


def test_a_folder_being_set_up_elsewhere_too_long_is_a_clear_message(tmp_path: Path) -> None:
    data = tmp_path / "desk"
    with locks.setting_up(data):
        other = subprocess.run(
            [sys.executable, "-c", _WAIT_BRIEFLY, str(data)],
            capture_output=True,
            text=True,
            timeout=60,
            env=desk_env(tmp_path),
        )
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() == "SetupBusyError"


# Another process that waits a moment for the setup lock, then says what it got.
_WAIT_BRIEFLY = """
import sys
from pathlib import Path
from desk_app import locks
try:
    with locks.setting_up(Path(sys.argv[1]), wait_s=0.3):
        print("acquired")
except locks.SetupBusyError as error:
    assert error.message_zh and error.message_en
    print(type(error).__name__)
"""
