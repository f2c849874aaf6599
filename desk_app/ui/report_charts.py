"""The monthly report's charts (QtCharts), on screen and as images for the PDF.

Bars are drawn in whole yuan (fen // 100): a chart is read by eye, and the exact
amounts are in the table beside it. Money stays integer end to end.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from desk_app.paper import Paper, monthly_report
from desk_app.services.reports import MonthlyReport
from desk_app.ui.printing import FONT_FAMILIES, write_pdf

WAIVED_CHART = "chart:waived"
OUTCOMES_CHART = "chart:outcomes"
_COLOURS = {"on_time": "#2e7d32", "late": "#f9a825", "defaulted": "#c62828", "waived": "#1565c0"}


def _font(points: float) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(points)
    return font


def _whole_yuan(fen: int) -> int:
    """Fen to whole yuan, rounded half up (integers only)."""
    return (fen + 50) // 100


def nice_step(peak: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... that splits 0..peak into at most 5 steps."""
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if peak <= 5 * step:
                return step
        power *= 10


def _whole_ticks(axis: QValueAxis, peak: int) -> None:
    """Ticks at round whole numbers (1, 2 or 5 times a power of ten) from 0 past ``peak``.

    Qt's own nice numbers can put ticks at fractions, which "%d" prints as ``0 0 1 1``.
    """
    step = nice_step(peak)
    top = max(step * (peak // step + 1), step)
    axis.setLabelFormat("%d")
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setRange(0, top)


def waived_chart(report: MonthlyReport, english: bool) -> QChart:
    """Amount waived per item, in yuan (horizontal bars: item names stay readable)."""
    chart = QChart()
    chart.setTitle(QCoreApplication.translate("ReportCharts", "Amount waived per item (yuan)"))
    chart.setTitleFont(_font(11))
    chart.legend().hide()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    names = report.item_names_en if english else report.item_names
    rows = [i for i in report.items if i.waived_fen > 0] or list(report.items)
    bars = QBarSet(QCoreApplication.translate("ReportCharts", "Waived"))
    bars.setColor(QColor(_COLOURS["waived"]))
    labels = []
    for figures in reversed(rows):  # top to bottom in the list's order
        bars.append(_whole_yuan(figures.waived_fen))
        labels.append(names.get(figures.item_code, figures.item_code))
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    chart.addSeries(series)
    items_axis = QBarCategoryAxis()
    items_axis.append(labels or [""])
    items_axis.setLabelsFont(_font(9))
    chart.addAxis(items_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(items_axis)
    amounts = QValueAxis()
    amounts.setLabelFormat("%d")
    _whole_ticks(amounts, max([_whole_yuan(f.waived_fen) for f in rows] + [0]))
    amounts.setLabelsFont(_font(8))
    chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(amounts)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def outcomes_chart(report: MonthlyReport) -> QChart:
    """Settlement outcomes recorded per day of the month (stacked)."""
    chart = QChart()
    chart.setTitle(QCoreApplication.translate("ReportCharts", "Settlement outcomes per day"))
    chart.setTitleFont(_font(11))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    year, month = (int(part) for part in report.month.split("-"))
    days = calendar.monthrange(year, month)[1]
    by_day = {d.day.day: d for d in report.days}
    series = QStackedBarSeries()
    for key, label in (
        ("on_time", QCoreApplication.translate("ReportCharts", "On time")),
        ("late", QCoreApplication.translate("ReportCharts", "Late")),
        ("defaulted", QCoreApplication.translate("ReportCharts", "Defaulted")),
    ):
        bars = QBarSet(label)
        bars.setColor(QColor(_COLOURS[key]))
        for day in range(1, days + 1):
            found = by_day.get(day)
            bars.append(0 if found is None else getattr(found, key))
        series.append(bars)
    chart.addSeries(series)
    day_axis = QBarCategoryAxis()
    day_axis.append([str(day) for day in range(1, days + 1)])
    day_axis.setLabelsFont(_font(7))
    chart.addAxis(day_axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(day_axis)
    counts = QValueAxis()
    counts.setLabelFormat("%d")
    _whole_ticks(counts, max([d.on_time + d.late + d.defaulted for d in report.days] + [0]))
    counts.setLabelsFont(_font(8))
    chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(counts)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setFont(_font(9))
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def chart_view(chart: QChart) -> QChartView:
    """A view of ``chart`` with smooth edges."""
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    return view


def chart_images(report: MonthlyReport, english: bool) -> dict[str, QImage]:
    """Both charts as images sized for an A4 page at 300 dpi (GUI thread only).

    Each chart is laid out at 800 x 336 in a scene of its own (a view that is never
    shown is never laid out) and drawn at 2.5 times that, so its text stays sharp and
    readable on paper.
    """
    images = {}
    for name, chart in (
        (WAIVED_CHART, waived_chart(report, english)),
        (OUTCOMES_CHART, outcomes_chart(report)),
    ):
        scene = QGraphicsScene()
        scene.addItem(chart)
        chart.setGeometry(QRectF(0, 0, 800, 336))
        image = QImage(2000, 840, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scene.render(painter, QRectF(0, 0, 2000, 840), QRectF(0, 0, 800, 336))
        painter.end()
        images[name] = image
    return images


def report_paper(report: MonthlyReport, language: str) -> tuple[Paper, Mapping[str, QImage]]:
    """The report as an A4 paper with its charts."""
    english = language.startswith("en")
    images = chart_images(report, english)
    return monthly_report(report, "en" if english else "zh", tuple(images)), images


def write_report_pdf(report: MonthlyReport, path: Path, language: str) -> None:
    """Write the report with its charts as a PDF (GUI thread: the charts are widgets).

    Raises:
        ExportError: the file could not be written.
    """
    paper, images = report_paper(report, language)
    write_pdf(paper, path, images)
