"""``desk-app identify`` through the installed console script, as support staff run it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from typing import Any

import pytest

TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def desk_app(*args: str) -> tuple[int, dict[str, Any] | None, str]:
    script = shutil.which("desk-app")
    command = [script] if script else [sys.executable, "-m", "desk_app"]
    done = subprocess.run(
        [*command, *args], capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    parsed = json.loads(done.stdout) if done.stdout.strip() else None
    return done.returncode, parsed, done.stderr


FIELDS = {
    "valid",
    "kind",
    "number",
    "birth_date",
    "sex",
    "region_code",
    "region_name",
    "expiry_date",
    "expired",
    "warnings",
    "errors",
}


def test_a_valid_number_prints_the_contract_fields_and_exits_0() -> None:
    code, out, _ = desk_app("identify", "371602198601115150")
    assert code == 0
    assert out is not None
    assert out.keys() >= FIELDS
    assert out["valid"] is True
    assert out["kind"] == "resident_id"
    assert out["number"] == "371602198601115150"
    assert out["birth_date"] == "1986-01-11"
    assert out["sex"] == "M"
    assert out["region_code"] == "371602"
    assert out["region_name"] == "山东省滨州市滨城区"
    assert out["errors"] == []


def test_an_invalid_number_prints_errors_with_positions_and_exits_1() -> None:
    code, out, _ = desk_app("identify", "36042619910102009X")
    assert code == 1
    assert out is not None
    assert out["valid"] is False
    assert out["kind"] == "resident_id"
    assert out["errors"][0]["code"] == "check"
    assert out["errors"][0]["position"] == 18
    assert "校验码" in out["errors"][0]["message"]
    assert out.keys() >= FIELDS


def test_a_passport_mrz_with_newlines_and_expiry() -> None:
    code, out, _ = desk_app("identify", "--today", "2026-12-03", TD3)
    assert code == 0
    assert out is not None
    assert out["kind"] == "mrz"
    assert out["expiry_date"] == "2012-04-15"
    assert out["expired"] is True
    assert [w["code"] for w in out["warnings"]] == ["expired"]


def test_a_passport_mrz_with_a_literal_backslash_n() -> None:
    code, out, _ = desk_app("identify", TD3.replace("\n", "\\n"))
    assert code == 0
    assert out is not None
    assert out["number"] == "L898902C3"


@pytest.mark.parametrize(
    "args", [["identify"], ["identify", "--kind", "nonsense", "x"], ["no-such-command"]]
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, out, err = desk_app(*args)
    assert code == 2
    assert out is None
    assert "usage" in err


def test_kind_restriction() -> None:
    code, out, _ = desk_app("identify", "--kind", "uscc", "371602198601115150")
    assert code == 1
    assert out is not None
    assert out["errors"][0]["code"] == "not_accepted_here"


def test_invalid_output_has_the_same_keys_as_valid_output() -> None:
    _, valid, _ = desk_app("identify", "371602198601115150")
    _, invalid, _ = desk_app("identify", "371602198601115151")
    assert valid is not None
    assert invalid is not None
    assert invalid.keys() == valid.keys()


def test_a_stray_letter_in_an_identity_number_is_explained_as_such() -> None:
    # Not as a unified social credit code with a wrong check character.
    _, out, _ = desk_app("identify", "3716021986X1115150")
    assert out is not None
    assert out["kind"] == "resident_id"
    assert (out["errors"][0]["code"], out["errors"][0]["position"]) == ("character", 11)


def test_an_answer_that_cannot_be_written_is_not_mistaken_for_invalid() -> None:
    script = shutil.which("desk-app")
    command = [script] if script else [sys.executable, "-m", "desk_app"]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*command, "identify", "371602198601115150"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 74
    assert "cannot write" in done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["--data-dir", "/srv/desk", "status"],
        ["status", "--data-dir", "/srv/desk"],
        ["--data-dir", "/elsewhere", "status", "--data-dir", "/srv/desk"],
    ],
)
def test_the_data_folder_is_taken_before_or_after_the_command(argv: list[str]) -> None:
    """Given before the command, it was once dropped for the default folder (silently)."""
    from desk_app.cli import build_parser

    assert str(build_parser().parse_args(argv).data_dir) == "/srv/desk"


@pytest.mark.parametrize(
    "argv",
    [
        ["--language", "en", "report", "monthly", "--month", "2026-11"],
        ["report", "monthly", "--month", "2026-11", "--language", "en"],
    ],
)
def test_the_language_is_taken_before_or_after_the_command(argv: list[str]) -> None:
    from desk_app.cli import build_parser

    assert build_parser().parse_args(argv).language == "en"


@pytest.mark.parametrize("url", ["not-a-url", "ftp://platform.example", "http://", "127.0.0.1:8"])
def test_a_platform_address_that_is_no_address_is_a_usage_error(url: str) -> None:
    code, out, err = desk_app("status", "--platform-url", url)
    assert code == 2
    assert out is None
    assert "not a platform address" in err
