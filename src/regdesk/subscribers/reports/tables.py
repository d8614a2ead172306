"""The report's tables as the exports lay them out (the page has its own template): titles, columns, rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from regdesk.subscribers.reports.selectors import CONTEXT, RateReport, RateRow


@dataclass(frozen=True)
class Breakdown:
    """One breakdown of the rate: a title, a short name (a spreadsheet's sheet), the name of its first column, and
    whether its codes mean something to a reader (a unit's code, a division code; not a channel's internal value,
    which the page and the PDF leave out and the spreadsheet keeps for whoever processes it further)."""

    title: str
    short_name: str
    first_column: str
    rows: list[RateRow]
    shows_codes: bool = True


def title() -> str:
    return _("Real-name registration rate report")


def breakdowns(report: RateReport) -> list[Breakdown]:
    return [
        Breakdown(_("Rate by operator unit"), _("By unit"), pgettext(CONTEXT, "Unit"), report.by_unit),
        Breakdown(
            _("Rate by channel"), _("By channel"), pgettext(CONTEXT, "Channel"), report.by_channel, shows_codes=False
        ),
        Breakdown(_("Rate by region"), _("By region"), pgettext(CONTEXT, "Region"), report.by_region),
    ]


def rate_columns(first_column: str, *, codes: bool = True) -> list[str]:
    return [
        first_column,
        *([_("Code")] if codes else []),
        _("Registered lines"),
        _("Lines in service"),
        _("Not registered"),
        _("Rate"),
        _("Target met"),
    ]


def series_columns() -> list[str]:
    return [_("Day"), _("Registered lines"), _("Lines in service"), _("Rate"), _("Target"), _("Source")]


def met_text(meets: bool | None) -> str:
    if meets is None:
        return "—"
    return _("yes") if meets else _("no")


def source_text(source: str) -> str:
    return {"snapshot": _("daily snapshot"), "live": _("now")}.get(source, _("no data"))


def header_lines(report: RateReport) -> list[tuple[str, str]]:
    """Generation time, the period's end and the filters: the header of every sheet and of the PDF."""
    generated = timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M:%S %Z")
    lines = [(_("Generated at"), generated), (_("Rate as of"), report.as_of.isoformat())]
    lines.extend(report.filters.described())
    if report.target is not None:
        lines.append((_("Target in force"), f"{report.target.percent}% ({report.target.effective.isoformat()})"))
    if report.next_target is not None:
        lines.append((_("Next target"), f"{report.next_target.percent}% ({report.next_target.effective.isoformat()})"))
    return lines


def overall_lines(report: RateReport) -> list[tuple[str, str]]:
    overall = report.overall
    return [
        (_("Lines in service"), str(overall.total)),
        (_("Registered lines"), str(overall.registered)),
        (_("Not registered"), str(overall.unregistered)),
        (_("Rate"), f"{overall.percent}%" if overall.percent is not None else "—"),
        (_("Target met"), met_text(report.overall_meets)),
    ]
