"""The report as an A4 PDF (reportlab): Chinese text in the embedded WenQuanYi Micro Hei font (found and registered
as the filing documents do), the summary, a bar chart of the rate of every unit and a line chart of the rate over
time with the target (reportlab's own graphics), and a table per breakdown. Every cell is a Paragraph that wraps
within its column (Chinese line breaking, a trailing "（…）" kept together), so no text runs over a cell's edge."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from regdesk.documents.fonts import find_cjk_font, register_cjk_font
from regdesk.subscribers.reports import tables
from regdesk.subscribers.reports.selectors import CONTEXT, RateReport, RateRow

BRAND = colors.HexColor("#1d4e89")
BAR_SHADES = (BRAND, colors.HexColor("#3f72af"), colors.HexColor("#6f9bd1"), colors.HexColor("#9dbde3"))
TARGET_COLOUR = colors.HexColor("#c0392b")
# The frame between the margins of an A4 page: every table and chart fits it.
FRAME_WIDTH = A4[0] - 30 * mm
CHART_WIDTH = FRAME_WIDTH
CHART_HEIGHT = 70 * mm
# The bar chart by unit: a bar per unit of the table, this tall, with the units' names left of the bars.
BAR_PITCH = 6 * mm
BAR_LABEL_WIDTH = 62 * mm
# A time series with more points than this shows every n-th date on its axis.
MAX_AXIS_LABELS = 12
# Cell padding of every table (reportlab's default: 6 pt left and 6 pt right): a cell's text has the column less this.
CELL_PADDING = 12
# The columns of a breakdown, in mm: name, code (a unit's code may hold up to 50 characters, which wrap), the
# three counts, the rate and "target met". With the code column left out, the name takes its width.
RATE_COLUMNS_MM = (48, 32, 22, 22, 22, 17, 17)
SERIES_COLUMNS_MM = (30, 28, 28, 26, 26, 42)
OPEN_BRACKET, CLOSE_BRACKET = "（", "）"
# Characters from here on (CJK punctuation, kana, ideographs, full-width forms) are set with Chinese line breaking.
CJK_FROM = 0x2E80


def _percent_text(percent: Decimal | None) -> str:
    return f"{percent}%" if percent is not None else "—"


def _styles(font: str) -> dict[str, ParagraphStyle]:
    # wordWrap="CJK": Chinese text has no spaces to break at, so lines break between any two characters except
    # where kinsoku forbids it (a closing bracket or a full stop never starts a line).
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, textColor=BRAND, spaceAfter=6),
        "heading": ParagraphStyle("heading", fontName=font, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK"),
        "cell": cell,
        "number": ParagraphStyle("number", parent=cell, alignment=TA_RIGHT),
    }


def keep_brackets_together(text: str, style: ParagraphStyle, width: float) -> str:
    """The cell's markup: the text escaped, with a line break before a trailing "（…）" when the whole does not fit
    on one line but the bracketed part does, so that the bracket and what it holds wrap together."""
    escaped = escape(text)
    if stringWidth(text, style.fontName, style.fontSize) <= width or not text.endswith(CLOSE_BRACKET):
        return escaped
    head, bracket, tail = text.rpartition(OPEN_BRACKET)
    if not bracket or not head.strip() or stringWidth(bracket + tail, style.fontName, style.fontSize) > width:
        return escaped
    return f"{escape(head)}<br/>{escape(bracket + tail)}"


def _wraps_by_word(text: str, style: ParagraphStyle, room: float) -> bool:
    """Whether a cell's text breaks at spaces (English words, each narrower than the cell) rather than between any
    two characters (Chinese, and a code too long for its cell)."""
    if any(ord(character) >= CJK_FROM for character in text):
        return False
    return all(stringWidth(word, style.fontName, style.fontSize) <= room for word in text.split())


def _cell(value: Any, style: ParagraphStyle, width: float, indent: int = 0) -> Paragraph:
    """A table cell as a Paragraph that wraps within its column (non-breaking spaces indent a tree's levels: a
    Paragraph drops ordinary leading spaces)."""
    text = "—" if value is None else str(value)
    room = width - CELL_PADDING - stringWidth("\u00a0" * indent, style.fontName, style.fontSize)
    if _wraps_by_word(text, style, room):
        style = ParagraphStyle(f"{style.name}-words", parent=style, wordWrap=None)
    return Paragraph("\u00a0" * indent + keep_brackets_together(text, style, room), style)


def _table(
    data: Sequence[Sequence[Any]],
    styles: dict[str, ParagraphStyle],
    widths: Sequence[float],
    *,
    numeric_from: int | None = None,
) -> Table:
    """A table of Paragraph cells in columns of ``widths``; columns from ``numeric_from`` on align right."""
    rows = []
    for row in data:
        cells = []
        for index, value in enumerate(row):
            if isinstance(value, Paragraph):
                cells.append(value)
                continue
            numeric = numeric_from is not None and index >= numeric_from
            cells.append(_cell(value, styles["number" if numeric else "cell"], widths[index]))
        rows.append(cells)
    table = Table(rows, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f1")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _rate_table(breakdown: tables.Breakdown, styles: dict[str, ParagraphStyle]) -> Table:
    widths_mm = list(RATE_COLUMNS_MM)
    if not breakdown.shows_codes:
        widths_mm[0] += widths_mm.pop(1)
    widths = [width * mm for width in widths_mm]
    data: list[list[Any]] = [tables.rate_columns(breakdown.first_column, codes=breakdown.shows_codes)]
    for row in breakdown.rows:
        cells: list[Any] = [_cell(row.label, styles["cell"], widths[0], indent=3 * row.depth)]
        if breakdown.shows_codes:
            cells.append(row.key or "—")
        cells.extend(
            [
                row.count.registered,
                row.count.total,
                row.count.unregistered,
                _percent_text(row.percent),
                tables.met_text(row.meets),
            ]
        )
        data.append(cells)
    return _table(data, styles, widths, numeric_from=2 if breakdown.shows_codes else 1)


def _bar_label(text: str, font: str, width: float) -> str:
    """The unit's name, shortened with an ellipsis only when it is wider than the label column."""
    if stringWidth(text, font, 7) <= width:
        return text
    while text and stringWidth(text + "…", font, 7) > width:
        text = text[:-1]
    return text + "…"


