"""One owner record per certificate, and one operation in flight per owner (province code 1003)."""

from __future__ import annotations

import pytest

from regdesk.cases.models import CaseEvent
from regdesk.filings.errors import FilingRefused, FilingValidationError
from regdesk.filings.models import Filing, FilingState, Owner
from regdesk.filings.services import filing_draft_create, filing_draft_update, filing_submit, filing_withdraw
from tests.filings.builders import World, case_of, draft, filing_json, submitted

pytestmark = pytest.mark.django_db


def test_a_second_application_of_the_same_owner_belongs_to_its_owner_record(world: World) -> None:
    first = draft(world)
    second = draft(world)
    assert first.owner_id == second.owner_id
    assert Owner.objects.count() == 1


def test_another_account_cannot_apply_for_a_registered_owner(world: World) -> None:
    draft(world)
    with pytest.raises(FilingRefused) as raised:
        filing_draft_create(actor=world.other_owner, data=filing_json())
    assert raised.value.code == "owner_registered"
    assert Filing.objects.count() == 1


def test_a_second_operation_is_refused_while_one_is_in_flight(world: World) -> None:
    waiting = draft(world)
    in_flight = submitted(world)
    assert waiting.owner_id == in_flight.owner_id
    events = CaseEvent.objects.filter(case=case_of(waiting)).count()
    with pytest.raises(FilingRefused) as raised:
        filing_submit(actor=world.owner, filing=waiting)
    assert raised.value.code == "operation_in_flight"
    assert str(in_flight) in raised.value.message
    waiting.refresh_from_db()
    assert waiting.state == FilingState.DRAFT
    assert CaseEvent.objects.filter(case=case_of(waiting)).count() == events
    # The owner's data cannot change under the operation in flight either.
    with pytest.raises(FilingRefused) as raised:
        filing_draft_create(actor=world.owner, data=filing_json())
    assert raised.value.code == "operation_in_flight"
    data = filing_json()
    data["owner"]["investor"] = "另一位投资人"
    with pytest.raises(FilingRefused):
        filing_draft_update(actor=world.owner, filing=waiting, data=data)


def test_once_the_operation_ends_the_next_one_may_start(world: World) -> None:
    waiting = draft(world)
    filing_withdraw(actor=world.owner, filing=submitted(world))
    assert filing_submit(actor=world.owner, filing=waiting).state == FilingState.SUBMITTED


def test_a_draft_cannot_take_the_certificate_of_another_owner(world: World) -> None:
    draft(world, 0)
    other = draft(world, 1)
    data = filing_json(1)
    data["owner"]["certificate"] = filing_json(0)["owner"]["certificate"]
    with pytest.raises(FilingValidationError) as raised:
        filing_draft_update(actor=world.owner, filing=other, data=data)
    assert raised.value.codes == {"owner.certificate.number": ["owner_elsewhere"]}
