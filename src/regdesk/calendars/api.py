"""JSON API of the calendars app, mounted under /api/v1/calendar/.

The working-day endpoints need no authentication: public holidays and make-up working days are public data
(the State Council publishes them), and the answers reveal nothing about any person or case.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from regdesk.calendars.services import workdays_add, workdays_between
from regdesk.config.api_types import IsoDate, QueryInteger
from regdesk.config.errors import ApiError
from regdesk.rules.workdays import CalendarRangeError

router = Router(tags=["calendars"])

# About 400 years of working days: every real deadline fits, and no request can make the server work hard.
MAX_WORKING_DAYS = 100_000


def _input_error(code: str, message: str, field: str, problem: str) -> Exception:
    return ApiError(code, message, status=422, fields={field: [problem]})


class WorkdayOut(Schema):
    date: datetime.date
    provisional: bool
    missing_years: list[int]


class CountOut(Schema):
    working_days: int
    provisional: bool
    missing_years: list[int]


class AddQuery(Schema):
    start: IsoDate
    n: QueryInteger


class BetweenQuery(Schema):
    start: IsoDate
    end: IsoDate


@router.get("/workdays/add", response=WorkdayOut, auth=None)
def add(request: HttpRequest, query: Query[AddQuery]) -> WorkdayOut:
    """The n-th working day after ``start`` (``start`` never counts; n = 0 gives ``start``; n < 0 goes back).

    Public and unauthenticated: holiday data is published by the State Council.
    """
    if abs(query.n) > MAX_WORKING_DAYS:
        raise _input_error(
            "invalid_input",
            _("The number of working days is out of range."),
            "n",
            _("Must be between -%(max)d and %(max)d.") % {"max": MAX_WORKING_DAYS},
        )
    try:
        result = workdays_add(query.start, query.n)
    except CalendarRangeError as error:
        message = _("The result lies outside the supported dates.")
        raise _input_error("out_of_range", message, "n", message) from error
    return WorkdayOut(date=result.date, provisional=result.provisional, missing_years=list(result.missing_years))


@router.get("/workdays/between", response=CountOut, auth=None)
def between(request: HttpRequest, query: Query[BetweenQuery]) -> CountOut:
    """Working days in (start, end]; negative when ``end`` is before ``start``.

    Public and unauthenticated: holiday data is published by the State Council.
    """
    result = workdays_between(query.start, query.end)
    return CountOut(
        working_days=result.working_days, provisional=result.provisional, missing_years=list(result.missing_years)
    )
