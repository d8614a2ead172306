"""The report's desk page and downloads: who may read them over which units, bad filters, and the XLSX and PDF files
(opened with openpyxl and pdftotext: the numbers match the page's)."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from regdesk.audit.models import AuditEvent
from tests.accounts.helpers import login_fully
from tests.subscribers.test_report_dataset import Dataset, build_dataset

pytestmark = pytest.mark.django_db
PAGE = "/desk/subscribers/reports/"


@pytest.fixture
def dataset() -> Dataset:
    return build_dataset()


def as_user(client: Client, dataset: Dataset, name: str) -> Client:
    login_fully(client, dataset.users[name])
    return client


def exports() -> int:
    return AuditEvent.objects.filter(action="realname_report.export").count()


def figure(content: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', content)
    assert match is not None, testid
    return match.group(1)


@pytest.mark.parametrize(
    ("user", "total", "units_shown", "units_hidden"),
    [
        ("compliance", "15", ["provider", "bj", "gd-online"], []),
        ("auditor_gd", "5", ["gd", "gd-online"], ["bj", "hall-a", "provider"]),
        ("manager_bj", "10", ["bj", "hall-a", "agent-x-shop"], ["gd", "provider"]),
    ],
)
def test_readers_see_the_rate_of_their_own_units(
    client: Client, dataset: Dataset, user: str, total: str, units_shown: list[str], units_hidden: list[str]
) -> None:
    response = as_user(client, dataset, user).get(PAGE)
    assert response.status_code == 200
    content = response.content.decode()
    assert figure(content, "overall-total") == total
    table = content.split('data-testid="report-by-unit"')[1].split("</table>")[0]
    for code in units_shown:
        assert f'data-key="{code}"' in table
    for code in units_hidden:
        assert f'data-key="{code}"' not in table


@pytest.mark.parametrize("user", ["clerk_a", "agent_staff", "owner", "administrator"])
def test_others_are_refused_the_page_and_the_downloads(client: Client, dataset: Dataset, user: str) -> None:
    as_user(client, dataset, user)
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE + "export.xlsx").status_code == 403
    assert client.get(PAGE + "export.pdf").status_code == 403
    assert exports() == 0


def test_anonymous_visitors_are_sent_to_the_login(client: Client, dataset: Dataset) -> None:
    response = client.get(PAGE + "export.xlsx")
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]
    assert exports() == 0


def test_the_page_carries_the_chart_data_and_the_chart_library(client: Client, dataset: Dataset) -> None:
    content = as_user(client, dataset, "compliance").get(PAGE + "?unit=provider").content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in content
    assert "subscribers/realname_report.js" in content
    data = chart_data(content)
    # A bar for every unit of the unit table, in the table's order.
    table = content.split('data-testid="report-by-unit"')[1].split("</table>")[0]
    assert data["units"]["keys"] == re.findall(r'data-key="([^"]*)"', table)
    assert data["units"]["keys"] == ["provider", "bj", "agent-x", "agent-x-shop", "hall-a", "hall-b", "gd", "gd-online"]
    assert data["units"]["labels"][:2] == ["Unit provider", "Unit bj"]
    assert data["units"]["depths"] == [0, 1, 2, 3, 2, 2, 1, 2]
    assert data["units"]["rates"] == [73.33, 60.0, 33.33, 33.33, 75.0, 66.67, 100.0, 100.0]
    assert data["units"]["target"] == 100.0
    assert data["series"]["rates"][-1] == 73.33
    assert data["series"]["targets"][-1] == 100.0


def chart_data(content: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        content.split('id="realname-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    return data


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("unit=bj", "id_unit"),  # outside the auditor's scope
        ("unit=no-such-unit", "id_unit"),
        ("channel=shop", "id_channel"),
        ("region=1100", "id_region"),
        ("region=990000", "id_region"),
        ("date_to=2999-01-01", "id_date_to"),
        ("date_from=2026-03-01&date_to=2026-02-01", "id_date_to"),
        ("date_from=2020-01-01&granularity=day", "id_date_from"),
        ("date_from=1990-01-01", "id_date_from"),
        ("date_from=yesterday", "id_date_from"),
    ],
)
def test_bad_filters_name_their_field_and_export_nothing(
    client: Client, dataset: Dataset, query: str, field: str
) -> None:
    as_user(client, dataset, "auditor_gd")
    for url in (PAGE, PAGE + "export.xlsx", PAGE + "export.pdf"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert f'id="{field}_errors"' in response.content.decode()
    assert exports() == 0


def test_an_unknown_format_is_not_found(client: Client, dataset: Dataset) -> None:
    assert as_user(client, dataset, "compliance").get(PAGE + "export.csv").status_code == 404
    assert exports() == 0


def rows_by_key(sheet: object) -> dict[str, tuple[object, ...]]:
    found = {}
    for row in sheet.iter_rows(values_only=True):  # type: ignore[attr-defined]
        if len(row) >= 7 and isinstance(row[2], int):
            found[str(row[1])] = row
    return found


def test_the_xlsx_holds_a_sheet_per_breakdown_with_the_pages_numbers(client: Client, dataset: Dataset) -> None:
    response = as_user(client, dataset, "compliance").get(PAGE + "export.xlsx?channel=&region=")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert re.match(r'attachment; filename="realname-rate-\d{8}-\d{4}\.xlsx"', response["Content-Disposition"])
    workbook = load_workbook(io.BytesIO(response.content))
    summary, by_unit, by_channel, by_region, over_time = workbook.worksheets
    assert summary["A1"].value == "实名登记率报表"
    header = [row[0] for row in summary.iter_rows(min_row=2, max_row=8, values_only=True)]
    assert "生成时间" in header

    units = rows_by_key(by_unit)
    assert units["hall-b"][2:5] == (2, 3, 1)
    assert units["hall-b"][5] == pytest.approx(0.6667)
    assert units["provider"][2:6] == (11, 15, 4, pytest.approx(0.7333))
    rate_cell = next(row[5] for row in by_unit.iter_rows() if row[1].value == "hall-b")
    assert rate_cell.number_format == "0.00%"
    assert rows_by_key(by_channel)["online"][2:4] == (5, 5)
    assert rows_by_key(by_region)["440300"][2:4] == (5, 5)
    assert any(row[3] == pytest.approx(0.7333) for row in over_time.iter_rows(values_only=True))

    event = AuditEvent.objects.get(action="realname_report.export")
    assert event.changes["format"] == "xlsx"
    assert event.changes["lines"] == 15
    assert len(event.changes["sha256"]) == 64
    assert "aggregate" in event.purpose


def pdf_text(content: bytes, tmp_path: Path) -> str:
    executable = shutil.which("pdftotext")
    if executable is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        [executable, "-layout", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def test_the_pdf_shows_the_chinese_title_and_the_numbers(client: Client, dataset: Dataset, tmp_path: Path) -> None:
    response = as_user(client, dataset, "compliance").get(PAGE + "export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    # The CJK font is embedded (as a subset), not left to the viewer.
    assert b"FontFile2" in response.content
    text = pdf_text(response.content, tmp_path)
    assert "实名登记率报表" in text
    assert "73.33%" in text
    assert "66.67%" in text
    assert "深圳市" in text
    assert AuditEvent.objects.get(action="realname_report.export").changes["format"] == "pdf"


def test_the_pdf_follows_the_language_and_the_filters(client: Client, dataset: Dataset, tmp_path: Path) -> None:
    as_user(client, dataset, "compliance")
    response = client.get(PAGE + "export.pdf?region=440000", HTTP_ACCEPT_LANGUAGE="en")
    text = pdf_text(response.content, tmp_path)
    assert "Real-name registration rate report" in text
    assert "100.00%" in text
    assert "73.33%" not in text
    assert AuditEvent.objects.get(action="realname_report.export").changes["region"] == "440000"
