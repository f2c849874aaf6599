"""Residence permits for Hong Kong, Macao and Taiwan residents (since 2018).

Same 18-character layout and MOD 11-2 check as a resident identity number, with the
region code fixed at 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from desk_app.identity.document import Document, DocumentKind
from desk_app.identity.resident_id import read_gb11643

PREFIXES: Mapping[str, str] = {
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
    "830000": "台湾地区",
}


def parse(number: str, today: dt.date) -> Document:
    """Validate a residence permit number.

    Args:
        number: 18 normalised characters starting with one of :data:`PREFIXES`.
        today: reference date for the birth date.

    Returns:
        The document.

    Raises:
        InvalidDocumentError: saying which position breaks which rule.
    """
    fields = read_gb11643(number, DocumentKind.RESIDENCE_PERMIT, today)
    return Document(
        kind=DocumentKind.RESIDENCE_PERMIT,
        number=number,
        birth_date=fields.birth_date,
        sex=fields.sex,
        region_code=number[:6],
        region_name=PREFIXES[number[:6]],
        nationality="CHN",
    )
