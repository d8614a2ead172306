"""The desk page /desk/calendar/: administrators only; anonymous visitors go to the login page."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from regdesk.accounts.models import User
from regdesk.audit.models import AuditEvent
from regdesk.calendars.models import CalendarAlert, ImportedYear
from regdesk.calendars.services import workdays_add
from tests.calendars.conftest import login
from tests.calendars.samples import BROKEN_2027, SCHEDULE_2027

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("desk_settings")]
URL = "/desk/calendar/"


def test_url_name() -> None:
    assert reverse("calendars:home") == URL
    assert reverse("calendars:year", args=[2026]) == "/desk/calendar/2026/"


def test_anonymous_is_sent_to_login(client: Client, desk_settings: Settings) -> None:
    for method in (client.get, client.post):
        response = method(URL)
        assert response.status_code == 302
        assert "login" in response["Location"]
        assert "next=/desk/calendar/" in response["Location"]
    assert client.get("/desk/calendar/2026/").status_code == 302


def test_administrator_sees_years_alerts_and_form(client: Client, administrator: User) -> None:
    workdays_add(datetime.date(2026, 12, 31), 1)  # raises the 2027 alert
    response = login(client, administrator).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="calendar-import-form"' in html
    assert 'href="/desk/calendar/2026/"' in html
    assert 'href="/desk/calendar/2004/"' in html
    assert "Deadlines in 2027 were computed from weekends alone" in html
    year_page = client.get("/desk/calendar/2026/", HTTP_ACCEPT_LANGUAGE="en")
    assert year_page.status_code == 200
    assert "2026-10-10" in year_page.content.decode()
    assert client.get("/desk/calendar/2031/").status_code == 404


def test_page_is_in_chinese_by_default(client: Client, administrator: User) -> None:
    response = login(client, administrator).get(URL)
    assert "工作日历" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["specialist", "former_administrator"])
def test_other_staff_are_refused_and_nothing_changes(
    client: Client, request: pytest.FixtureRequest, user_fixture: str
) -> None:
    user: User = request.getfixturevalue(user_fixture)
    login(client, user)
    assert client.get(URL).status_code == 403
    assert client.get("/desk/calendar/2026/").status_code == 403
    response = client.post(URL, {"text": SCHEDULE_2027, "source": ""})
    assert response.status_code == 403
    assert not ImportedYear.objects.exists()
    assert not AuditEvent.objects.filter(action="calendar_year.import").exists()


def test_administrator_imports_pasted_text_and_alert_closes(client: Client, administrator: User) -> None:
    workdays_add(datetime.date(2026, 12, 31), 1)
    login(client, administrator)
    response = client.post(URL, {"text": SCHEDULE_2027, "source": "国办发明电〔2026〕1号"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == URL
    imported = ImportedYear.objects.get(year=2027)
    assert imported.source == "国办发明电〔2026〕1号"
    assert imported.imported_by == administrator
    assert not CalendarAlert.objects.filter(closed_at__isnull=True).exists()
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The calendar of 2027 was imported." in page
    assert "No open alerts." in page
    assert workdays_add(datetime.date(2026, 12, 31), 1).date == datetime.date(2027, 1, 4)


def test_administrator_imports_an_uploaded_file(client: Client, administrator: User) -> None:
    upload = SimpleUploadedFile("2027.txt", SCHEDULE_2027.encode(), content_type="text/plain")
    response = login(client, administrator).post(URL, {"file": upload, "text": "", "source": ""})
    assert response.status_code == 302
    assert ImportedYear.objects.get(year=2027).source.startswith("国务院办公厅")


def test_invalid_import_shows_line_errors_and_writes_nothing(client: Client, administrator: User) -> None:
    response = login(client, administrator).post(URL, {"text": BROKEN_2027}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "line 3:" in html
    assert "line 8:" in html
    assert not ImportedYear.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Upload a file or paste the schedule."),
        ({"text": SCHEDULE_2027, "file": b"year: 2027"}, "not both"),
        ({"file": b"\xff\xfe\x00"}, "not UTF-8"),
    ],
)
def test_form_errors(client: Client, administrator: User, data: dict[str, object], message: str) -> None:
    if "file" in data:
        data = {**data, "file": SimpleUploadedFile("in.txt", data["file"])}  # type: ignore[arg-type]
    response = login(client, administrator).post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportedYear.objects.exists()
