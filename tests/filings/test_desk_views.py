"""The filings desk's pages: who may reach them (404 alike, nothing changed on a refusal), masked personal data and
its audited reveal, audited document opening, and the actions — each through its service, refusals shown."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import CaseEvent, DocumentView
from regdesk.filings.models import AttachmentKind, Filing, FilingState
from regdesk.filings.services import filing_draft_create, filing_submit
from regdesk.filings.services.application import filing_scan_upload
from tests.api.snapshot import changed_tables, database_snapshot
from tests.filings.builders import PERSON_ID, World, case_of, contacts_verified, filing_json, person, scan, submitted
from tests.filings.desk_support import audit_actions, desk_client, post, text, url

pytestmark = pytest.mark.django_db
PERSON = person(0)


def _with_scan(world: World) -> Filing:
    """A submitted filing with a scan of the owner's certificate sent with the application."""
    filing = filing_draft_create(actor=world.owner, data=filing_json(0))
    filing_scan_upload(
        actor=world.owner, filing=filing, kind=AttachmentKind.OWNER_CERTIFICATE, filename="licence.jpg", content=scan()
    )
    return filing_submit(actor=world.owner, filing=filing)


def _requests(filing: Filing) -> list[tuple[str, str, dict[str, Any]]]:
    document_id = case_of(filing).documents.get().pk
    return [
        ("get", url(filing), {}),
        ("get", url(filing, "onsite/"), {}),
        ("get", url(filing, "return-row/"), {}),
        ("post", url(filing, "reveal/"), {"target": "owner.person_mobile", "purpose": "call the person in charge"}),
        ("post", url(filing, f"documents/{document_id}/open/"), {"purpose": "review the licence"}),
        ("post", url(filing, "actions/reject/"), {"reason": "虚假材料"}),
        ("post", url(filing, "actions/return_for_changes/"), {"field": ["owner.name"], "reason": ["请填写全称"]}),
        ("post", url(filing, "actions/send_onsite_notice/"), {}),
        ("post", url(filing, "contacts/call/"), {"outcome": "confirmed"}),
        ("post", url(filing, "contacts/email/"), {}),
        ("post", url(filing, "contacts/sms/"), {}),
        ("post", url(filing, "contacts/sms/confirm/"), {"code": "123456"}),
        ("post", url(filing, "onsite/checklist/"), {"owner_certificate": "on"}),
        ("post", url(filing, "onsite/identity/"), {}),
        ("post", url(filing, "onsite/record/"), {}),
    ]


@pytest.mark.parametrize("who", ["other_specialist", "owner", "other_owner", "anonymous"])
def test_nobody_but_the_units_staff_reaches_a_filing_and_a_refusal_changes_nothing(world: World, who: str) -> None:
    filing = _with_scan(world)
    client = desk_client(None if who == "anonymous" else getattr(world, who))
    for method, address, data in _requests(filing):
        before = database_snapshot()
        response = getattr(client, method)(address, data)
        if who == "anonymous":
            assert response.status_code == 302, address
            assert response["Location"].startswith("/accounts/login/"), address
        else:
            assert response.status_code == 404, address
        assert changed_tables(before, database_snapshot()) == [], address


def test_a_filing_that_does_not_exist_answers_like_a_forbidden_one(world: World) -> None:
    client = desk_client(world.other_specialist)
    filing = submitted(world)
    forbidden_path, missing_path = url(filing), f"/desk/filings/{filing.pk + 1000}/"
    forbidden, missing = client.get(forbidden_path), client.get(missing_path)
    assert forbidden.status_code == missing.status_code == 404
    # Alike but for what differs on every page: the CSRF token, masked afresh in every response (BREACH), and the
    # address the language switch returns to.
    assert _page_shape(forbidden.content, forbidden_path) == _page_shape(missing.content, missing_path)


def _page_shape(content: bytes, path: str) -> bytes:
    content = re.sub(rb'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+', rb"\1-", content)
    return content.replace(path.encode(), b"PATH")


def test_the_units_specialist_and_the_compliance_officer_see_the_filing(world: World) -> None:
    filing = _with_scan(world)
    for user in (world.specialist, world.compliance, world.auditor):
        page = desk_client(user).get(url(filing))
        assert page.status_code == 200
        assert page["Cache-Control"] == "no-store, private"
        assert str(filing) in text(page)


def test_personal_data_is_masked_on_the_page(world: World) -> None:
    filing = submitted(world)
    page = text(desk_client(world.specialist).get(url(filing)))
    assert "138****0000" in page
    assert f"{PERSON_ID[:4]}**********{PERSON_ID[-4:]}" in page
    assert f"{PERSON['name'][0]}*" in page
    for plain in (PERSON["mobile"], PERSON["document_number"], PERSON["name"], PERSON["email"]):
        assert plain not in page


