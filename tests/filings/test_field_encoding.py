"""Text the regulator's system cannot take (outside GBK: emoji, Hangul, Kangxi radicals) is refused at its field at
every stage where text enters — the portal's steps as one types and on saving, the draft services, the desk's edits,
the submission and the API — with the field's error in Chinese and English, and nothing is saved."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regdesk.audit.models import AuditEvent
from regdesk.filings.errors import FilingValidationError
from regdesk.filings.models import Filing, FilingState, Owner, Website
from regdesk.filings.services import (
    filing_draft_create,
    filing_draft_update,
    filing_fields_correct,
    filing_submit,
)
from regdesk.miit.codec.errors import FieldNotEncodable
from regdesk.miit.codec.upload import _Writer
from regdesk.rules.icp import first_unencodable
from tests.filings.builders import World, draft, filing_json
from tests.filings.portal_support import client_for, owner_post, table_snapshot, url, website_post

pytestmark = pytest.mark.django_db
CHINESE = "含有无法报送的字符“😀”（U+1F600）"
ENGLISH = "Contains the character “😀” (U+1F600), which cannot be filed"


def _refused(call: Any) -> FilingValidationError:
    before = table_snapshot(Owner, Website, Filing, AuditEvent)
    with pytest.raises(FilingValidationError) as raised:
        call()
    assert table_snapshot(Owner, Website, Filing, AuditEvent) == before, "a refused request saved something"
    return raised.value


def _assert_not_encodable(error: FilingValidationError, field: str, character: str) -> None:
    assert error.codes.get(field) == ["not_encodable"], error.codes
    [chinese] = error.fields("zh-hans")[field]
    [english] = error.fields("en")[field]
    assert f"“{character}”" in chinese
    assert "GBK" in chinese
    assert f"“{character}”" in english
    assert "cannot be filed" in english


# --------------------------------------------------------------------------------------------------------------
# The definition: the MIIT codec's


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_the_rule_refuses_exactly_what_the_upload_codec_refuses(text: str) -> None:
    character = first_unencodable(text)
    if character is None:
        assert _Writer(1).check_text("Wzmc", text) == text
    else:
        with pytest.raises(FieldNotEncodable) as refusal:
            _Writer(1).check_text("Wzmc", text)
        assert refusal.value.character == character


# --------------------------------------------------------------------------------------------------------------
# The portal's steps


def test_the_portal_names_the_character_as_one_types(world: World) -> None:
    filing = draft(world)
    before = table_snapshot(Owner, Website, Filing)
    detail = owner_post()["owner-address-detail"] + "😀"
    body = client_for(world.owner).post(url("owner_validate", filing), owner_post(**{"owner-address-detail": detail}))
    assert body.status_code == 200
    text = body.content.decode()
    assert 'id="error-owner-address-detail"' in text
    assert CHINESE in text
    english = client_for(world.owner, language="en").post(
        url("owner_validate", filing), owner_post(**{"owner-address-detail": detail})
    )
    assert ENGLISH in english.content.decode()
    assert table_snapshot(Owner, Website, Filing) == before


def test_a_new_filing_is_checked_before_any_draft_exists(world: World) -> None:
    body = client_for(world.owner).post(url("new_validate"), owner_post(**{"owner-investor": "青禾控股⼀"}))
    assert 'id="error-owner-investor"' in body.content.decode()
    assert "含有无法报送的字符“⼀”（U+2F00）" in body.content.decode()
    assert not Filing.objects.exists()


def test_a_website_step_refuses_to_save_hangul(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    name = website_post()["website0-name"] + "한"
    checked = client.post(url("website_validate", filing, position=0), website_post(**{"website0-name": name}))
    assert "含有无法报送的字符“한”（U+D55C）" in checked.content.decode()
    before = table_snapshot(Owner, Website, Filing)
    saved = client.post(url("website", filing, position=0), {**website_post(**{"website0-name": name}), "go": "stay"})
    assert saved.status_code == 422
    assert "含有无法报送的字符“한”（U+D55C）" in saved.content.decode()
    assert table_snapshot(Owner, Website, Filing) == before


# --------------------------------------------------------------------------------------------------------------
# The services: draft, desk edits, submission


def test_a_draft_with_an_emoji_is_refused(world: World) -> None:
    data = filing_json()
    data["websites"][0]["name"] += "😀"
    error = _refused(lambda: filing_draft_create(actor=world.owner, data=data))
    _assert_not_encodable(error, "websites[0].name", "😀")


def test_an_update_by_the_desk_is_refused(world: World) -> None:
    filing = draft(world)
    data = filing_json()
    data["owner"]["certificate"]["address"] += "⼈"
    error = _refused(lambda: filing_draft_update(actor=world.specialist, filing=filing, data=data))
    _assert_not_encodable(error, "owner.certificate.address", "⼈")


def test_a_correction_of_one_field_is_refused(world: World) -> None:
    filing = draft(world)
    error = _refused(
        lambda: filing_fields_correct(actor=world.specialist, filing=filing, values={"owner.remarks": "备注😀"})
    )
    _assert_not_encodable(error, "owner.remarks", "😀")


def test_the_submission_refuses_text_stored_before_the_rule(world: World) -> None:
    filing = draft(world)
    # A draft saved before the rule existed: the value went straight to the table.
    Website.objects.filter(filing=filing).update(remarks="我们的网站😀")
    with pytest.raises(FilingValidationError) as raised:
        filing_submit(actor=world.owner, filing=filing)
    _assert_not_encodable(raised.value, "websites[0].remarks", "😀")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.DRAFT


# --------------------------------------------------------------------------------------------------------------
# The API


def _post(client: Client, path: str, payload: Any) -> Any:
    return client.post(path, data=json.dumps(payload), content_type="application/json")


def test_the_api_answers_422_with_the_field_in_the_caller_s_language(world: World) -> None:
    data = filing_json()
    data["owner"]["person_in_charge"]["name"] = "김민준"
    before = table_snapshot(Owner, Website, Filing, AuditEvent)
    chinese = _post(client_for(world.owner), "/api/v1/filings", {"data": data})
    assert chinese.status_code == 422
    assert chinese.json()["error"]["fields"] == {
        "owner.person_in_charge.name": [
            "含有无法报送的字符“김”（U+AE40）：监管系统只接受GBK字符集内的字符，请改用常用字或删除该字符。"
        ]
    }
    english = _post(client_for(world.owner, language="en"), "/api/v1/filings", {"data": data})
    assert english.status_code == 422
    [message] = english.json()["error"]["fields"]["owner.person_in_charge.name"]
    assert message.startswith("Contains the character “김” (U+AE40), which cannot be filed")
    assert table_snapshot(Owner, Website, Filing, AuditEvent) == before


def test_the_api_refuses_a_desk_correction(world: World) -> None:
    filing = draft(world)
    before = table_snapshot(Owner, Website, Filing, AuditEvent)
    response = _post(
        client_for(world.specialist),
        f"/api/v1/filings/{filing.pk}/corrections",
        {"values": {"websites[0].domains": ["한국어-사이트.cn"]}},
    )
    assert response.status_code == 422
    assert "websites[0].domains[0]" in response.json()["error"]["fields"]
    assert table_snapshot(Owner, Website, Filing, AuditEvent) == before


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(character=st.sampled_from(["😀", "한", "⼀", "⿕", "𠀀", "€"]))
def test_any_unsendable_character_in_the_remarks_is_refused(world: World, character: str) -> None:
    data = filing_json()
    data["owner"]["remarks"] = f"备注{character}"
    with pytest.raises(FilingValidationError) as raised:
        filing_draft_create(actor=world.owner, data=data)
    assert raised.value.codes.get("owner.remarks") == ["not_encodable"]
