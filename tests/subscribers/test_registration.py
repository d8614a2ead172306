"""Registering a line at the counter: documents, identity checks, face match, refusals, agents and organisations."""

from __future__ import annotations

from typing import Any

import pytest

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Case, CaseEvent
from regdesk.cases.services import document_attach
from regdesk.subscribers.models import (
    ActingParty,
    AgentStatus,
    Line,
    LineStatus,
    RealNameState,
    Registration,
    RegistrationEvent,
    Subscriber,
)
from regdesk.subscribers.selectors import registration_actions, registration_view
from regdesk.subscribers.services import (
    DocumentInput,
    IdentityCapture,
    LineRequest,
    RegistrationRefused,
    agent_status_set,
    registration_abandon,
    registration_check,
    registration_complete,
    registration_decide,
    registration_refuse,
    registration_start,
)
from tests.fixtures.simulators import FaceMatchSimulatorHandle, IdentitySimulatorHandle
from tests.subscribers.conftest import (
    PASSPORT_MRZ,
    PDF_BYTES,
    World,
    live_photo,
    mobile_number,
    person,
    read_card,
    start_with_reading,
    valid_people,
)

pytestmark = pytest.mark.django_db
Checks = tuple[IdentitySimulatorHandle, FaceMatchSimulatorHandle]


def nothing_registered() -> None:
    assert Registration.objects.count() == 0
    assert Case.objects.filter(process_key="line.registration").count() == 0
    assert Line.objects.count() == 0


def state(registration: Registration) -> str:
    assert registration.case_id is not None
    return Case.objects.get(pk=registration.case_id).state


def register(world: World, who: dict[str, Any], number: str, **options: Any) -> Registration:
    registration = start_with_reading(world, who, number=number, **options)
    actor = options.get("actor", world.clerk)
    registration = registration_check(actor=actor, registration=registration, live_photo=live_photo(who))
    assert state(registration) == "checks_passed", registration.refusal_reason
    return registration_complete(actor=actor, registration=registration)


def test_a_read_card_that_passes_every_check_registers_the_line(world: World, checks: Checks) -> None:
    identity, faces = checks
    who = valid_people(identity, 1)[0]
    registration = start_with_reading(world, who, number=mobile_number(1))
    assert state(registration) == "identity_captured"
    assert registration.subscriber_reading is not None
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(who))
    assert state(registration) == "checks_passed"
    assert registration.subscriber_check == "match"
    assert registration.face_score is not None
    assert registration.face_score >= 80
    registration = registration_complete(actor=world.clerk, registration=registration)
    assert state(registration) == "registered"
    line = Line.objects.get()
    assert (line.status, line.real_name_state, line.outlet) == (
        LineStatus.ACTIVE,
        RealNameState.REGISTERED,
        world.outlet,
    )
    assert line.number.reveal() == mobile_number(1)
    assert line.subscriber is not None
    assert line.subscriber.name.reveal() == who["name"]
    event = RegistrationEvent.objects.get()
    assert (event.kind, event.acting_party, event.clerk) == ("open", ActingParty.SUBSCRIBER, world.clerk)
    assert [c["id_face"] for c in faces.comparisons()] == [reader_face(who)]
    assert registration.case is not None
    assert registration.case.documents.filter(kind="live_photo").count() == 1
    actions = [e.action for e in CaseEvent.objects.filter(case=registration.case)]
    assert actions == ["start", "capture_identity", "pass_checks", "register"]
    complete = AuditEvent.objects.get(action="line_registration.complete")
    assert mobile_number(1) not in str(complete.changes)


def reader_face(who: dict[str, Any]) -> str:
    from regdesk.simulators.card_reader import card_of

    return str(card_of(who)["face_id"])


