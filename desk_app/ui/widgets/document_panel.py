"""Shows who is at the counter: the document read, masked, or what is wrong with the scan."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from desk_app.devices.wedge import WrongLayout
from desk_app.identity import Document, InvalidDocumentError, Sex, mask_number
from desk_app.identity.document import KIND_NAMES

# Past three problems the text is not the document the clerk thinks it is.
_PROBLEMS_SHOWN = 3


def age_on(birth: dt.date, today: dt.date) -> int:
    """Age in whole years on ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


class DocumentPanel(QFrame):
    """The document card: masked number, kind, sex, age, region; or the scan's errors."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._english = language == "en"
        self.headline = QLabel()
        self.headline.setObjectName("documentHeadline")
        self.headline.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("documentDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QGridLayout(self)
        layout.addWidget(self.headline, 0, 0)
        layout.addWidget(self.detail, 1, 0)
        layout.setRowStretch(2, 1)
        self.show_idle()

    def _set_state(self, state: str) -> None:
        # The stylesheet colours by this property; the text says the same in words.
        self.setProperty("state", state)
        self.style().unpolish(self)
        self.style().polish(self)

    def show_document(
        self, document: Document, today: dt.date, card_name: str | None = None
    ) -> None:
        """Show a valid document, masked; with the name when it came from the ID card."""
        kind = KIND_NAMES[document.kind][1 if self._english else 0]
        self.headline.setText(f"✔ {kind}  {document.masked_number}")
        lines = []
        if card_name:
            lines.append(self.tr("Name: {name}").format(name=card_name))
        if document.surname or document.given_names:
            name = " ".join(filter(None, (document.surname, document.given_names)))
            lines.append(self.tr("Name: {name}").format(name=name))
        if document.sex is not None:
            sex = self.tr("female") if document.sex is Sex.FEMALE else self.tr("male")
            lines.append(self.tr("Sex: {sex}").format(sex=sex))
        if document.birth_date is not None:
            lines.append(
                self.tr("Born: {date} (age {age})").format(
                    date=document.birth_date.isoformat(), age=age_on(document.birth_date, today)
                )
            )
        if document.region_name:
            lines.append(self.tr("Region: {region}").format(region=document.region_name))
        if document.nationality and document.nationality != "CHN":
            lines.append(self.tr("Nationality: {code}").format(code=document.nationality))
        if document.expiry_date is not None:
            lines.append(self.tr("Valid until: {date}").format(date=document.expiry_date))
        for warning in document.warnings:
            lines.append("⚠ " + (warning.message_en if self._english else warning.message_zh))
        self.detail.setText("\n".join(lines))
        self._set_state("warning" if document.warnings else "valid")

    def show_idle(self) -> None:
        """Waiting for the next customer."""
        self.headline.setText(self.tr("Scan the customer's document"))
        self.detail.clear()
        self._set_state("idle")

    def show_waiting_for_mrz_line(self, lines_read: int) -> None:
        """Part of a machine-readable zone has arrived; the rest should follow."""
        self.headline.setText(self.tr("Reading the passport…"))
        self.detail.setText(
            self.tr("Line {count} of the machine-readable zone read; scan the next line.").format(
                count=lines_read
            )
            + "\n"
            + self.tr("Esc starts again.")
        )
        self._set_state("idle")

    def show_wrong_layout(self, layout: WrongLayout) -> None:
        """The scan's digits came through the wrong keyboard layout: say so, and how to fix."""
        name = layout.layout_en if self._english else layout.layout_zh
        self.headline.setText("✘ " + self.tr("Scanner keyboard layout is wrong"))
        self.detail.setText(
            self.tr(
                "The digits arrived as if typed on a {layout} keyboard. Set the scanner (or "
                "the computer) to a US keyboard layout, then scan again. The number would be "
                "{masked}."
            ).format(layout=name, masked=mask_number(layout.corrected))
        )
        self._set_state("invalid")

    def show_error(self, error: InvalidDocumentError) -> None:
        """Show why the scan is not a valid document, one problem per line."""
        self.headline.setText("✘ " + self.tr("Not a valid document"))
        shown = error.problems[:_PROBLEMS_SHOWN]
        lines = [p.message_en if self._english else p.message_zh for p in shown]
        more = len(error.problems) - len(shown)
        if more:
            lines.append(self.tr("…and {count} more problems").format(count=more))
        self.detail.setText("\n".join(lines))
        self._set_state("invalid")
