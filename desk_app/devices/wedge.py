"""Keyboard-wedge scanners: turn what arrives line by line into whole scans.

A passport reader in keyboard mode types each line of the machine-readable zone
and presses Enter after each; the scan field hands over one line per Enter. The
assembler keeps MRZ lines until the zone is complete and hands the zone over as
one text, so one passport is one lookup.
"""

from __future__ import annotations

import re

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
