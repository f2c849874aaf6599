"""Region names for the first six digits of an identity number (GB/T 2260).

The names come from python-stdnum's copy of the division code table, which records
for each code the years it was in use. That history is used for names only, never
as a validity rule: an identity number's region is where the number was first
issued, often decades after birth, and codes retire while the cards that carry
them stay valid. An unknown code is a warning, decided by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import stdnum
from stdnum import numdb

TABLE_VERSION = f"GB/T 2260 (python-stdnum {stdnum.__version__})"

# Resident identity numbers came with the first-generation cards, issued from 1984:
# an older person's number was assigned then, not at birth.
FIRST_ISSUE_YEAR = 1984

_SPAN = re.compile(r"^\[(\d*)-(\d*)\](.*)$")


@dataclass(frozen=True)
class _Name:
    start: int | None
    end: int | None
    name: str


def _parse(value: str) -> list[_Name]:
    names = []
    for part in value.split(","):
        match = _SPAN.match(part)
        if match:
            start, end, name = match.groups()
            names.append(_Name(int(start) if start else None, int(end) if end else None, name))
        else:
            names.append(_Name(None, None, part))
    return names


def _pick(names: list[_Name], year: int) -> str:
    """The name in force in ``year``; else the nearest in time."""
    for n in names:
        if (n.start is None or n.start <= year) and (n.end is None or year <= n.end):
            return n.name
    later = [n for n in names if n.start is not None and n.start > year]
    if later:
        return min(later, key=lambda n: n.start or 0).name
    return names[-1].name


@lru_cache(maxsize=4096)
def _lookup(code: str, prop: str) -> list[_Name]:
    for _part, props in numdb.get("cn/loc").info(code):
        if prop in props:
            return _parse(props[prop])
    return []


def region_name(code: str, birth_year: int) -> str | None:
    """The full name of a region code, e.g. ``山东省滨州市滨城区``, or None if unknown.

    Args:
        code: the six-digit region code.
        birth_year: the holder's birth year; the name chosen is the one in force when the
            number was most probably issued (birth, or 1984 for people born before it).

    Returns:
        Province, prefecture and county names joined, or None when the county code is
        not in the table.
    """
    year = max(birth_year, FIRST_ISSUE_YEAR)
    county = _lookup(code, "county")
    if not county:
        return None
    parts = []
    province = _lookup(code[:2], "province")
    if province:
        parts.append(_pick(province, year))
    if not code.endswith("00"):
        prefecture = _lookup(code[:4] + "00", "county")
        if prefecture:
            parts.append(_pick(prefecture, year))
    parts.append(_pick(county, year))
    # Drop repeats ("北京市北京市") and the placeholder for a city's districts.
    out: list[str] = []
    for p in parts:
        if p not in out and p != "市辖区":
            out.append(p)
    return "".join(out)
