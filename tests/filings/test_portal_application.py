"""The owner portal's application in steps: drafts saved at each step, errors under their fields as one types
(nothing stored), documents, the review and the submission."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Document
from regdesk.filings.models import Attachment, Filing, FilingState, Owner, Website
from regdesk.filings.services import stored_data
from tests.filings.builders import World, draft, filing_json, person
from tests.filings.portal_support import (
    access_post,
    client_for,
    owner_post,
    person_post,
    table_snapshot,
    url,
    website_post,
)

pytestmark = pytest.mark.django_db


def _jpeg(size: tuple[int, int] = (300, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_a_new_filing_is_saved_step_by_step_and_submitted(world: World) -> None:
    client = client_for(world.owner)
    page = client.get(url("new"))
    assert page.status_code == 200
    assert "主办者" in page.content.decode()
    response = client.post(url("new"), {**owner_post(), "go": "next"})
    assert response.status_code == 302
    filing = Filing.objects.get()
    assert response["Location"] == url("person", filing)
    assert filing.state == FilingState.DRAFT
    assert filing.owner.portal_user == world.owner
    assert filing.owner.reporting_mode == 1

    assert client.post(url("person", filing), {**person_post(), "go": "next"})["Location"] == url("websites", filing)
    response = client.post(url("website", filing, position=0), {**website_post(), "go": "next"})
    assert response["Location"] == url("websites", filing)
    assert client.post(url("access", filing), {**access_post(), "go": "next"})["Location"] == url("documents", filing)

    filing = Filing.objects.get(pk=filing.pk)
    assert stored_data(filing).to_json() == _expected(filing_json(0))
    review = client.get(url("review", filing))
    body = review.content.decode()
    assert review.status_code == 200
    assert 'data-testid="review-ready"' in body
    assert person(0)["mobile"] not in body, "the review shows personal data masked"
    submitted = client.post(url("submit", filing))
    assert submitted["Location"] == url("detail", filing)
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED
    detail = client.get(url("detail", filing)).content.decode()
    assert 'data-state="submitted"' in detail
    assert 'data-action="submit"' in detail
    assert "已提交申请" in detail


def _expected(data: dict) -> dict:  # type: ignore[type-arg]
    """The builders' data as the services store it back (codes as numbers, empty remarks as None)."""
    expected = filing_json(0)
    expected["owner"].update(remarks=None, national_level=False, aliases=[])
    for website in expected["websites"]:
        website.update(content_categories=[], pre_approvals=[], remarks=None)
    return expected


def test_every_step_can_be_saved_as_a_draft_and_the_owner_comes_back(world: World) -> None:
    client = client_for(world.owner)
    client.post(url("new"), {**owner_post(), "go": "stay"})
    filing = Filing.objects.get()
    client.post(url("person", filing), {**person_post(), "go": "stay"})
    drafts = client.get(url("list")).content.decode()
    assert f'data-testid="draft-{filing.pk}"' in drafts
    again = client.get(url("person", filing)).content.decode()
    assert person(0)["mobile"] in again, "the owner's own values fill the form"
    assert AuditEvent.objects.filter(action="filing.data_open", object_id=str(filing.pk)).exists()


