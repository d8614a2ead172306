"""The one-ID lookup (一证通查) at the counter and by SMS code, and disputes of lines a customer does not know."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Notice
from regdesk.cases.selectors import visible_cases
from regdesk.subscribers.models import LineDispute, LookupChallenge, RealNameState
from regdesk.subscribers.selectors import lines_for_identity
from regdesk.subscribers.services import (
    HolderRecord,
    LookupRefused,
    line_dispute,
    line_dispute_decide,
    line_take_over,
    lookup_challenge_start,
    lookup_challenge_verify,
    proof_from_grant,
    proof_from_reading,
)
from tests.fixtures.simulators import IdentitySimulatorHandle, SmsSimulatorHandle
from tests.subscribers.conftest import World, mobile_number, read_card, valid_people

pytestmark = pytest.mark.django_db


def give_lines(world: World, who: dict[str, Any], serials: list[int], status: str = "active") -> list[Any]:
    holder = HolderRecord(
        kind="individual", document_type="resident_id", number=who["id_number"], name=who["name"], address="北京市"
    )
    return [
        line_take_over(
            actor=None,
            outlet=world.outlet,
            number=mobile_number(serial),
            line_kind="mobile",
            payment="prepaid",
            status=status,
            real_name_state="registered",
            holder=holder,
        )
        for serial in serials
    ]


@pytest.fixture
def people(identity_simulator: IdentitySimulatorHandle) -> list[dict[str, Any]]:
    return valid_people(identity_simulator, 2)


def test_the_counter_lists_every_line_of_the_read_card_masked(world: World, people: list[dict[str, Any]]) -> None:
    who, other = people
    mine = give_lines(world, who, [1, 2])
    give_lines(world, other, [3])
    cancelled = give_lines(world, who, [4])[0]
    from regdesk.subscribers.services import line_status_change

    line_status_change(actor=None, line=cancelled, status="cancelled", reason="holder asked")
    proof = proof_from_reading(actor=world.clerk, reading=read_card(world, who))
    lines = lines_for_identity(actor=world.clerk, proof=proof)
    assert [line.id for line in lines] == [line.pk for line in mine]
    assert [line.number for line in lines] == ["139****0001", "139****0002"]
    event = AuditEvent.objects.get(action="line_lookup.list")
    assert event.changes == {"via": "reading", "lines": 2}
    assert event.unit_code == world.outlet.code


def test_a_clerk_of_another_outlet_cannot_use_the_reading(world: World, people: list[dict[str, Any]]) -> None:
    reading = read_card(world, people[0])
    with pytest.raises(LookupRefused) as raised:
        proof_from_reading(actor=world.other_clerk, reading=reading)
    assert raised.value.code == "forbidden"


def test_an_old_reading_proves_nothing(world: World, people: list[dict[str, Any]]) -> None:
    reading = read_card(world, people[0])
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)), pytest.raises(LookupRefused) as raised:
        proof_from_reading(actor=world.clerk, reading=reading)
    assert raised.value.code == "reading_expired"


def sms_code(sms: SmsSimulatorHandle) -> str:
    [message] = sms.messages()
    match = re.search(r"\d{6}", message["text"])
    assert match is not None
    return match.group(0)


def test_self_service_lists_the_lines_after_an_sms_code(
    world: World,
    people: list[dict[str, Any]],
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    who = people[0]
    give_lines(world, who, [11, 12])
    with django_capture_on_commit_callbacks(execute=True):
        challenge = lookup_challenge_start(
            actor=None, document_type="resident_id", document_number=who["id_number"], line_number=mobile_number(12)
        )
    [message] = use_sms_simulator.messages()
    assert message["to"].endswith(mobile_number(12))
    code = sms_code(use_sms_simulator)
    assert code not in str(Notice.objects.values_list("context_sealed", flat=True).get())
    with pytest.raises(LookupRefused):
        lookup_challenge_verify(actor=None, public_id=challenge.public_id, code="000000" if code != "000000" else "1")
    _grant, token = lookup_challenge_verify(actor=None, public_id=challenge.public_id, code=code)
    lines = lines_for_identity(actor=None, proof=proof_from_grant(token=token))
    assert [line.number for line in lines] == ["139****0011", "139****0012"]
    with pytest.raises(LookupRefused) as again:
        lookup_challenge_verify(actor=None, public_id=challenge.public_id, code=code)
    assert again.value.code == "challenge_invalid"


def test_a_number_not_of_that_id_gets_a_challenge_but_no_code(
    world: World,
    people: list[dict[str, Any]],
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    who, other = people
    give_lines(world, who, [21])
    give_lines(world, other, [22])
    with django_capture_on_commit_callbacks(execute=True):
        challenge = lookup_challenge_start(
            actor=None, document_type="resident_id", document_number=who["id_number"], line_number=mobile_number(22)
        )
    assert challenge.public_id
    assert use_sms_simulator.messages() == []
    for guess in ("000000", "123456"):
        with pytest.raises(LookupRefused) as raised:
            lookup_challenge_verify(actor=None, public_id=challenge.public_id, code=guess)
        assert raised.value.code == "code_invalid"


def test_wrong_codes_are_limited(world: World, people: list[dict[str, Any]]) -> None:
    give_lines(world, people[0], [31])
    challenge = lookup_challenge_start(
        actor=None, document_type="resident_id", document_number=people[0]["id_number"], line_number=mobile_number(31)
    )
    for _attempt in range(5):
        with pytest.raises(LookupRefused):
            lookup_challenge_verify(actor=None, public_id=challenge.public_id, code="x")
    with pytest.raises(LookupRefused) as raised:
        lookup_challenge_verify(actor=None, public_id=challenge.public_id, code="x")
    assert raised.value.code == "too_many_attempts"
    assert LookupChallenge.objects.get().attempts == 5


def test_challenges_per_identity_are_limited(world: World, people: list[dict[str, Any]]) -> None:
    for _attempt in range(5):
        lookup_challenge_start(
            actor=None, document_type="resident_id", document_number=people[0]["id_number"], line_number="13900000000"
        )
    with pytest.raises(LookupRefused) as raised:
        lookup_challenge_start(
            actor=None, document_type="resident_id", document_number=people[0]["id_number"], line_number="13900000000"
        )
    assert (raised.value.code, raised.value.status) == ("too_many_challenges", 429)


def test_a_malformed_document_number_is_refused(world: World) -> None:
    with pytest.raises(LookupRefused) as raised:
        lookup_challenge_start(
            actor=None, document_type="resident_id", document_number="110105194912310022", line_number="13900000000"
        )
    assert (raised.value.code, raised.value.field) == ("document_number_invalid", "document_number")
    assert LookupChallenge.objects.count() == 0


def test_an_expired_grant_proves_nothing(world: World, people: list[dict[str, Any]]) -> None:
    give_lines(world, people[0], [41])
    challenge = lookup_challenge_start(
        actor=None, document_type="resident_id", document_number=people[0]["id_number"], line_number=mobile_number(41)
    )
    # The code itself is only in the SMS; a known code is planted for this test.
    from regdesk.subscribers.services.lookups import _code_hash

    LookupChallenge.objects.filter(pk=challenge.pk).update(code_hash=_code_hash(challenge.public_id, "424242"))
    _grant, token = lookup_challenge_verify(actor=None, public_id=challenge.public_id, code="424242")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)), pytest.raises(LookupRefused) as raised:
        proof_from_grant(token=token)
    assert raised.value.code == "grant_invalid"


def test_a_disputed_line_goes_to_compliance_who_confirm_it(world: World, people: list[dict[str, Any]]) -> None:
    who = people[0]
    line = give_lines(world, who, [51])[0]
    proof = proof_from_reading(actor=world.clerk, reading=read_card(world, who))
    dispute = line_dispute(actor=world.clerk, proof=proof, line=line, statement="I never bought this number.")
    assert dispute.case.process_key == "line.dispute"
    assert dispute.case.unit == world.branch
    assert dispute.statement.reveal() == "I never bought this number."
    assert dispute.case not in visible_cases(world.clerk)
    assert dispute.case in visible_cases(world.compliance)
    with pytest.raises(LookupRefused) as twice:
        line_dispute(actor=world.clerk, proof=proof, line=line, statement="Again.")
    assert twice.value.code == "dispute_open"
    with pytest.raises(LookupRefused) as by_clerk:
        line_dispute_decide(actor=world.clerk, dispute=dispute, outcome="confirm", note="checked")
    assert by_clerk.value.code == "forbidden"
    dispute = line_dispute_decide(
        actor=world.compliance, dispute=dispute, outcome="confirm", note="Registered with a stolen card."
    )
    assert dispute.case.state == "confirmed"
    line.refresh_from_db()
    assert line.real_name_state == RealNameState.OWNER_NOT_USER


def test_nobody_disputes_a_line_of_another_id(world: World, people: list[dict[str, Any]]) -> None:
    who, other = people
    theirs = give_lines(world, other, [61])[0]
    proof = proof_from_reading(actor=world.clerk, reading=read_card(world, who))
    with pytest.raises(LookupRefused) as raised:
        line_dispute(actor=world.clerk, proof=proof, line=theirs, statement="Not mine at all.")
    assert raised.value.code == "line_not_found"
    assert LineDispute.objects.count() == 0