def test_typed_resident_id_data_is_refused_with_its_message(world: World) -> None:
    typed = DocumentInput(document_type="resident_id", number="11010519491231002X", name="张三", address="北京市")
    with pytest.raises(RegistrationRefused) as raised:
        registration_start(
            actor=world.clerk,
            outlet=world.outlet,
            kind="open",
            line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(2)),
            identity=IdentityCapture(subscriber=typed),
        )
    assert raised.value.code == "resident_id_typed"
    assert raised.value.field == "subscriber"
    assert "读卡" in raised.value.message or "reader" in raised.value.message
    nothing_registered()


def test_a_reading_cannot_be_edited_by_hand(world: World, identity_simulator: IdentitySimulatorHandle) -> None:
    reading = read_card(world, person(identity_simulator))
    with pytest.raises(RegistrationRefused) as raised:
        registration_start(
            actor=world.clerk,
            outlet=world.outlet,
            kind="open",
            line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(3)),
            identity=IdentityCapture(subscriber=DocumentInput(reading=reading, name="别的名字")),
        )
    assert raised.value.code == "reading_edited"
    nothing_registered()


def test_a_reading_serves_one_registration(world: World, identity_simulator: IdentitySimulatorHandle) -> None:
    reading = read_card(world, person(identity_simulator))
    identity = IdentityCapture(subscriber=DocumentInput(reading=reading))
    line = LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(4))
    registration_start(actor=world.clerk, outlet=world.outlet, kind="open", line=line, identity=identity)
    with pytest.raises(RegistrationRefused) as raised:
        registration_start(
            actor=world.clerk,
            outlet=world.outlet,
            kind="open",
            line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(5)),
            identity=IdentityCapture(subscriber=DocumentInput(reading=Registration.objects.get().subscriber_reading)),
        )
    assert raised.value.code == "reading_used"
    assert Registration.objects.count() == 1


def test_a_typed_passport_is_checked_by_the_rules_and_needs_no_face_match(world: World, checks: Checks) -> None:
    identity, faces = checks
    passport = DocumentInput(document_type="passport", number=PASSPORT_MRZ, name="ERIKSSON ANNA", address="Stockholm")
    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="data_card", payment="postpaid", number=mobile_number(6)),
        identity=IdentityCapture(subscriber=passport),
    )
    registration = registration_check(actor=world.clerk, registration=registration)
    assert (state(registration), registration.subscriber_check, registration.face_score) == (
        "checks_passed",
        "not_applicable",
        None,
    )
    registration_complete(actor=world.clerk, registration=registration)
    assert Subscriber.objects.get().document_number.reveal() == "UTO:L898902C3"
    assert identity.verifications() == []
    assert faces.comparisons() == []


def test_a_mistyped_document_number_names_the_field(world: World) -> None:
    wrong = DocumentInput(document_type="passport", number=PASSPORT_MRZ[:-1] + "9", name="ERIKSSON ANNA", address="x")
    with pytest.raises(RegistrationRefused) as raised:
        registration_start(
            actor=world.clerk,
            outlet=world.outlet,
            kind="open",
            line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(7)),
            identity=IdentityCapture(subscriber=wrong),
        )
    assert (raised.value.code, raised.value.field) == ("document_number_invalid", "subscriber.number")
    nothing_registered()


@pytest.mark.parametrize("reason", ["no_id_shown", "data_withheld", "someone_elses_id", "forged_or_altered_id"])
def test_the_clerk_refuses_for_each_reason(world: World, reason: str) -> None:
    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(8)),
    )
    registration = registration_refuse(actor=world.clerk, registration=registration, reason=reason)
    assert state(registration) == "refused"
    assert registration.refusal_reason == reason
    event = CaseEvent.objects.get(case=registration.case, action="refuse")
    assert event.payload == {"reason": reason}
    assert registration_view(registration, world.clerk).refusal_message
    assert Line.objects.count() == 0


def test_a_clerk_cannot_refuse_with_a_reason_the_checks_decide(world: World) -> None:
    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(9)),
    )
    with pytest.raises(RegistrationRefused) as raised:
        registration_refuse(actor=world.clerk, registration=registration, reason="per_id_limit_reached")
    assert raised.value.code == "reason_invalid"
    assert state(registration) == "started"