def test_the_validation_endpoint_returns_the_field_error_and_stores_nothing(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    before = table_snapshot(Owner, Website, Filing)
    bad = person_post(mobile="1381234")
    response = client.post(url("person_validate", filing), bad)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-person-mobile"' in body
    assert 'hx-swap-oob="true"' in body
    assert "手机号码应为11位数字，以1开头" in body, "the error says what is wrong, not only a length"
    english = client_for(world.owner, language="en").post(url("person_validate", filing), bad)
    assert "The mobile number must be 11 digits starting with 1" in english.content.decode()
    assert table_snapshot(Owner, Website, Filing) == before


def test_the_new_filing_is_validated_as_one_types_before_any_draft_exists(world: World) -> None:
    client = client_for(world.owner)
    response = client.post(url("new_validate"), owner_post(**{"owner-certificate-number": "91310110MAPF9TJ48X"}))
    body = response.content.decode()
    assert 'id="error-owner-certificate-number"' in body
    assert "统一社会信用代码" in body or "校验" in body
    assert not Filing.objects.exists()


def test_missing_values_wait_for_the_review_while_one_types(world: World) -> None:
    client = client_for(world.owner)
    body = client.post(url("new_validate"), {"owner-name": ""}).content.decode()
    assert "此项为必填项" not in body


def test_a_save_with_a_wrong_value_shows_the_error_and_changes_nothing(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    before = table_snapshot(Owner, Website, Filing)
    response = client.post(url("person", filing), {**person_post(email="not-an-address"), "go": "next"})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="error-person-email"' in body
    assert "电子邮件" in body
    assert table_snapshot(Owner, Website, Filing) == before


def test_a_second_website_is_added_and_the_last_one_removed(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    second = website_post(0, 1, **{"website1-name": "上海青禾软件技术博客", "website1-domains": "owner0-blog.cn",
                                        "website1-homepage_url": "https://www.owner0-blog.cn/"})  # fmt: skip
    response = client.post(url("website", filing, position=1), {**second, "go": "next"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert filing.websites.count() == 2
    assert client.get(url("website", filing, position=5))["Location"] == url("websites", filing)
    client.post(url("website_remove", filing, position=0))
    assert filing.websites.count() == 2, "only the last website is removed"
    client.post(url("website_remove", filing, position=1))
    assert list(filing.websites.values_list("name", flat=True)) == [filing_json(0)["websites"][0]["name"]]


def test_documents_are_uploaded_to_the_application(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    page = client.get(url("documents", filing)).content.decode()
    assert 'data-testid="scan-owner_certificate"' in page
    assert 'data-testid="scan-domain_certificate-0"' in page
    upload = io.BytesIO(_jpeg())
    upload.name = "licence.jpg"
    response = client.post(url("documents", filing), {"kind": "owner_certificate", "file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.kind == "owner_certificate"
    domain = io.BytesIO(_jpeg())
    domain.name = "domain.jpg"
    client.post(url("documents", filing), {"kind": "domain_certificate", "website": "0", "file": domain})
    assert Attachment.objects.get(kind="domain_certificate").website == filing.websites.get()
    page = client.get(url("documents", filing)).content.decode()
    assert 'data-testid="scan-state-owner_certificate"' in page
    assert "尚未上传" in page


def test_a_file_that_is_not_a_document_is_refused_under_its_slot(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    upload = io.BytesIO(b"plain text")
    upload.name = "notes.txt"
    response = client.post(url("documents", filing), {"kind": "owner_person_id_front", "file": upload})
    assert response.status_code == 422
    assert 'data-testid="scan-error-owner_person_id_front"' in response.content.decode()
    assert not Document.objects.exists()


def test_a_pre_approval_is_named_on_the_website_and_its_scan_uploaded(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    data = website_post(**{"website0-service_contents": ["2", "16"], "website0-pre_approvals-3": "1",
                           "website0-pre_approvals-3-number": "沪教审〔2026〕18号"})  # fmt: skip
    as_typed = client.post(url("website_validate", filing, position=0), data).content.decode()
    assert "此项为必填项" not in as_typed
    response = client.post(url("website", filing, position=0), {**data, "go": "stay"})
    assert response.status_code == 302, response.content.decode()[:3000]
    website = stored_data(filing).websites[0]
    assert [approval.type for approval in website.pre_approvals] == [3]
    assert website.content_categories == (3,)
    scan = io.BytesIO(_jpeg((200, 150)))
    scan.name = "approval.jpg"
    uploaded = client.post(url("documents", filing), {"kind": "pre_approval", "website": "0", "approval": "0",
                                                      "file": scan})  # fmt: skip
    assert uploaded.status_code == 302, uploaded.content.decode()[:3000]
    assert stored_data(filing).websites[0].pre_approvals[0].document_id is not None


def test_the_review_lists_what_is_missing_with_links_and_the_submission_is_refused(world: World) -> None:
    client = client_for(world.owner)
    client.post(url("new"), {**owner_post(), "go": "next"})
    filing = Filing.objects.get()
    review = client.get(url("review", filing)).content.decode()
    assert 'data-testid="review-errors"' in review
    assert url("person", filing) + "?check=1" in review
    response = client.post(url("submit", filing))
    assert response["Location"] == url("review", filing)
    filing.refresh_from_db()
    assert filing.state == FilingState.DRAFT
    checked = client.get(url("person", filing) + "?check=1").content.decode()
    assert "此项为必填项" in checked


def test_the_review_shows_the_data_in_full_on_request_and_audits_it(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    revealed = client.post(url("reveal", filing)).content.decode()
    assert person(0)["mobile"] in revealed
    assert AuditEvent.objects.filter(action="filing.data_open", purpose__contains="in full").exists()


def test_a_submitted_filing_is_no_longer_edited_in_the_steps(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    client.post(url("submit", filing))
    for step in ("owner", "person", "websites", "access", "documents"):
        assert client.get(url(step, filing))["Location"] == url("detail", filing)
    before = table_snapshot(Owner, Website, Filing)
    client.post(url("person", filing), {**person_post(mobile="13912345678"), "go": "next"})
    assert table_snapshot(Owner, Website, Filing) == before
