"""Every translatable string has a translation that keeps its placeholders."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT

TS_FILES = sorted((ROOT / "resources" / "translations").glob("*.ts"))
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\d+")
TR_CALL = re.compile(r"""self\.tr\(\s*((?:"[^"]*"\s*)+)\)""")


def source_strings() -> set[tuple[str, str]]:
    """(class, string) for every self.tr("...") in the UI code."""
    found = set()
    for path in (ROOT / "desk_app" / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in TR_CALL.finditer(text):
            owner = re.findall(r"^class (\w+)", text[: match.start()], re.MULTILINE)[-1]
            literal = "".join(re.findall(r'"([^"]*)"', match.group(1)))
            found.add((owner, literal))
    return found


def ts_messages(path: Path) -> dict[tuple[str, str], str]:
    root = ET.parse(path).getroot()
    out = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            out[(name, message.findtext("source") or "")] = message.findtext("translation") or ""
    return out


def test_there_is_a_chinese_translation() -> None:
    assert [p.name for p in TS_FILES] == ["desk_app_zh_CN.ts"]


@pytest.mark.parametrize("path", TS_FILES, ids=[p.name for p in TS_FILES])
def test_every_ui_string_is_translated(path: Path) -> None:
    messages = ts_messages(path)
    sources = source_strings()
    assert sources, "no tr() calls found: the scanner is broken"
    missing = sorted(sources - messages.keys())
    assert missing == []
    untranslated = sorted(key for key, value in messages.items() if not value.strip())
    assert untranslated == []


@pytest.mark.parametrize("path", TS_FILES, ids=[p.name for p in TS_FILES])
def test_translations_keep_their_placeholders(path: Path) -> None:
    for (context, source), translation in ts_messages(path).items():
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation)), (
            f"{context}: {source!r}"
        )