@pytest.mark.parametrize(("outcome", "index"), [("name_mismatch", 0), ("number_cancelled", 0)])
def test_an_identity_the_service_does_not_confirm_is_refused(
    world: World, checks: Checks, outcome: str, index: int
) -> None:
    who = person(checks[0], outcome, index)
    registration = start_with_reading(world, who, number=mobile_number(10))
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(who))
    assert state(registration) == "refused"
    assert registration.refusal_reason == "identity_check_failed"
    assert registration.subscriber_check == outcome
    assert Line.objects.count() == 0
    assert len(checks[0].verifications()) == 1


def test_someone_elses_face_goes_to_a_supervisor_who_approves(world: World, checks: Checks) -> None:
    holder, stranger = valid_people(checks[0], 2)
    registration = start_with_reading(world, holder, number=mobile_number(11))
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(stranger))
    assert state(registration) == "awaiting_supervisor"
    assert registration.face_score is not None
    assert registration.face_score < 80
    assert "complete" not in registration_actions(registration, world.clerk)
    assert registration_actions(registration, world.supervisor) == ["approve", "decline", "abandon"]
    with pytest.raises(RegistrationRefused) as raised:
        registration_decide(actor=world.clerk, registration=registration, decision="approve", note="looks fine")
    assert raised.value.code in {"forbidden", "guard"}
    assert state(registration) == "awaiting_supervisor"
    registration = registration_decide(
        actor=world.supervisor,
        registration=registration,
        decision="approve",
        note="Compared the card with the customer in person; new hairstyle.",
        evidence=PDF_BYTES,
    )
    assert state(registration) == "checks_passed"
    assert registration.decided_by == world.supervisor
    assert registration.decision_note is not None
    assert "hairstyle" in registration.decision_note.reveal()
    registration_complete(actor=world.clerk, registration=registration)
    assert Line.objects.count() == 1


def test_a_supervisor_declines_as_someone_elses_id(world: World, checks: Checks) -> None:
    holder, stranger = valid_people(checks[0], 2)
    registration = start_with_reading(world, holder, number=mobile_number(12))
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(stranger))
    registration = registration_decide(
        actor=world.compliance, registration=registration, decision="decline", note="Not the cardholder."
    )
    assert (state(registration), registration.refusal_reason) == ("refused", "someone_elses_id")


def test_nobody_decides_on_a_registration_they_started(world: World, checks: Checks) -> None:
    holder, stranger = valid_people(checks[0], 2)
    registration = start_with_reading(world, holder, number=mobile_number(13), actor=world.supervisor)
    registration = registration_check(
        actor=world.supervisor, registration=registration, live_photo=live_photo(stranger)
    )
    with pytest.raises(RegistrationRefused):
        registration_decide(actor=world.supervisor, registration=registration, decision="approve", note="it is me")
    assert state(registration) == "awaiting_supervisor"


def test_the_identity_services_photo_mismatch_goes_to_a_supervisor(world: World, checks: Checks) -> None:
    who = person(checks[0], "photo_mismatch")
    registration = start_with_reading(world, who, number=mobile_number(14))
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(who))
    assert registration.subscriber_check == "photo_mismatch"
    assert state(registration) == "awaiting_supervisor"


def test_the_face_threshold_is_configurable(world: World, checks: Checks, settings: Any) -> None:
    settings.REGDESK_FACE_MATCH_THRESHOLD = 100
    who = valid_people(checks[0], 1)[0]
    registration = start_with_reading(world, who, number=mobile_number(15))
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(who))
    assert (state(registration), registration.face_threshold) == ("awaiting_supervisor", 100)