def _bar_chart(rows: list[RateRow], font: str, target: Decimal | None) -> Drawing:
    """The rate of every unit of the unit table, a horizontal bar each in the table's order (top unit first)."""
    height = max(CHART_HEIGHT / 2, 24 * mm + BAR_PITCH * len(rows))
    drawing = Drawing(CHART_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = BAR_LABEL_WIDTH, 12 * mm
    chart.width, chart.height = CHART_WIDTH - BAR_LABEL_WIDTH - 14 * mm, height - 24 * mm
    # The category axis draws its first category at the bottom: reverse, so that the table's order reads downwards.
    ordered = list(reversed(rows))
    chart.data = [[float(row.percent) if row.percent is not None else 0.0 for row in ordered] or [0.0]]
    chart.categoryAxis.categoryNames = [
        _bar_label("\u3000" * row.depth + row.label, font, BAR_LABEL_WIDTH - 3 * mm) for row in ordered
    ] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    # Left-aligned in the label column, so that the full-width spaces indent the tree as in the table.
    chart.categoryAxis.labels.boxAnchor = "w"
    chart.categoryAxis.labels.dx = -(BAR_LABEL_WIDTH - 3 * mm)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.bars.strokeColor = None
    for index, row in enumerate(ordered):
        chart.bars[(0, index)].fillColor = BAR_SHADES[min(row.depth, len(BAR_SHADES) - 1)]
    chart.barLabelFormat = "%.2f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    if target is not None:
        level = chart.x + chart.width * float(target) / 100
        label = String(level, chart.y + chart.height + 2, f"{target}%", fontName=font, fontSize=7, textAnchor="middle")
        label.fillColor = TARGET_COLOUR
        drawing.add(label)
        drawing.add(
            Line(level, chart.y, level, chart.y + chart.height, strokeColor=TARGET_COLOUR, strokeDashArray=[3, 2])
        )
    drawing.add(String(0, height - 8, _("Rate by operator unit (%)"), fontName=font, fontSize=9))
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


def report_story(report: RateReport, font: str) -> list[Flowable]:
    """What the PDF shows, in order, set in ``font`` (a registered CJK font)."""
    styles = _styles(font)
    story: list[Flowable] = [Paragraph(escape(tables.title()), styles["title"])]
    for label, value in tables.header_lines(report):
        story.append(Paragraph(f"{escape(label)}：{escape(value)}", styles["body"]))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(escape(_("Overall")), styles["heading"]))
    overall = [[_("Figure"), pgettext(CONTEXT, "Value")], *tables.overall_lines(report)]
    story.append(_table(overall, styles, [60 * mm, 50 * mm], numeric_from=1))
    story.append(Spacer(1, 2 * mm))
    state_rows = [[state.label, state.lines] for state in report.by_state]
    story.append(
        _table(
            [[_("Registration state"), _("Lines in service")], *state_rows], styles, [80 * mm, 30 * mm], numeric_from=1
        )
    )
    target = report.target.percent if report.target is not None else None
    story.append(Spacer(1, 4 * mm))
    story.append(_bar_chart(report.by_unit, font, target))
    story.append(Spacer(1, 2 * mm))
    story.append(_line_chart(report, font))
    for breakdown in tables.breakdowns(report):
        story.append(Paragraph(escape(breakdown.title), styles["heading"]))
        story.append(_rate_table(breakdown, styles))
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
    story.append(_table([tables.series_columns(), *series_rows], styles, [width * mm for width in SERIES_COLUMNS_MM]))
    return story


def report_pdf(report: RateReport) -> bytes:
    """The PDF's bytes. Raises ``FontMissingError`` when the CJK font is not installed."""
    font = register_cjk_font(find_cjk_font())
    story = report_story(report, font)
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