def test_a_reveal_needs_a_purpose_and_is_audited(world: World) -> None:
    filing = submitted(world)
    client = desk_client(world.specialist)
    refused = post(client, url(filing, "reveal/"), {"target": "owner.person_mobile", "purpose": ""}, htmx=True)
    assert refused.status_code == 200
    assert 'data-testid="reveal-error"' in refused.content.decode()
    assert PERSON["mobile"] not in refused.content.decode()
    assert audit_actions(action__startswith="personal_data.") == ["personal_data.reveal_refused"]

    shown = post(
        client, url(filing, "reveal/"), {"target": "owner.person_mobile", "purpose": "回电核实联系方式"}, htmx=True
    )
    assert shown.status_code == 200
    assert f'data-testid="revealed-value">{PERSON["mobile"]}<' in shown.content.decode()
    assert shown["Cache-Control"] == "no-store, private"
    event = AuditEvent.objects.get(action="personal_data.reveal")
    assert (event.purpose, event.object_type, event.changes["field"]) == (
        "回电核实联系方式",
        "filings.owner",
        "person_mobile",
    )
    assert PERSON["mobile"] not in str(event.changes)


def test_a_website_persons_value_is_revealed_by_its_own_target(world: World) -> None:
    filing = submitted(world)
    website = filing.websites.get()
    shown = post(
        desk_client(world.specialist),
        url(filing, "reveal/"),
        {"target": f"website.{website.pk}.person_document_number", "purpose": "核对身份证件"},
    )
    assert shown.status_code == 200
    assert PERSON["document_number"] in text(shown)


def test_an_auditor_may_not_reveal_and_the_refusal_is_audited(world: World) -> None:
    filing = submitted(world)
    refused = post(
        desk_client(world.auditor),
        url(filing, "reveal/"),
        {"target": "owner.person_name", "purpose": "checking the record"},
        htmx=True,
    )
    assert PERSON["name"] not in refused.content.decode()
    assert 'data-testid="reveal-error"' in refused.content.decode()
    assert audit_actions(action__startswith="personal_data.") == ["personal_data.reveal_refused"]


@pytest.mark.parametrize(
    "target", ["owner.public_name", "owner", "website.999999.person_name", "owner.person_mobile.x", "website.x.name"]
)
def test_a_reveal_of_anything_else_is_not_found(world: World, target: str) -> None:
    filing = submitted(world)
    client = desk_client(world.specialist)
    before = database_snapshot()
    response = post(client, url(filing, "reveal/"), {"target": target, "purpose": "curious!"})
    assert response.status_code == 404
    assert changed_tables(before, database_snapshot()) == []


def test_a_document_opens_with_a_stated_purpose_only(world: World) -> None:
    filing = _with_scan(world)
    document = case_of(filing).documents.get()
    client = desk_client(world.specialist)
    address = url(filing, f"documents/{document.pk}/open/")
    refused = post(client, address, {"purpose": " "})
    assert refused.status_code == 422
    assert 'data-testid="document-refusal"' in refused.content.decode()
    assert not DocumentView.objects.exists()

    opened = post(client, address, {"purpose": "审核营业执照扫描件"})
    assert opened.status_code == 200
    assert opened["Content-Type"] == "image/jpeg"
    assert opened["Content-Disposition"].startswith("inline;")
    assert opened.content[:3] == b"\xff\xd8\xff"
    view = DocumentView.objects.get()
    assert (view.viewer, view.purpose) == (world.specialist, "审核营业执照扫描件")
    assert AuditEvent.objects.get(action="document.open").purpose == "审核营业执照扫描件"


def test_a_document_of_another_filing_is_not_found(world: World) -> None:
    filing = _with_scan(world)
    other = submitted(world, 1)
    document = case_of(filing).documents.get()
    response = post(desk_client(world.specialist), url(other, f"documents/{document.pk}/open/"), {"purpose": "look"})
    assert response.status_code == 404
    assert not DocumentView.objects.exists()


# --------------------------------------------------------------------------------------------------------------
# Actions


def _action_block(page: str, name: str) -> str:
    start = page.index(f'data-testid="action-{name}"')
    return page[start : page.index("</div>", start)]


