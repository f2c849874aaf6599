"""The support commands as support staff run them (the kill -9 drill: test_fault_drills.py)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desk_app.store.schema import latest_version
from desk_app.training_platform.server import EmbeddedPlatform
from tests.conftest import ROOT


def desk_env(tmp_path: Path) -> dict[str, str]:
    """A subprocess environment whose keyring is a test file shared across processes."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "tests.support.keyrings.FileKeyring",
        "DESK_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
    }


def run(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=desk_env(tmp_path),
        timeout=120,
    )
    assert done.stdout.strip(), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_status_decide_sync_and_audit_from_the_command_line(
    tmp_path: Path, platform: EmbeddedPlatform
) -> None:
    common = ["--data-dir", str(tmp_path / "desk"), "--platform-url", platform.url]
    code, status = run(tmp_path, "status", *common)
    assert code == 0
    assert status["mode"] == "training"
    assert status["platform_reachable"] is True
    assert status["schema_version"] == latest_version()
    assert {"pending", "needs_attention", "last_successful_sync", "database"} <= status.keys()

    code, decision = run(
        tmp_path, "decide", *common, "--item", "BZ-CR-01", "--amount", "3000.00",
        "371602198601115150",
    )  # fmt: skip
    assert code == 0
    assert decision["source"] == "online"
    assert decision["outcome"] == "waive"
    assert decision["amount_fen"] == 300000
    assert decision["subject"]["masked"] == "3716**********5150"

    platform.knobs.outage = True
    code, cached = run(tmp_path, "decide", *common, "--item", "BZ-CR-01", "371602198601115150")
    assert cached["source"] == "cache"
    code, provisional = run(tmp_path, "decide", *common, "--item", "BZ-CR-01", "360426199101010071")
    assert provisional["source"] == "provisional"
    code, status = run(tmp_path, "status", *common)
    assert status["platform_reachable"] is False
    assert status["pending"] == 2
    platform.knobs.outage = False
    code, synced = run(tmp_path, "sync", *common)
    assert code == 0
    assert synced["sent"] == 2
    assert synced["needs_attention"] == []

    code, verdict = run(tmp_path, "audit", "verify", *common)
    assert (code, verdict["intact"]) == (0, True)
    with sqlite3.connect(tmp_path / "desk" / "desk.sqlite3") as db:
        db.execute("UPDATE audit SET operator_id = 'intruder' WHERE seq = 1")
    db.close()
    code, verdict = run(tmp_path, "audit", "verify", *common)
    assert (code, verdict["intact"], verdict["first_broken"]) == (1, False, 1)


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (["decide", "--item", "BZ-CR-01", "371602198601115151"], 1, "InvalidDocumentError"),
        (["decide", "--item", "NOPE", "371602198601115150"], 1, "UnknownItemError"),
        (["decide", "--item", "BZ-CR-01", "--amount", "2.985", "371602198601115150"], 1,
         "InvalidAmountError"),
    ],
)  # fmt: skip
def test_bad_input_on_the_command_line_is_a_clear_error(
    tmp_path: Path, platform: EmbeddedPlatform, args: list[str], code: int, error: str
) -> None:
    common = ["--data-dir", str(tmp_path / "desk"), "--platform-url", platform.url]
    got, body = run(tmp_path, args[0], *common, *args[1:])
    assert (got, body["error"]) == (code, error)
    assert body["message"]
    assert body["message_en"]


def test_items_and_training_residents(tmp_path: Path, platform: EmbeddedPlatform) -> None:
    common = ["--data-dir", str(tmp_path / "desk"), "--platform-url", platform.url]
    code, items = run(tmp_path, "items", *common)
    assert code == 0
    assert [i["code"] for i in items["items"]] == ["BZ-CA-01", "BZ-CA-02", "BZ-CR-01", "BZ-SV-01"]
    code, residents = run(tmp_path, "training", "residents", *common, "--level", "AAA")
    assert code == 0
    assert residents["residents"]
    assert {r["level"] for r in residents["residents"]} == {"AAA"}


def test_the_default_platform_is_the_embedded_training_one_and_keeps_its_state(
    tmp_path: Path,
) -> None:
    common = ["--data-dir", str(tmp_path / "desk")]
    code, first = run(tmp_path, "decide", *common, "--item", "BZ-CR-01", "371602198601115150")
    assert (code, first["source"]) == (0, "online")
    assert (tmp_path / "desk" / "training-platform").is_dir()
    code, status = run(tmp_path, "status", *common)
    assert status["platform_url"].startswith("http://127.0.0.1:")


