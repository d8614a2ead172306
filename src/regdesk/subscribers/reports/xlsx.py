"""The report as an XLSX workbook (openpyxl): a summary sheet, a sheet per breakdown and one for the time series,
each with the generation time and the filters above its table, rates formatted as percentages."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from regdesk.subscribers.reports import tables
from regdesk.subscribers.reports.selectors import CONTEXT, RateReport

PERCENT_FORMAT = "0.00%"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
BOLD = Font(bold=True)
# Characters a sheet name may not hold, and its length limit (Excel's rules).
FORBIDDEN_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
SHEET_NAME_LIMIT = 31


def _ratio(percent: Decimal | None) -> float | None:
    """The shown (rounded) percentage as a ratio, so the cell shows the same two decimals as the page and the PDF."""
    return None if percent is None else float(percent / 100)


def _sheet(workbook: Workbook, name: str, report: RateReport, heading: str) -> Worksheet:
    sheet: Worksheet = workbook.create_sheet(name.translate(FORBIDDEN_IN_SHEET_NAMES)[:SHEET_NAME_LIMIT])
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in tables.header_lines(report):
        sheet.append([label, value])
    sheet.append([])
    return sheet


def _table_header(sheet: Worksheet, columns: Sequence[str]) -> None:
    sheet.append(list(columns))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
    sheet.freeze_panes = f"A{sheet.max_row + 1}"


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def report_workbook(report: RateReport) -> bytes:
    """The workbook's bytes."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)

    summary = _sheet(workbook, _("Summary"), report, tables.title())
    _table_header(summary, [_("Figure"), pgettext(CONTEXT, "Value")])
    overall = report.overall
    summary.append([_("Lines in service"), overall.total])
    summary.append([_("Registered lines"), overall.registered])
    summary.append([_("Not registered"), overall.unregistered])
    summary.append([_("Rate"), _ratio(overall.percent)])
    summary.cell(row=summary.max_row, column=2).number_format = PERCENT_FORMAT
    summary.append([_("Target met"), tables.met_text(report.overall_meets)])
    summary.append([])
    _table_header(summary, [_("Registration state"), _("Lines in service")])
    for state in report.by_state:
        summary.append([state.label, state.lines])
    _widths(summary, [28, 40])

    for breakdown in tables.breakdowns(report):
        sheet = _sheet(workbook, breakdown.short_name, report, breakdown.title)
        _table_header(sheet, tables.rate_columns(breakdown.first_column))
        for row in breakdown.rows:
            count = row.count
            sheet.append(
                [
                    row.label,
                    row.key,
                    count.registered,
                    count.total,
                    count.unregistered,
                    _ratio(row.percent),
                    tables.met_text(row.meets),
                ]
            )
            sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(indent=row.depth * 2)
            sheet.cell(row=sheet.max_row, column=6).number_format = PERCENT_FORMAT
        _widths(sheet, [34, 22, 14, 14, 14, 12, 10])

    series = _sheet(workbook, _("Over time"), report, _("Rate over time"))
    _table_header(series, tables.series_columns())
    for point in report.series:
        series.append(
            [
                point.day,
                point.count.registered if point.count is not None else None,
                point.count.total if point.count is not None else None,
                _ratio(point.percent),
                _ratio(point.target),
                tables.source_text(point.source),
            ]
        )
        series.cell(row=series.max_row, column=1).number_format = "yyyy-mm-dd"
        series.cell(row=series.max_row, column=4).number_format = PERCENT_FORMAT
        series.cell(row=series.max_row, column=5).number_format = PERCENT_FORMAT
    _widths(series, [14, 14, 14, 12, 12, 16])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
