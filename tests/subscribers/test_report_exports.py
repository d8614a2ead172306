"""The XLSX and PDF builders on edge cases: no lines at all, a series with one point or none, long unit names."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from regdesk.rules.realname_rate import RateCount, RateTarget
from regdesk.subscribers.reports.pdf import report_pdf
from regdesk.subscribers.reports.selectors import RateReport, RateRow, ReportFilters, SeriesPoint
from regdesk.subscribers.reports.xlsx import report_workbook

FILTERS = ReportFilters(unit_ids=frozenset(), date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 5))
TARGET = RateTarget(dt.date(2017, 6, 30), Decimal(100))


def report(series: list[SeriesPoint], rows: list[RateRow]) -> RateReport:
    overall = RateCount(0, 0) if not rows else rows[0].count
    return RateReport(
        generated_at=timezone.now(),
        as_of=dt.date(2026, 3, 5),
        filters=FILTERS,
        targets=(TARGET,),
        target=TARGET,
        next_target=None,
        overall=overall,
        overall_meets=overall.meets(TARGET),
        by_unit=rows,
        by_channel=[],
        by_region=[],
        by_state=[],
        series=series,
    )


LONG = RateRow("u1", "一个名字非常非常长的营业厅" * 3, RateCount(1, 3), False, 1)
POINT = SeriesPoint(dt.date(2026, 3, 5), RateCount(1, 3), Decimal(100), "live")
GAP = SeriesPoint(dt.date(2026, 2, 28), None, Decimal(100), "")


@pytest.mark.parametrize(
    ("series", "rows"),
    [
        ([], []),
        ([GAP], []),
        ([POINT], [LONG]),
        ([GAP, POINT], [LONG]),
        ([GAP, GAP, POINT, GAP], [LONG] * 30),
    ],
)
def test_edge_cases_still_make_files(series: list[SeriesPoint], rows: list[RateRow]) -> None:
    with translation.override("zh-hans"):
        pdf = report_pdf(report(series, rows))
        workbook = load_workbook(io.BytesIO(report_workbook(report(series, rows))))
    assert pdf.startswith(b"%PDF-")
    assert len(workbook.worksheets) == 5
    assert workbook.worksheets[4].max_row >= 9 + len(series)