def test_the_onsite_notice_is_disabled_with_the_reason_until_the_contacts_are_verified(world: World) -> None:
    filing = submitted(world)
    client = desk_client(world.specialist)
    page = client.get(url(filing)).content.decode()
    block = _action_block(page, "send_onsite_notice")
    assert 'data-enabled="false"' in block
    assert "disabled" in block
    assert "联系方式尚未核实" in block or "not verified" in block

    refused = post(client, url(filing, "actions/send_onsite_notice/"))
    assert refused.status_code == 409
    assert 'data-testid="action-refusal"' in refused.content.decode()
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED

    contacts_verified(world, filing)
    block = _action_block(client.get(url(filing)).content.decode(), "send_onsite_notice")
    assert 'data-enabled="true"' in block
    sent = post(client, url(filing, "actions/send_onsite_notice/"))
    assert sent.status_code == 302
    filing.refresh_from_db()
    assert filing.state == FilingState.AWAITING_ONSITE


def test_return_for_changes_sends_a_reason_per_field(world: World) -> None:
    filing = submitted(world)
    client = desk_client(world.specialist)
    page = client.get(url(filing)).content.decode()
    assert 'value="websites[0].name"' in page, "the field list offers the filing's own fields"
    response = post(
        client,
        url(filing, "actions/return_for_changes/"),
        {
            "field": ["websites[0].name", "owner.person_in_charge.office_phone", ""],
            "reason": ["网站名称过于宽泛", "请填写座机号码", ""],
        },
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == FilingState.NEEDS_CHANGES
    assert filing.returned_fields == {
        "websites[0].name": "网站名称过于宽泛",
        "owner.person_in_charge.office_phone": "请填写座机号码",
    }
    history = text(client.get(url(filing)))
    assert "网站名称过于宽泛" in history
    assert "请填写座机号码" in history


@pytest.mark.parametrize(
    ("fields", "reasons", "message"),
    [
        (["websites[0].name"], [""], "Give the reason this field must change."),
        ([""], ["一个理由"], "Choose the field that must change."),
        (["owner.nonsense"], ["一个理由"], "There is no such field in the filing."),
        (["owner.name", "owner.name"], ["一", "二"], "This field is already named above."),
        ([""], [""], "Name at least one field to change, with its reason."),
    ],
)
def test_a_return_with_a_bad_row_names_it_and_changes_nothing(
    world: World, fields: list[str], reasons: list[str], message: str
) -> None:
    filing = submitted(world)
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    before = database_snapshot()
    response = post(client, url(filing, "actions/return_for_changes/"), {"field": fields, "reason": reasons})
    assert response.status_code == 422
    assert message in text(response)
    assert changed_tables(before, database_snapshot()) == []


def test_a_rejection_needs_a_reason(world: World) -> None:
    filing = submitted(world)
    client = desk_client(world.specialist)
    before = database_snapshot()
    refused = post(client, url(filing, "actions/reject/"), {"reason": "  "})
    assert refused.status_code == 422
    assert 'data-testid="reject-form"' in refused.content.decode()
    assert changed_tables(before, database_snapshot()) == []
    done = post(client, url(filing, "actions/reject/"), {"reason": "主办单位不存在"})
    assert done.status_code == 302
    filing.refresh_from_db()
    assert (filing.state, filing.rejection_reason) == (FilingState.REJECTED, "主办单位不存在")
    assert "主办单位不存在" in text(client.get(url(filing)))


def test_an_action_the_state_does_not_allow_shows_the_kernels_reason(world: World) -> None:
    filing = submitted(world)
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    before = database_snapshot()
    refused = post(client, url(filing, "actions/submit_to_regulator/"))
    assert refused.status_code == 409
    assert "is not possible while the case is in the state" in text(refused)
    unknown = post(client, url(filing, "actions/fly_to_the_moon/"))
    assert unknown.status_code == 409
    assert "There is no action" in text(unknown)
    assert changed_tables(before, database_snapshot()) == []


def test_a_compliance_officer_sees_no_actions_and_is_refused_by_the_service(world: World) -> None:
    filing = contacts_verified(world, submitted(world))
    client = desk_client(world.compliance)
    page = client.get(url(filing))
    assert "action-send_onsite_notice" not in page.content.decode()
    before = database_snapshot()
    refused = post(client, url(filing, "actions/send_onsite_notice/"))
    assert refused.status_code == 409
    assert 'data-testid="action-refusal"' in refused.content.decode()
    assert changed_tables(before, database_snapshot()) == []
    assert not CaseEvent.objects.filter(action="send_onsite_notice").exists()


def test_the_history_shows_who_did_what_and_when_in_beijing_time(world: World) -> None:
    filing = submitted(world)
    client: Client = desk_client(world.specialist)
    event = CaseEvent.objects.get(case=case_of(filing), action="submit")
    page = text(client.get(url(filing)))
    local = event.occurred_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.strftime("%Y-%m-%d %H:%M") in page
    assert "owner" in page
