"""The staff desk page of the working calendar, for administrators: years with data, alerts, import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods

from regdesk.calendars.forms import CalendarImportForm
from regdesk.calendars.importing import CalendarImportError
from regdesk.calendars.permissions import can_manage_calendar
from regdesk.calendars.selectors import calendar_years, imported_year, open_alerts, year_schedule
from regdesk.calendars.services import calendar_year_import

# The chinesecalendar package names its days in English; the pages name them in the reader's language.
PACKAGE_DAY_NAMES = {
    "New Year's Day": pgettext_lazy("public holiday", "New Year's Day"),
    "Spring Festival": pgettext_lazy("public holiday", "Spring Festival"),
    "Tomb-sweeping Day": pgettext_lazy("public holiday", "Tomb-sweeping Day"),
    "Labour Day": pgettext_lazy("public holiday", "Labour Day"),
    "Dragon Boat Festival": pgettext_lazy("public holiday", "Dragon Boat Festival"),
    "National Day": pgettext_lazy("public holiday", "National Day"),
    "Mid-autumn Festival": pgettext_lazy("public holiday", "Mid-autumn Festival"),
    "Anti-Fascist 70th Day": pgettext_lazy("public holiday", "Anti-Fascist 70th Day"),
}


def _day_name(name: str) -> str:
    """A day's name as the page shows it: the package's names translated, an imported name as it was imported."""
    translated = PACKAGE_DAY_NAMES.get(name)
    return str(translated) if translated is not None else name


def _require_administrator(request: HttpRequest) -> None:
    if not can_manage_calendar(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def calendar_home(request: HttpRequest) -> HttpResponse:
    """Years with data (package or imported), open provisional alerts, and the import form."""
    _require_administrator(request)
    form = CalendarImportForm()
    if request.method == "POST":
        form = CalendarImportForm(request.POST, request.FILES)
        if form.is_valid():
            parsed = form.cleaned_data["parsed"]
            try:
                imported = calendar_year_import(
                    actor=request.user,  # type: ignore[arg-type]  # login_required: an authenticated User
                    year=parsed.year,
                    entries=parsed.entries,
                    source=form.cleaned_data["source"] or parsed.source,
                )
            except CalendarImportError as error:
                for problem in error.problems:
                    form.add_error(None, str(problem))
            else:
                messages.success(request, _("The calendar of %(year)d was imported.") % {"year": imported.year})
                return redirect("calendars:home")
    context = {"years": calendar_years(), "alerts": list(open_alerts()), "form": form}
    return render(request, "calendars/home.html", context)


@login_required
@require_http_methods(["GET"])
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    """One year's public holidays and make-up working days."""
    _require_administrator(request)
    schedule = year_schedule(year)
    if schedule is None:
        raise Http404
    days = [(day, "holiday", _day_name(name)) for day, name in schedule.holidays.items()]
    days += [(day, "workday", _day_name(name)) for day, name in schedule.workdays.items()]
    context = {"year": year, "schedule": schedule, "days": sorted(days), "imported": imported_year(year)}
    return render(request, "calendars/year.html", context)
