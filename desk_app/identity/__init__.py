"""Identity documents: read whatever text arrived and return a typed document.

Plain Python, no I/O, no Qt. Use :func:`identify`; it raises
:class:`InvalidDocumentError` whose ``problems`` say which position breaks which rule.
"""

from desk_app.identity.document import (
    ALL_KINDS,
    PERSON_KINDS,
    Document,
    DocumentKind,
    InvalidDocumentError,
    Problem,
    Sex,
    mask_number,
)
from desk_app.identity.reading import identify

__all__ = [
    "ALL_KINDS",
    "PERSON_KINDS",
    "Document",
    "DocumentKind",
    "InvalidDocumentError",
    "Problem",
    "Sex",
    "identify",
    "mask_number",
]
