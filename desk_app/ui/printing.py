"""Lays out the core's paper documents with Qt: preview, print, and PDF.

The core (``desk_app.paper``) writes each document as HTML; here Qt's rich text engine
lays it out on A4 or on an 80 mm receipt roll (as long as the text needs), with a font
list that covers Chinese, including rare characters outside the Basic Multilingual
Plane. PDFs embed the fonts' glyphs as text, so the PDF can be searched and copied.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.exports import ExportError, export_file
from desk_app.paper import Layout, Paper

# Tried in order for every character: the usual Chinese UI fonts of Windows and Linux,
# then fonts with CJK Extension B and later (rare surname characters).
FONT_FAMILIES = [
    "Microsoft YaHei",
    "SimSun",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "SimSun-ExtB",
    "SimSun-ExtG",
    "HanaMinA",
    "HanaMinB",
]
THERMAL_WIDTH_MM = 80.0
THERMAL_MARGIN_MM = 4.0
A4_MARGIN_MM = 18.0


def paper_font(layout: Layout) -> QFont:
    """The document font: 11 pt on A4, 8.5 pt on a receipt roll."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(11 if layout is Layout.A4 else 8.5)
    return font


def build_document(paper: Paper, images: Mapping[str, QImage] | None = None) -> QTextDocument:
    """The paper as a laid-out text document, its images added as resources."""
    document = QTextDocument()
    document.setDefaultFont(paper_font(paper.layout))
    document.setDocumentMargin(0)
    for name, image in (images or {}).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    document.setHtml(paper.html)
    return document


def _mm_to_pixels(mm: float, device: QPagedPaintDevice) -> float:
    return mm / 25.4 * device.logicalDpiY()


def page_layout(paper: Paper, document: QTextDocument, device: QPagedPaintDevice) -> QPageLayout:
    """A4 portrait, or an 80 mm roll cut to the length of the text (laid out for ``device``)."""
    if paper.layout is Layout.A4:
        margins = QMarginsF(A4_MARGIN_MM, A4_MARGIN_MM, A4_MARGIN_MM, A4_MARGIN_MM)
        return QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            margins,
            QPageLayout.Unit.Millimeter,
        )
    document.setTextWidth(_mm_to_pixels(THERMAL_WIDTH_MM - 2 * THERMAL_MARGIN_MM, device))
    height_mm = document.size().height() / device.logicalDpiY() * 25.4 + 2 * THERMAL_MARGIN_MM
    size = QPageSize(QSizeF(THERMAL_WIDTH_MM, height_mm + 2), QPageSize.Unit.Millimeter, "80mm")
    margins = QMarginsF(*(THERMAL_MARGIN_MM,) * 4)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter)


def render(paper: Paper, device: QPagedPaintDevice, images: Mapping[str, QImage] | None) -> int:
    """Lay ``paper`` out on ``device`` (a printer or a PDF writer), page by page.

    The layout uses the device's own resolution, so point sizes come out as points on
    paper (``QTextDocument.print_`` scales by the screen's resolution instead).

    Returns:
        The number of pages.
    """
    document = build_document(paper, images)
    document.documentLayout().setPaintDevice(device)
    device.setPageLayout(page_layout(paper, document, device))
    area = device.pageLayout().paintRectPixels(device.logicalDpiY())
    width, height = float(area.width()), float(area.height())
    document.setPageSize(QSizeF(width, height))
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the printer or file cannot be opened")
    try:
        for page in range(pages):
            if page:
                device.newPage()
            painter.save()
            painter.translate(0, -page * height)
            document.drawContents(painter, QRectF(0, page * height, width, height))
            painter.restore()
    finally:
        painter.end()
    return pages


def write_pdf(paper: Paper, path: Path, images: Mapping[str, QImage] | None = None) -> None:
    """Write ``paper`` as a PDF at ``path`` (whole, or not at all).

    Raises:
        ExportError: the file could not be written.
    """

    def produce(partial: Path) -> None:
        # Qt reports an unwritable file only on stderr: find out first, with the reason.
        partial.open("wb").close()
        writer = QPdfWriter(str(partial))
        writer.setTitle(paper.title)
        writer.setCreator("desk-app")
        writer.setResolution(300)
        render(paper, writer, images)
        del writer  # finishes the file

    export_file(path, produce, _pdf_complete)