def test_training_without_a_keyring_starts_fresh_and_keeps_the_old_data_aside(
    tmp_path: Path, platform: EmbeddedPlatform
) -> None:
    env = {**desk_env(tmp_path), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    common = ["--data-dir", str(tmp_path / "desk"), "--platform-url", platform.url]

    def no_keyring(*args: str) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-m", "desk_app", *args], capture_output=True, text=True,
            encoding="utf-8", env=env, timeout=120,
        )  # fmt: skip
        assert "371602198601115150" not in done.stderr
        parsed: dict[str, Any] = json.loads(done.stdout)
        return parsed

    assert no_keyring("decide", *common, "--item", "BZ-CR-01", "371602198601115150")["source"] == (
        "online"
    )
    status = no_keyring("status", *common)
    assert status["keyring"] == "memory"
    assert status["warnings"][0].startswith("training data of an earlier run kept aside")
    assert no_keyring("audit", "verify", *common)["intact"] is True
    # One file of earlier sessions is kept, not one per command: their keys are gone.
    for _ in range(3):
        no_keyring("status", *common)
    aside = list((tmp_path / "desk").glob("desk.earlier-training-*.sqlite3"))
    assert [p.name.endswith("-keys-gone.sqlite3") for p in aside] == [True]


def test_training_data_written_with_keyring_keys_is_kept_when_the_keyring_fails(
    tmp_path: Path, platform: EmbeddedPlatform
) -> None:
    """Its keys may come back with the keyring: never removed, however many runs follow."""
    common = ["--data-dir", str(tmp_path / "desk"), "--platform-url", platform.url]
    code, _ = run(tmp_path, "decide", *common, "--item", "BZ-CR-01", "371602198601115150")
    assert code == 0
    env = {**desk_env(tmp_path), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-m", "desk_app", "status", *common],
            capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    aside = sorted(p.name for p in (tmp_path / "desk").glob("desk.earlier-training-*.sqlite3"))
    assert len(aside) == 2
    assert not aside[0].endswith("-keys-gone.sqlite3")  # the keyring's: kept
    assert aside[1].endswith("-keys-gone.sqlite3")  # the newest of the memory ones


def test_a_live_desk_whose_keyring_lost_its_keys_stops_without_touching_the_data(
    tmp_path: Path, platform: EmbeddedPlatform
) -> None:
    common = ["--data-dir", str(tmp_path / "desk"), "--platform-url", platform.url]
    run(tmp_path, "decide", *common, "--item", "BZ-CR-01", "371602198601115150")
    (tmp_path / "keyring.json").unlink()  # the keyring forgot this desk
    before = (tmp_path / "desk" / "desk.sqlite3").stat().st_size
    code, body = run(tmp_path, "status", *common)
    assert code == 3
    assert body["error"] == "KeysLostError"
    assert "钥匙串" in body["message"]
    assert (tmp_path / "desk" / "desk.sqlite3").stat().st_size == before


def test_self_check_passes_on_a_fresh_install(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", "self-check"],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
        env={**desk_env(tmp_path), "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True
    assert set(report["checks"]) == {"store", "platform", "decision", "translations"}
    assert not (tmp_path / "keyring.json").exists()  # nothing left in the keyring


def test_sync_and_status_name_refused_waivers_and_an_unreachable_platform(
    tmp_path: Path, platform: EmbeddedPlatform
) -> None:
    """Found by a new user's trial: after sync delivered a refusal, sync said nothing
    needed attention and status counted nothing, though a deposit was still to collect;
    and sync said the platform was reachable when it had nothing to send."""
    at_949 = "11010219840406970X"
    data = tmp_path / "desk"
    common = ["--data-dir", str(data), "--platform-url", platform.url]
    assert run(tmp_path, "items", *common)[0] == 0  # the list, while the platform answers
    platform.knobs.outage = True
    code, decided = run(tmp_path, "decide", "--item", "BZ-CR-01", "--amount", "3000.00",
                        at_949, *common)  # fmt: skip
    assert (code, decided["source"]) == (0, "provisional")
    platform.knobs.outage = False
    code, synced = run(tmp_path, "sync", *common)
    assert (code, synced["platform_reachable"], synced["needs_attention"]) == (0, True, [])
    (alert,) = synced["alerts"]
    assert alert["subject"] == "1101**********970X"
    assert alert["collect_fen"] == 3_000_00
    assert "押金" in alert["message"]
    assert at_949 not in json.dumps(synced)
    code, status = run(tmp_path, "status", *common)
    assert (code, status["alerts"]) == (0, 1)
    # Nothing waits to be sent, and nothing listens there: said so.
    code, synced = run(tmp_path, "sync", "--data-dir", str(data),
                       "--platform-url", "http://127.0.0.1:9")  # fmt: skip
    assert (code, synced["sent"], synced["platform_reachable"]) == (0, 0, False)
    assert len(synced["alerts"]) == 1
