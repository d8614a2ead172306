"""Desk pages of the real-name-rate report: /desk/subscribers/reports/ and its XLSX and PDF downloads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from regdesk.accounts.models import User
from regdesk.documents.errors import FontMissingError
from regdesk.subscribers.reports.forms import RateReportForm
from regdesk.subscribers.reports.permissions import require_report_reader
from regdesk.subscribers.reports.selectors import RateReport, rate_report
from regdesk.subscribers.reports.services import EXPORT_FORMATS, rate_report_export


def _chart_data(report: RateReport) -> dict[str, Any]:
    """What the page's charts draw: every unit of the unit table, in the table's order (a bar each), and the
    series (a point for each sampled day)."""
    rows = report.by_unit
    target = float(report.target.percent) if report.target is not None else None
    return {
        "units": {
            "labels": [row.label for row in rows],
            "keys": [row.key for row in rows],
            "depths": [row.depth for row in rows],
            "rates": [float(row.percent) if row.percent is not None else None for row in rows],
            "target": target,
        },
        "series": {
            "labels": [point.day.isoformat() for point in report.series],
            "rates": [float(point.percent) if point.percent is not None else None for point in report.series],
            "targets": [float(point.target) if point.target is not None else None for point in report.series],
        },
    }


def _page(request: HttpRequest, form: RateReportForm, *, status: int = 200, error: str = "") -> HttpResponse:
    report = rate_report(form.to_filters()) if form.is_valid() else None
    query = request.GET.copy()
    context = {
        "form": form,
        # Where the unit is, then when: two rows of filters.
        "filter_rows": [
            [form["unit"], form["channel"], form["region"]],
            [form["date_from"], form["date_to"], form["granularity"]],
        ],
        "report": report,
        "chart_data": _chart_data(report) if report is not None else None,
        "query": query.urlencode(),
        "error": error,
    }
    return render(request, "subscribers/reports/rate_report.html", context, status=status)


@login_required
@require_GET
def rate_report_page(request: HttpRequest) -> HttpResponse:
    """The rate against the target, by unit, channel, region and over time, with filters and charts."""
    scope = require_report_reader(request.user)
    form = RateReportForm(request.GET, scope=scope)
    return _page(request, form, status=200 if form.is_valid() else 400)


@login_required
@require_GET
def rate_report_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """The report with the same filters as XLSX or PDF (audited as a bulk export of aggregate data)."""
    scope = require_report_reader(request.user)
    form = RateReportForm(request.GET, scope=scope)
    if file_format not in EXPORT_FORMATS:
        raise Http404
    if not form.is_valid():
        return _page(request, form, status=400)
    assert isinstance(request.user, User)  # noqa: S101 - login_required let only our users in
    report = rate_report(form.to_filters())
    try:
        export = rate_report_export(actor=request.user, report=report, file_format=file_format)
    except FontMissingError as error:
        message = error.message_zh if (request.LANGUAGE_CODE or "").startswith("zh") else error.message_en
        return _page(request, form, status=503, error=message)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response
