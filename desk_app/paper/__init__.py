"""Paper: commitment letters, decision slips, settlement receipts, the monthly report.

The core builds each document as HTML from the store (``sources``, ``layouts``); the
window's printing module lays it out with Qt, previews it, prints it or writes a PDF.
"""

from desk_app.paper.layouts import (
    Layout,
    Paper,
    commitment_letter,
    decision_slip,
    monthly_report,
    settlement_receipt,
)
from desk_app.paper.sources import NothingToPrintError, PaperSources

__all__ = [
    "Layout",
    "NothingToPrintError",
    "Paper",
    "PaperSources",
    "commitment_letter",
    "decision_slip",
    "monthly_report",
    "settlement_receipt",
]
