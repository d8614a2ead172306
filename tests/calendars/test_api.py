"""GET /api/v1/calendar/workdays/add and /between: public, unauthenticated."""

from __future__ import annotations

import pytest
from django.test import Client

from regdesk.calendars.models import CalendarAlert

pytestmark = pytest.mark.django_db
QueryValue = str | int
ADD = "/api/v1/calendar/workdays/add"
BETWEEN = "/api/v1/calendar/workdays/between"


def test_add(client: Client) -> None:
    response = client.get(ADD, {"start": "2026-09-30", "n": "5"})
    assert response.status_code == 200
    assert response.json() == {"date": "2026-10-13", "provisional": False, "missing_years": []}


def test_between(client: Client) -> None:
    response = client.get(BETWEEN, {"start": "2026-09-30", "end": "2026-10-13"})
    assert response.json() == {"working_days": 5, "provisional": False, "missing_years": []}
    response = client.get(BETWEEN, {"start": "2026-10-13", "end": "2026-09-30"})
    assert response.json()["working_days"] == -5


def test_provisional_result_names_the_missing_year(client: Client) -> None:
    response = client.get(ADD, {"start": "2026-12-31", "n": "1"})
    assert response.json() == {"date": "2027-01-01", "provisional": True, "missing_years": [2027]}
    assert CalendarAlert.objects.filter(year=2027, closed_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (ADD, {"start": "2026-02-30", "n": 1}, "start"),
        (ADD, {"start": "2026-09-30", "n": "five"}, "n"),
        # Whole numbers only, in digits: pydantic alone reads these as integers.
        (ADD, {"start": "2026-09-30", "n": "+0.0"}, "n"),
        (ADD, {"start": "2026-09-30", "n": "1e1"}, "n"),
        (ADD, {"start": "2026-09-30", "n": " 1"}, "n"),
        (ADD, {"start": "2026-09-30"}, "n"),
        (ADD, {"start": "2026-09-30", "n": 100_001}, "n"),
        (ADD, {"start": "9999-12-30", "n": 5}, "n"),
        (BETWEEN, {"start": "2026-09-30", "end": "soon"}, "end"),
    ],
)
def test_bad_input(client: Client, url: str, params: dict[str, QueryValue], field: str) -> None:
    response = client.get(url, params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert field in error["fields"]
    assert error["message"]
