"""Rates are rounded half up to two decimals wherever they are shown: 5 registered lines of 9 read 55.56 % on the
page, in the XLSX cell and in the PDF's text (it read 55.55 % when rates were cut)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from regdesk.accounts.roles import Role, UnitKind
from regdesk.subscribers.models import Channel
from regdesk.subscribers.services import line_take_over, outlet_configure
from tests.accounts.helpers import login_fully, make_unit, make_user
from tests.subscribers.test_report_dataset import holder
from tests.subscribers.test_report_pages import PAGE, figure, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_of_nine(client: Client) -> Client:
    provider = make_unit("provider", UnitKind.PROVIDER)
    outlet = make_unit("hall", UnitKind.OUTLET, parent=provider)
    outlet_configure(actor=None, unit=outlet, channel=Channel.OWN_HALL)
    for serial in range(9):
        registered = serial < 5
        line_take_over(
            actor=None,
            outlet=outlet,
            number=f"139{serial:08d}",
            line_kind="mobile",
            payment="prepaid",
            status="active",
            real_name_state="registered" if registered else "temporary_account",
            holder=holder() if registered else None,
        )
    login_fully(client, make_user("compliance", (provider, Role.COMPLIANCE_OFFICER)))
    return client


def test_the_page_rounds_five_of_nine_to_55_56(five_of_nine: Client) -> None:
    content = five_of_nine.get(PAGE).content.decode()
    assert figure(content, "overall-rate") == "55.56%"
    table = content.split('data-testid="report-by-unit"')[1].split("</table>")[0]
    assert "55.56%" in table
    assert "55.55" not in content


def test_the_xlsx_cell_holds_the_rounded_rate(five_of_nine: Client) -> None:
    workbook = load_workbook(io.BytesIO(five_of_nine.get(PAGE + "export.xlsx").content))
    summary = workbook.worksheets[0]
    rate = next(row[1] for row in summary.iter_rows() if row[0].value == "实名率")
    assert rate.value == 0.5556
    assert rate.number_format == "0.00%"
    by_unit = workbook.worksheets[1]
    assert next(row[5].value for row in by_unit.iter_rows() if row[1].value == "hall") == 0.5556


def test_the_pdf_text_shows_the_rounded_rate(five_of_nine: Client, tmp_path: Path) -> None:
    text = pdf_text(five_of_nine.get(PAGE + "export.pdf").content, tmp_path)
    assert len(re.findall(r"55\.56%", text)) >= 3  # the overall figure, the unit and the channel
    assert "55.55" not in text