def test_a_read_card_needs_the_counter_photo(world: World, checks: Checks) -> None:
    registration = start_with_reading(world, valid_people(checks[0], 1)[0], number=mobile_number(16))
    with pytest.raises(RegistrationRefused) as raised:
        registration_check(actor=world.clerk, registration=registration)
    assert raised.value.code == "live_photo_missing"
    assert state(registration) == "identity_captured"
    assert checks[0].verifications() == []


def test_an_unavailable_identity_service_changes_nothing(world: World, checks: Checks) -> None:
    who = valid_people(checks[0], 1)[0]
    registration = start_with_reading(world, who, number=mobile_number(17))
    checks[0].fail_next(1, status=503)
    with pytest.raises(RegistrationRefused) as raised:
        registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(who))
    assert (raised.value.code, raised.value.transient) == ("identity_service_unavailable", True)
    registration.refresh_from_db()
    assert (state(registration), registration.checked_at) == ("identity_captured", None)
    # The retry carries the same idempotency key and succeeds.
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(who))
    assert state(registration) == "checks_passed"


def test_an_agent_registration_checks_and_records_both_ids(world: World, checks: Checks) -> None:
    subscriber, agent = valid_people(checks[0], 2)
    subscriber_reading = read_card(world, subscriber)
    agent_reading = read_card(world, agent)
    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(18)),
        identity=IdentityCapture(
            subscriber=DocumentInput(reading=subscriber_reading),
            acting_party="agent",
            representative=DocumentInput(reading=agent_reading),
        ),
    )
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(agent))
    assert (registration.subscriber_check, registration.representative_check) == ("match", "match")
    assert state(registration) == "checks_passed"
    registration_complete(actor=world.clerk, registration=registration)
    event = RegistrationEvent.objects.get()
    assert event.acting_party == "agent"
    assert event.subscriber.document_number.reveal() == subscriber["id_number"]
    assert event.representative_document_number is not None
    assert event.representative_document_number.reveal() == agent["id_number"]
    assert event.representative_name is not None
    assert event.representative_name.reveal() == agent["name"]
    assert len(checks[0].verifications()) == 2


def test_an_agent_must_show_their_own_id_too(world: World, identity_simulator: IdentitySimulatorHandle) -> None:
    reading = read_card(world, person(identity_simulator))
    with pytest.raises(RegistrationRefused) as raised:
        registration_start(
            actor=world.clerk,
            outlet=world.outlet,
            kind="open",
            line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(19)),
            identity=IdentityCapture(subscriber=DocumentInput(reading=reading), acting_party="agent"),
        )
    assert raised.value.code == "representative_missing"
    nothing_registered()


def test_an_organisation_registers_through_its_handler_with_the_letter(world: World, checks: Checks) -> None:
    handler = valid_people(checks[0], 1)[0]
    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="postpaid", number=mobile_number(20)),
        identity=IdentityCapture(
            subscriber_kind="organisation",
            subscriber=DocumentInput(
                document_type="uscc", number="91350100M000100Y43", name="福州示例科技有限公司", address="福州市鼓楼区"
            ),
            acting_party="handler",
            representative=DocumentInput(reading=read_card(world, handler)),
        ),
    )
    with pytest.raises(RegistrationRefused) as raised:
        registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(handler))
    assert raised.value.code == "authorisation_letter_missing"
    assert registration.case is not None
    document_attach(
        actor=world.clerk, case=registration.case, kind="authorisation_letter", filename="letter.pdf", content=PDF_BYTES
    )
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(handler))
    assert (registration.subscriber_check, registration.representative_check) == ("not_applicable", "match")
    registration_complete(actor=world.clerk, registration=registration)
    subscriber = Subscriber.objects.get()
    assert (subscriber.kind, subscriber.document_type) == ("organisation", "uscc")
    assert RegistrationEvent.objects.get().acting_party == "handler"


