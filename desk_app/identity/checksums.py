"""Check characters shared by several document kinds.

ISO 7064 MOD 11-2 (GB 11643 identity numbers, residence permits, the 2023 foreigner
card) comes from python-stdnum. The ICAO 9303 7-3-1 check digit (machine-readable
zones, the 2017 foreigner card) has no well-kept library of its own; it is five
lines, written here once.
"""

from __future__ import annotations

from stdnum.iso7064 import mod_11_2

_ICAO_WEIGHTS = (7, 3, 1)


def mod11_2_check(body: str) -> str:
    """The MOD 11-2 check character (``0``-``9`` or ``X``) of 17 ASCII digits."""
    return str(mod_11_2.calc_check_digit(body))


def _icao_value(ch: str) -> int:
    if "0" <= ch <= "9":
        return ord(ch) - ord("0")
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == "<":
        return 0
    raise ValueError(f"not an MRZ character: {ch!r}")


def icao_check(text: str) -> str:
    """The ICAO 9303 check digit of ``text`` (digits, A-Z and ``<``), as one digit."""
    total = sum(_icao_value(ch) * _ICAO_WEIGHTS[i % 3] for i, ch in enumerate(text))
    return str(total % 10)
