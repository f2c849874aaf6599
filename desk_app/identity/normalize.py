"""Turn whatever arrived (typed, pasted, scanned) into the text the validators read.

The mapping is explicit on purpose: full-width ASCII from a Chinese input method
(U+FF01..U+FF5E) and the ideographic space become their ASCII forms; dashes and
spaces are separators; invisible format characters (Unicode category Cf) are
dropped; scanner terminators (CR, LF, CRLF, TAB) end lines. Nothing else is
converted. Unicode's compatibility normalisation (NFKC) would also turn
superscripts, circled and mathematical digits into ASCII digits, which would
accept text no document carries; other scripts' digits are rejected, never
converted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Longer than any document (a TD1 MRZ is 90 characters plus separators): beyond
# this the input is a mis-paste, and is refused before any further work.
MAX_INPUT_LENGTH = 200

_FULLWIDTH_FIRST = 0xFF01
_FULLWIDTH_LAST = 0xFF5E
_FULLWIDTH_OFFSET = 0xFEE0

# Separators a clerk or a printed form puts inside a number.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"
_SPACES = " \u00a0\u2002\u2003\u2009\u3000"
_SEPARATORS = frozenset(_DASHES + _SPACES)
# A literal backslash-n, as a support person types an MRZ on one shell line.
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\t|\\n")


@dataclass(frozen=True)
class NormalizedInput:
    """The input after the explicit mapping.

    Attributes:
        lines: the non-empty lines, upper-cased, separators removed.
        text: all lines run together; what a single-line validator reads.
    """

    lines: tuple[str, ...]
    text: str


def to_ascii_forms(text: str) -> str:
    """Map full-width ASCII forms and the ideographic space to ASCII; leave the rest."""
    out = []
    for ch in text:
        code = ord(ch)
        if _FULLWIDTH_FIRST <= code <= _FULLWIDTH_LAST:
            out.append(chr(code - _FULLWIDTH_OFFSET))
        elif ch == "\u3000":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def normalize(text: str) -> NormalizedInput:
    """Normalise input text for validation.

    Args:
        text: what arrived, at most :data:`MAX_INPUT_LENGTH` characters (the caller
            checks the length first, see :func:`desk_app.identity.identify`).

    Returns:
        The normalised lines and their concatenation.
    """
    mapped = to_ascii_forms(text)
    lines = []
    for line in _LINE_BREAKS.split(mapped):
        # Upper-case ASCII only: "ß".upper() is "SS", which would shift positions.
        # Invisible format characters (zero-width space, BOM, bidi marks, soft hyphen)
        # come with text pasted from web pages and documents; the clerk cannot see them.
        cleaned = "".join(
            ch.upper() if ch.isascii() else ch
            for ch in line
            if ch not in _SEPARATORS and unicodedata.category(ch) != "Cf"
        )
        if cleaned:
            lines.append(cleaned)
    return NormalizedInput(tuple(lines), "".join(lines))


def is_ascii_digit(ch: str) -> bool:
    """True only for the ten ASCII digits (``str.isdigit`` accepts other scripts)."""
    return "0" <= ch <= "9"


def printable(ch: str) -> str:
    """Show a character in a message: itself if printable, else its code point."""
    return ch if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"
