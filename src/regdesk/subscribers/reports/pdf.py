"""The report as an A4 PDF (reportlab): Chinese text in the embedded WenQuanYi Micro Hei font (found and registered
as the filing documents do), the summary, a bar chart of the rate by unit and a line chart of the rate over time
with the target (reportlab's own graphics), and a table per breakdown."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from regdesk.documents.fonts import find_cjk_font, register_cjk_font
from regdesk.subscribers.reports import tables
from regdesk.subscribers.reports.selectors import CONTEXT, RateReport, RateRow

BRAND = colors.HexColor("#1d4e89")
TARGET_COLOUR = colors.HexColor("#c0392b")
CHART_WIDTH = 170 * mm
CHART_HEIGHT = 70 * mm
# Bars beyond this many make unreadable labels; the table below lists every unit anyway.
MAX_BARS = 16
# A time series with more points than this shows every n-th date on its axis.
MAX_AXIS_LABELS = 12


def _percent_text(percent: Decimal | None) -> str:
    return f"{percent}%" if percent is not None else "—"


def _styles(font: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, textColor=BRAND, spaceAfter=6),
        "heading": ParagraphStyle("heading", fontName=font, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=font, fontSize=9, leading=13),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8, leading=10),
    }


def _table(data: Sequence[Sequence[Any]], font: str, widths: Sequence[float] | None = None) -> Table:
    table = Table([list(row) for row in data], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f1")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _rate_table(rows: list[RateRow], first_column: str, styles: dict[str, ParagraphStyle], font: str) -> Table:
    data: list[list[Any]] = [tables.rate_columns(first_column)]
    for row in rows:
        # Non-breaking spaces indent the tree (a Paragraph would drop ordinary leading spaces).
        label = "\u00a0" * (3 * row.depth) + escape(row.label)
        data.append(
            [
                Paragraph(label, styles["cell"]),
                row.key,
                row.count.registered,
                row.count.total,
                row.count.unregistered,
                _percent_text(row.percent),
                tables.met_text(row.meets),
            ]
        )
    return _table(data, font, [44 * mm, 22 * mm, 22 * mm, 22 * mm, 24 * mm, 20 * mm, 16 * mm])


def _bar_chart(rows: list[RateRow], font: str, target: Decimal | None) -> Drawing:
    """The rate of the units one level below the top (the top unit itself when it has none below)."""
    chosen = [row for row in rows if row.depth == 1 and row.percent is not None] or [
        row for row in rows if row.depth == 0 and row.percent is not None
    ]
    chosen = chosen[:MAX_BARS]
    drawing = Drawing(CHART_WIDTH, CHART_HEIGHT)
    chart = VerticalBarChart()
    chart.x, chart.y = 15 * mm, 18 * mm
    chart.width, chart.height = CHART_WIDTH - 25 * mm, CHART_HEIGHT - 26 * mm
    chart.data = [[float(row.percent or 0) for row in chosen] or [0.0]]
    chart.categoryAxis.categoryNames = [row.label[:10] for row in chosen] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 20
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = BRAND
    chart.barLabelFormat = "%.2f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 5
    drawing.add(chart)
    if target is not None:
        level = chart.y + chart.height * float(target) / 100
        label = String(chart.x + chart.width + 1 * mm, level - 2, f"{target}%", fontName=font, fontSize=7)
        label.fillColor = TARGET_COLOUR
        drawing.add(label)
        drawing.add(Line(chart.x, level, chart.x + chart.width, level, strokeColor=TARGET_COLOUR, strokeWidth=1))
    drawing.add(String(0, CHART_HEIGHT - 8, _("Rate by operator unit (%)"), fontName=font, fontSize=9))
    return drawing


def _line_chart(report: RateReport, font: str) -> Drawing:
    """The rate over time with the target in force on each day (gaps where no snapshot exists)."""
    points = report.series
    drawing = Drawing(CHART_WIDTH, CHART_HEIGHT)
    chart = HorizontalLineChart()
    chart.x, chart.y = 15 * mm, 16 * mm
    chart.width, chart.height = CHART_WIDTH - 25 * mm, CHART_HEIGHT - 30 * mm
    rates = [float(point.percent) if point.percent is not None else None for point in points]
    targets = [float(point.target) if point.target is not None else None for point in points]
    chart.data = [rates or [None], targets or [None]]
    step = max(1, len(points) // MAX_AXIS_LABELS + (1 if len(points) % MAX_AXIS_LABELS else 0))
    chart.categoryAxis.categoryNames = [
        point.day.isoformat() if index % step == 0 else "" for index, point in enumerate(points)
    ] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.lines[0].strokeColor = BRAND
    chart.lines[0].strokeWidth = 1.5
    chart.lines[0].symbol = makeMarker("FilledCircle", size=3, fillColor=BRAND, strokeColor=BRAND)
    chart.lines[1].strokeColor = TARGET_COLOUR
    chart.lines[1].strokeDashArray = [3, 2]
    # reportlab joins a row's points across gaps, and cannot draw a line through fewer than two: such a row is shown
    # by its markers alone.
    chart.joinedLines = 0
    for index, row in enumerate(chart.data):
        if sum(value is not None for value in row) >= 2:
            chart.lines[index].lineStyle = "joinedLine"
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = CHART_WIDTH - 55 * mm, CHART_HEIGHT - 4
    legend.fontName = font
    legend.fontSize = 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [(BRAND, _("Rate")), (TARGET_COLOUR, _("Target"))]
    drawing.add(legend)
    drawing.add(String(0, CHART_HEIGHT - 8, _("Rate over time (%)"), fontName=font, fontSize=9))
    return drawing


def _page_number(font: str) -> Any:
    def draw(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"{tables.title()} · {document.page}")
        canvas.restoreState()

    return draw


def report_pdf(report: RateReport) -> bytes:
    """The PDF's bytes. Raises ``FontMissingError`` when the CJK font is not installed."""
    font = register_cjk_font(find_cjk_font())
    styles = _styles(font)
    story: list[Any] = [Paragraph(escape(tables.title()), styles["title"])]
    for label, value in tables.header_lines(report):
        story.append(Paragraph(f"{escape(label)}：{escape(value)}", styles["body"]))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(escape(_("Overall")), styles["heading"]))
    overall = [[_("Figure"), pgettext(CONTEXT, "Value")], *tables.overall_lines(report)]
    story.append(_table(overall, font, [60 * mm, 50 * mm]))
    story.append(Spacer(1, 2 * mm))
    state_rows = [[state.label, state.lines] for state in report.by_state]
    story.append(_table([[_("Registration state"), _("Lines in service")], *state_rows], font, [80 * mm, 30 * mm]))
    target = report.target.percent if report.target is not None else None
    story.append(Spacer(1, 4 * mm))
    story.append(_bar_chart(report.by_unit, font, target))
    story.append(Spacer(1, 2 * mm))
    story.append(_line_chart(report, font))
    for breakdown in tables.breakdowns(report):
        story.append(Paragraph(escape(breakdown.title), styles["heading"]))
        story.append(_rate_table(breakdown.rows, breakdown.first_column, styles, font))
    story.append(Paragraph(escape(_("Rate over time")), styles["heading"]))
    series_rows = [
        [
            point.day.isoformat(),
            point.count.registered if point.count is not None else "—",
            point.count.total if point.count is not None else "—",
            _percent_text(point.percent),
            _percent_text(point.target),
            tables.source_text(point.source),
        ]
        for point in report.series
    ]
    story.append(_table([tables.series_columns(), *series_rows], font))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=tables.title(),
        author="regdesk",
    )
    document.build(story, onFirstPage=_page_number(font), onLaterPages=_page_number(font))
    return buffer.getvalue()