def test_an_organisation_without_a_handler_is_refused(world: World) -> None:
    with pytest.raises(RegistrationRefused) as raised:
        registration_start(
            actor=world.clerk,
            outlet=world.outlet,
            kind="open",
            line=LineRequest(line_kind="mobile", payment="postpaid", number=mobile_number(21)),
            identity=IdentityCapture(
                subscriber_kind="organisation",
                subscriber=DocumentInput(document_type="uscc", number="91350100M000100Y43", name="某公司", address="x"),
            ),
        )
    assert raised.value.code == "handler_required"
    nothing_registered()


@pytest.mark.parametrize("status", [AgentStatus.SUSPENDED, AgentStatus.BLACKLISTED])
def test_an_agent_that_is_suspended_or_blacklisted_registers_nothing(world: World, checks: Checks, status: str) -> None:
    who = valid_people(checks[0], 1)[0]
    agent_status_set(actor=world.compliance, agent_unit=world.agent_unit, status=status, reason="bulk card opening")
    with pytest.raises(RegistrationRefused) as raised:
        start_with_reading(world, who, number=mobile_number(22), actor=world.agent_staff, outlet=world.agent_outlet)
    assert raised.value.code == f"agent_{status}"
    nothing_registered()


def test_an_agent_suspended_during_a_registration_cannot_complete_it(world: World, checks: Checks) -> None:
    who = valid_people(checks[0], 1)[0]
    registration = start_with_reading(
        world, who, number=mobile_number(23), actor=world.agent_staff, outlet=world.agent_outlet
    )
    registration = registration_check(actor=world.agent_staff, registration=registration, live_photo=live_photo(who))
    agent_status_set(actor=world.compliance, agent_unit=world.agent_unit, status="suspended", reason="under review")
    with pytest.raises(RegistrationRefused) as raised:
        registration_complete(actor=world.agent_staff, registration=registration)
    assert raised.value.code == "agent_suspended"
    assert state(registration) == "checks_passed"
    assert Line.objects.count() == 0


def test_a_blacklisted_agent_is_not_reinstated(world: World) -> None:
    agent_status_set(actor=world.compliance, agent_unit=world.agent_unit, status="blacklisted", reason="card farming")
    with pytest.raises(RegistrationRefused) as raised:
        agent_status_set(actor=world.compliance, agent_unit=world.agent_unit, status="active", reason="appeal")
    assert raised.value.code == "agent_blacklisted"


def test_a_clerk_of_another_outlet_cannot_register_here(world: World, identity_simulator: Any) -> None:
    with pytest.raises(RegistrationRefused) as raised:
        registration_start(
            actor=world.other_clerk,
            outlet=world.outlet,
            kind="open",
            line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(24)),
        )
    assert raised.value.code == "forbidden"
    nothing_registered()


def test_a_number_in_use_is_refused(world: World, checks: Checks) -> None:
    register(world, valid_people(checks[0], 1)[0], mobile_number(25))
    with pytest.raises(RegistrationRefused) as raised:
        registration_start(
            actor=world.clerk,
            outlet=world.outlet,
            kind="open",
            line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(25)),
        )
    assert (raised.value.code, raised.value.field) == ("number_taken", "line.number")


def test_transfer_gives_the_line_to_its_new_holder(world: World, checks: Checks) -> None:
    old, new = valid_people(checks[0], 2)
    register(world, old, mobile_number(26))
    line = Line.objects.get()
    registration = registration_start(
        actor=world.other_clerk,
        outlet=world.other_outlet,
        kind="transfer",
        line=LineRequest(target_line=line),
        identity=IdentityCapture(
            subscriber=DocumentInput(reading=read_card(world, new, device=world.other_device, actor=world.other_clerk))
        ),
    )
    registration = registration_check(actor=world.other_clerk, registration=registration, live_photo=live_photo(new))
    registration_complete(actor=world.other_clerk, registration=registration)
    line.refresh_from_db()
    assert line.subscriber is not None
    assert line.subscriber.document_number.reveal() == new["id_number"]
    event = RegistrationEvent.objects.get(kind="transfer")
    assert event.previous_subscriber is not None
    assert event.previous_subscriber.document_number.reveal() == old["id_number"]


