"""On-site verification: the record checks through the identity and registry simulators, the photo, the marked
copies and the verification form; outcomes keep codes, never personal values."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone, translation

from regdesk.audit.models import AuditEvent
from regdesk.cases.services import document_open
from regdesk.filings.errors import FilingRefused, FilingValidationError
from regdesk.filings.models import Attachment, AttachmentKind, CheckOutcome, Filing
from regdesk.filings.selectors import onsite_progress
from regdesk.filings.services import (
    filing_draft_create,
    filing_onsite_notice_send,
    filing_submit,
    onsite_copy_store,
    onsite_form_generate,
    onsite_identity_check,
    onsite_photo_confirm,
    onsite_photo_take,
    onsite_registry_check,
)
from regdesk.rules import divisions
from tests.filings.builders import (
    World,
    awaiting_onsite,
    coffee,
    complete_onsite,
    contacts_verified,
    filing_json,
    photo,
    scan,
    submitted,
)
from tests.fixtures.simulators import IdentitySimulatorHandle, RegistrySimulatorHandle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _services(use_identity_simulator: IdentitySimulatorHandle, use_registry_simulator: RegistrySimulatorHandle) -> None:
    """Both record checks run against the simulators."""


def _awaiting_with(world: World, data: dict[str, Any]) -> Filing:
    filing = filing_draft_create(actor=world.owner, data=data)
    filing = contacts_verified(world, filing_submit(actor=world.owner, filing=filing))
    return filing_onsite_notice_send(actor=world.specialist, filing=filing)


def _audit_text() -> str:
    return str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_a_complete_verification_leaves_nothing_missing(world: World) -> None:
    filing = complete_onsite(world, awaiting_onsite(world))
    progress = onsite_progress(filing)
    assert progress is not None
    assert progress.missing == []
    assert (progress.identity_outcome, progress.registry_outcome) == (CheckOutcome.CONSISTENT, CheckOutcome.CONSISTENT)
    assert progress.identity_similarity is not None
    assert progress.identity_similarity >= 70


def test_a_name_that_does_not_match_the_id_is_shown_to_the_specialist_without_personal_data(
    world: World, use_identity_simulator: IdentitySimulatorHandle
) -> None:
    other = use_identity_simulator.example("name_mismatch", 2)
    data = filing_json()
    for person in (data["owner"]["person_in_charge"], data["websites"][0]["person_in_charge"]):
        person.update(name=other["name"], document_number=other["id_number"])
    filing = _awaiting_with(world, data)
    onsite_photo_take(actor=world.specialist, filing=filing, content=photo())
    verification = onsite_identity_check(actor=world.specialist, filing=filing)
    assert verification.identity_outcome == CheckOutcome.INCONSISTENT
    assert verification.identity_detail["result"] == "name_mismatch"
    with translation.override("en"):
        progress = onsite_progress(filing)
    assert progress is not None
    assert progress.identity_explanation == "The name does not match the record of this ID number."
    assert "The identity check of the person in charge has not confirmed the identity." in progress.missing
    for personal in (other["name"], other["id_number"]):
        assert personal not in _audit_text()
        assert personal not in str(verification.identity_detail)


def test_an_unavailable_identity_service_is_recorded_as_not_checked(
    world: World, use_identity_simulator: IdentitySimulatorHandle
) -> None:
    filing = awaiting_onsite(world)
    use_identity_simulator.fail_next(10, 503)
    verification = onsite_identity_check(actor=world.specialist, filing=filing)
    assert verification.identity_outcome == CheckOutcome.NOT_AVAILABLE
    assert verification.identity_detail == {"reason": "service", "error": "http_503"}


def test_an_enterprise_the_register_does_not_know_is_inconsistent(
    world: World, use_registry_simulator: RegistrySimulatorHandle
) -> None:
    unknown = use_registry_simulator.example("not_found")
    data = filing_json()
    data["owner"]["certificate"]["number"] = unknown["uscc"]
    data["owner"]["name"] = unknown["name"]
    region = unknown["uscc"][2:8]
    data["owner"]["address"] |= {"province": f"{region[:2]}0000", "city": f"{region[:4]}00", "county": region}
    province = divisions.lookup(f"{region[:2]}0000")
    assert province is not None
    data["owner"]["certificate"]["address"] = data["owner"]["address"]["detail"] = f"{province.latest.name}文化路1号"
    try:
        filing = _awaiting_with(world, data)
    except FilingValidationError as error:  # pragma: no cover - the data set's example must be fileable
        pytest.fail(f"the registry's example is not valid filing data: {error.codes}")
    verification = onsite_registry_check(actor=world.specialist, filing=filing)
    assert (verification.registry_outcome, verification.registry_detail["result"]) == (
        CheckOutcome.INCONSISTENT,
        "not_found",
    )


def test_a_person_who_is_not_the_legal_representative_is_noted_not_refused(
    world: World, use_identity_simulator: IdentitySimulatorHandle
) -> None:
    someone = use_identity_simulator.example("match", 1)
    data = filing_json()
    for person in (data["owner"]["person_in_charge"], data["websites"][0]["person_in_charge"]):
        person.update(name=someone["name"], document_number=someone["id_number"])
    filing = _awaiting_with(world, data)
    verification = onsite_registry_check(actor=world.specialist, filing=filing)
    assert verification.registry_outcome == CheckOutcome.CONSISTENT
    assert verification.registry_detail["result"] == "representative_mismatch"


def test_a_photo_without_a_face_is_refused_and_nothing_is_kept(world: World) -> None:
    filing = awaiting_onsite(world)
    with pytest.raises(FilingValidationError) as raised:
        onsite_photo_take(actor=world.specialist, filing=filing, content=coffee())
    assert raised.value.codes == {"photo": ["photo_no_face"]}
    assert not Attachment.objects.filter(filing=filing).exists()


def test_copies_are_marked_for_filing_use_only_with_the_date(world: World) -> None:
    filing = awaiting_onsite(world)
    copy = onsite_copy_store(
        actor=world.specialist,
        filing=filing,
        kind=AttachmentKind.OWNER_PERSON_ID_FRONT,
        filename="id-front.jpg",
        content=scan(),
    )
    assert copy.purpose.startswith("仅供ICP备案使用")
    assert copy.marked_on == timezone.localdate()
    stored = document_open(actor=world.specialist, document=copy.document, purpose="check the marking")
    assert stored != scan(), "the mark is printed on the copy"
    with pytest.raises(FilingValidationError):
        onsite_copy_store(
            actor=world.specialist,
            filing=filing,
            kind=AttachmentKind.DOMAIN_CERTIFICATE,
            filename="domain.jpg",
            content=scan(),
        )


def test_the_form_is_a_pdf_and_a_new_photo_makes_it_stale(world: World) -> None:
    filing = complete_onsite(world, awaiting_onsite(world))
    progress = onsite_progress(filing)
    assert progress is not None
    assert progress.form_document_id is not None
    form = Attachment.objects.get(filing=filing, kind=AttachmentKind.VERIFICATION_FORM)
    assert document_open(actor=world.specialist, document=form.document, purpose="review the form").startswith(b"%PDF")
    onsite_photo_take(actor=world.specialist, filing=filing, content=photo())
    progress = onsite_progress(filing)
    assert progress is not None
    assert progress.form_document_id is None
    assert progress.photo_confirmed is False
    with pytest.raises(FilingRefused) as raised:
        onsite_form_generate(actor=world.specialist, filing=filing, place="营业厅")
    assert raised.value.code == "incomplete"
    onsite_photo_confirm(actor=world.specialist, filing=filing, face_matches=True)
    onsite_identity_check(actor=world.specialist, filing=filing)
    onsite_form_generate(actor=world.specialist, filing=filing, place="营业厅")
    assert onsite_progress(filing) is not None


def test_nothing_is_recorded_before_the_notice(world: World) -> None:
    filing = submitted(world)
    with pytest.raises(FilingRefused) as raised:
        onsite_identity_check(actor=world.specialist, filing=filing)
    assert raised.value.code == "wrong_state"


def test_only_the_units_specialist_verifies(world: World) -> None:
    filing = awaiting_onsite(world)
    for outsider in (world.owner, world.other_specialist, world.auditor):
        with pytest.raises(FilingRefused) as raised:
            onsite_photo_take(actor=outsider, filing=filing, content=photo())
        assert raised.value.code == "role"
