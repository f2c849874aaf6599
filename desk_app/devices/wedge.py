"""Keyboard-wedge scanners: turn what arrives line by line into whole scans.

A passport reader in keyboard mode types each line of the machine-readable zone
and presses Enter after each; the scan field hands over one line per Enter. The
assembler keeps MRZ lines until the zone is complete and hands the zone over as
one text, so one passport is one lookup.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from desk_app.identity.normalize import to_ascii_forms

# Lines per zone by line width: TD1 is 3 x 30, TD2 2 x 36, TD3 (passports) 2 x 44.
_LINES_BY_WIDTH = {30: 3, 36: 2, 44: 2}
_MRZ_LINE = re.compile(r"^[A-Z0-9<]+$")


def mrz_line_width(text: str) -> int | None:
    """The width of ``text`` if it is one MRZ line on its own, else None."""
    line = to_ascii_forms(text).strip().upper()
    if "<" in line and len(line) in _LINES_BY_WIDTH and _MRZ_LINE.match(line):
        return len(line)
    return None


class MrzLineAssembler:
    """Collects MRZ lines typed one per Enter into whole zones.

    Feed it every submitted text; it returns the texts to look up, in order.
    """

    def __init__(self) -> None:
        self._lines: list[str] = []

    @property
    def pending_lines(self) -> int:
        """How many lines of an unfinished zone are held."""
        return len(self._lines)

    def reset(self) -> None:
        """Drop an unfinished zone (the clerk pressed Esc)."""
        self._lines.clear()

    def feed(self, text: str) -> list[str]:
        """Take one submitted text.

        Args:
            text: what arrived before the Enter.

        Returns:
            Texts ready to identify: none while a zone is incomplete; an unfinished
            zone is handed over as it is (to be reported) when something else arrives.
        """
        width = mrz_line_width(text)
        ready: list[str] = []
        if self._lines and width != len(self._lines[0]):
            ready.append("\n".join(self._lines))
            self._lines.clear()
        if width is None:
            ready.append(text)
            return ready
        self._lines.append(text.strip())
        if len(self._lines) == _LINES_BY_WIDTH[width]:
            ready.append("\n".join(self._lines))
            self._lines.clear()
        return ready


# Scanners type a character every few milliseconds; people need 80 ms or more.
SCANNER_MAX_INTERVAL_S = 0.035
SCANNER_MIN_CHARACTERS = 8


def typed_by_scanner(key_times: list[float]) -> bool:
    """Whether keys pressed at ``key_times`` (seconds) came from a scanner, not a person."""
    if len(key_times) < SCANNER_MIN_CHARACTERS:
        return False
    gaps = [b - a for a, b in itertools.pairwise(key_times)]
    gaps.sort()
    # The median gap: one slow key (the scanner's buffer) does not make it a person.
    return gaps[len(gaps) // 2] <= SCANNER_MAX_INTERVAL_S


def strip_affixes(text: str, prefix: str, suffix: str) -> str:
    """Remove the prefix and suffix a scanner is configured to add (e.g. an AIM code)."""
    stripped = text.strip("\r\n\t")
    if prefix and stripped.startswith(prefix):
        stripped = stripped[len(prefix) :]
    if suffix and stripped.endswith(suffix):
        stripped = stripped[: -len(suffix)]
    return stripped


# What the digit keys 1234567890 (and the X key) type under layouts a scanner may be set to
# by mistake. A scanner sends key positions; the computer's layout decides the characters.
_LAYOUTS: tuple[tuple[str, str, str], ...] = (
    ("French AZERTY", "法语 AZERTY", "&é\"'(-è_çà"),
    ("Shift or Caps on a US layout", "美式键盘按住了 Shift", "!@#$%^&*()"),
    ("German QWERTZ with Shift", "德语 QWERTZ（Shift）", '!"§$%&/()='),
    ("Belgian AZERTY", "比利时 AZERTY", "&é\"'(§è!çà"),
)
_DIGITS = "1234567890"


@dataclass(frozen=True)
class WrongLayout:
    """A scan whose digits came through the wrong keyboard layout."""

    layout_en: str
    layout_zh: str
    corrected: str


def wrong_layout(text: str) -> WrongLayout | None:
    """Recognise an ID number typed through a wrong keyboard layout.

    Args:
        text: what arrived.

    Returns:
        The layout and the text as the digit keys meant it, when at least most of the
        characters are that layout's digit keys; None otherwise.
    """
    body = text.strip()
    if len(body) < SCANNER_MIN_CHARACTERS or any("0" <= c <= "9" for c in body[:-1]):
        return None
    for name_en, name_zh, keys in _LAYOUTS:
        table = dict(zip(keys, _DIGITS, strict=True))
        mapped = "".join(table.get(c, c) for c in body)
        if sum(c in table for c in body) >= len(body) - 1:
            return WrongLayout(name_en, name_zh, mapped.upper())
    return None