def test_re_registration_restores_a_suspended_unregistered_line(world: World, checks: Checks) -> None:
    from regdesk.subscribers.services import line_take_over

    line = line_take_over(
        actor=None,
        outlet=world.outlet,
        number=mobile_number(27),
        line_kind="mobile",
        payment="prepaid",
        status="one_way_suspended",
        real_name_state="temporary_account",
    )
    who = valid_people(checks[0], 1)[0]
    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="re_registration",
        line=LineRequest(target_line=line),
        identity=IdentityCapture(subscriber=DocumentInput(reading=read_card(world, who))),
    )
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(who))
    registration_complete(actor=world.clerk, registration=registration)
    line.refresh_from_db()
    assert (line.status, line.real_name_state) == (LineStatus.ACTIVE, RealNameState.REGISTERED)


def test_a_fixed_line_is_installed_and_moved_by_its_holder_only(world: World, checks: Checks) -> None:
    holder, other = valid_people(checks[0], 2)
    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="fixed_install",
        line=LineRequest(payment="postpaid", number="01062345678", installation_address="北京市朝阳区建国路1号"),
        identity=IdentityCapture(subscriber=DocumentInput(reading=read_card(world, holder))),
    )
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(holder))
    registration_complete(actor=world.clerk, registration=registration)
    line = Line.objects.get()
    assert line.kind == "fixed"
    with pytest.raises(RegistrationRefused) as raised:
        registration_start(
            actor=world.clerk,
            outlet=world.outlet,
            kind="fixed_move",
            line=LineRequest(target_line=line, installation_address="北京市海淀区中关村大街2号"),
            identity=IdentityCapture(subscriber=DocumentInput(reading=read_card(world, other))),
        )
    assert raised.value.code == "not_the_holder"
    move = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="fixed_move",
        line=LineRequest(target_line=line, installation_address="北京市海淀区中关村大街2号"),
        identity=IdentityCapture(subscriber=DocumentInput(reading=read_card(world, holder))),
    )
    move = registration_check(actor=world.clerk, registration=move, live_photo=live_photo(holder))
    registration_complete(actor=world.clerk, registration=move)
    line.refresh_from_db()
    assert line.installation_address is not None
    assert line.installation_address.reveal() == "北京市海淀区中关村大街2号"


def test_an_abandoned_registration_is_closed(world: World) -> None:
    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(28)),
    )
    registration = registration_abandon(actor=world.clerk, registration=registration)
    assert state(registration) == "abandoned"
    with pytest.raises(RegistrationRefused) as raised:
        registration_refuse(actor=world.clerk, registration=registration, reason="no_id_shown")
    assert raised.value.code == "wrong_state"


def test_the_generic_case_api_cannot_skip_the_registration_services(world: World) -> None:
    from regdesk.cases.services import TransitionRefused, case_transition

    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(29)),
    )
    assert registration.case is not None
    with pytest.raises(TransitionRefused) as raised:
        case_transition(actor=world.clerk, case=registration.case, action="capture_identity")
    assert raised.value.code == "guard"
    with pytest.raises(TransitionRefused):
        case_transition(actor=world.clerk, case=registration.case, action="refuse", payload={"reason": "no_id_shown"})
    assert state(registration) == "started"


def test_a_military_id_is_looked_at_by_a_supervisor(world: World, checks: Checks) -> None:
    military = DocumentInput(document_type="military_id", number="军字第2001988号", name="王强", address="北京市海淀区")
    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(30)),
        identity=IdentityCapture(subscriber=military),
    )
    registration = registration_check(actor=world.clerk, registration=registration)
    assert (state(registration), registration.subscriber_check) == ("awaiting_supervisor", "manual_review")
    assert checks[0].verifications() == []


def test_a_registration_left_at_the_counter_lapses_after_a_day(world: World) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from regdesk.cases.services import clock_sweep

    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(31)),
    )
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        clock_sweep()
    assert state(registration) == "abandoned"
