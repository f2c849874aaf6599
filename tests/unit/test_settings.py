"""Settings survive an upgrade: a file written by an earlier build still loads."""

from __future__ import annotations

import json
from pathlib import Path

from desk_app import settings


def test_a_settings_file_from_an_earlier_build_keeps_what_it_had(tmp_path: Path) -> None:
    # What the first release wrote: no reader port, printer, idle or scanner settings yet.
    (tmp_path / settings.FILE_NAME).write_text(
        json.dumps(
            {
                "version": 1,
                "desk_id": "0123abcd",
                "mode": "live",
                "platform_url": "https://credit.binzhou.example",
                "training_institution": "training-hospital",
                "counter_id": "ADMISSION-2",
                "ca_bundle": "",
                "items_served": ["BZ-CR-01"],
                "language": "en",
                "decision_retention_days": 30,
                "settlement_retention_days": 400,
                "a_setting_a_later_build_dropped": True,
            }
        ),
        encoding="utf-8",
    )
    loaded = settings.load(tmp_path)
    assert loaded.desk_id == "0123abcd"  # the keyring entries stay this desk's
    assert loaded.mode == "live"
    assert loaded.counter_id == "ADMISSION-2"
    assert loaded.items_served == ["BZ-CR-01"]
    assert loaded.idle_lock_minutes == 10
    assert loaded.scanner_prefix == ""


def test_a_new_desk_starts_in_training_and_the_file_is_written_whole(tmp_path: Path) -> None:
    fresh = settings.load(tmp_path)
    assert fresh.training
    saved = json.loads((tmp_path / settings.FILE_NAME).read_text(encoding="utf-8"))
    assert saved["version"] == settings.VERSION
    assert saved["desk_id"] == fresh.desk_id
    assert not list(tmp_path.glob("*.tmp"))