def _pdf_complete(path: Path) -> bool:
    """Whether the PDF was written to its end (Qt does not report a full disk)."""
    with path.open("rb") as pdf:
        pdf.seek(0, os.SEEK_END)
        size = pdf.tell()
        pdf.seek(max(size - 32, 0))
        return size > 0 and b"%%EOF" in pdf.read()


class PaperDialog(QDialog):
    """Preview a document, pick A4 or the 80 mm roll, then print it or save it as PDF.

    Args:
        papers: one document per layout (the first is shown first).
        printer_name: the printer from the settings (empty: the system default).
        language: ``zh_CN`` or ``en`` (for messages).
        parent: the window.
    """

    def __init__(
        self,
        papers: Mapping[Layout, Paper],
        printer_name: str,
        language: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._language = language
        self.papers = dict(papers)
        self.layout_choice = next(iter(self.papers))
        self.setWindowTitle(self.paper.title)
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if printer_name:
            self.printer.setPrinterName(printer_name)

        self.layout_box = QComboBox()
        self.layout_box.setObjectName("paperLayout")
        names = {Layout.A4: self.tr("A4"), Layout.THERMAL_80: self.tr("80 mm receipt")}
        for choice in self.papers:
            self.layout_box.addItem(names[choice], choice.value)
        self.preview = QPrintPreviewWidget(self.printer, self)
        self.preview.paintRequested.connect(self._paint)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("printButton")
        self.print_button.setDefault(True)
        self.pdf_button = QPushButton(self.tr("Save as PDF…"))
        self.close_button = QPushButton(self.tr("Close"))
        self.status = QLabel()

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Paper")))
        top.addWidget(self.layout_box)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.print_button, self.pdf_button, self.close_button):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.preview, 1)
        column.addLayout(buttons)
        self.resize(fitted(QSize(760, 820), parent))

        self.layout_box.currentIndexChanged.connect(self._layout_changed)
        self.print_button.clicked.connect(self.ask_print)
        self.pdf_button.clicked.connect(self.ask_pdf)
        self.close_button.clicked.connect(self.reject)

    @property
    def paper(self) -> Paper:
        """The document in the chosen layout."""
        return self.papers[self.layout_choice]

    def _layout_changed(self) -> None:
        self.layout_choice = Layout(self.layout_box.currentData())
        self.preview.updatePreview()

    def _paint(self, printer: QPrinter) -> None:
        render(self.paper, printer, None)

    def ask_print(self) -> None:
        """The system's print dialog; prints when the clerk confirms."""
        dialog = QPrintDialog(self.printer, self)
        dialog.accepted.connect(self.print_now)
        self.print_dialog = dialog
        QDialog.open(dialog)  # the stubs only know open(receiver, member)

    def print_now(self) -> None:
        """Print on the chosen printer."""
        render(self.paper, self.printer, None)
        self.status.setText(self.tr("Sent to the printer."))

    def ask_pdf(self) -> None:
        """Ask where to save the PDF."""
        dialog = QFileDialog(self, self.tr("Save as PDF"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("PDF (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(f"{self.paper.file_stem}.pdf")
        dialog.fileSelected.connect(lambda name: self.save_pdf(Path(name)))
        self.file_dialog = dialog
        dialog.open()

    def save_pdf(self, path: Path) -> None:
        """Write the chosen layout as a PDF; say where, or why not."""
        try:
            write_pdf(self.paper, path)
        except ExportError as error:
            self.status.setText(error.message(self._language))
            return
        self.status.setText(self.tr("Saved: {path}").format(path=str(path)))


def fitted(wanted: QSize, near: QWidget | None) -> QSize:
    """``wanted``, made smaller where the screen is (1366x768 at many counters): the
    buttons at the bottom must stay on the screen, with room for the title bar and task
    bar."""
    screen = near.screen() if near is not None else QGuiApplication.primaryScreen()
    if screen is None:
        return wanted
    room = screen.availableGeometry().size() - QSize(40, 80)
    return wanted.boundedTo(room)


def show_paper(
    parent: QWidget, papers: Mapping[Layout, Paper], printer_name: str, language: str
) -> PaperDialog:
    """Open the preview dialog (window-modal, never blocking the event loop)."""
    dialog = PaperDialog(papers, printer_name, language, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def both_layouts(make: Callable[[Layout], Paper], first: Layout) -> dict[Layout, Paper]:
    """The document in every layout, ``first`` first (what the preview opens with)."""
    return {layout: make(layout) for layout in (first, *(x for x in Layout if x is not first))}
