"""``case_start`` and ``case_transition``: roles, guards, states, history, reference numbers, process versions."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from regdesk.accounts.roles import Role
from regdesk.audit.models import AuditEvent
from regdesk.cases.definitions import (
    DefinitionError,
    ProcessDefinition,
    Transition,
    get_process,
    register_process,
)
from regdesk.cases.models import Case, CaseEvent, ProcessVersion
from regdesk.cases.models.case import AppendOnlyError
from regdesk.cases.selectors import allowed_actions
from regdesk.cases.services import (
    TransitionRefused,
    case_assign,
    case_start,
    case_transition,
    process_version_record,
)
from regdesk.cases.services.errors import CaseRefused
from tests.cases import processes
from tests.cases.conftest import World, start_case, submitted_case


def _refusal(world: World, case: Case, action: str, **kwargs: object) -> TransitionRefused:
    before = (Case.objects.get(pk=case.pk).state, CaseEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(TransitionRefused) as raised:
        case_transition(case=case, action=action, **kwargs)  # type: ignore[arg-type]
    after = (Case.objects.get(pk=case.pk).state, CaseEvent.objects.count(), AuditEvent.objects.count())
    assert after == before, "a refused action changed something"
    return raised.value


def test_start_pins_version_numbers_reference_and_records_history(world: World) -> None:
    case = start_case(world)
    year = timezone.localtime().year
    assert case.reference == f"EXR-{year}-000001"
    assert (case.process_key, case.process_version, case.state, case.is_open) == ("example.review", 1, "draft", True)
    [event] = CaseEvent.objects.filter(case=case)
    assert (event.action, event.from_state, event.to_state, event.actor) == ("start", "", "draft", world.specialist)
    assert AuditEvent.objects.filter(action="case.start", object_id=str(case.pk)).count() == 1
    assert ProcessVersion.objects.get(key="example.review", version=1).snapshot == processes.REVIEW.snapshot()
    assert start_case(world).reference == f"EXR-{year}-000002"


def test_a_rolled_back_case_gives_its_reference_number_back(world: World) -> None:
    start_case(world)

    def start_then_fail() -> None:
        with transaction.atomic():
            start_case(world)
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        start_then_fail()
    assert start_case(world).reference.endswith("-000002")


def test_transition_moves_the_case_and_writes_event_and_audit(world: World) -> None:
    case = submitted_case(world)
    assert case.state == "waiting"
    moved = case_transition(
        actor=world.compliance, case=case, action="approve", payload={"note": "complete", "phone": "13800138000"}
    )
    assert moved.state == "done"
    assert case.state == "done"
    assert not Case.objects.get(pk=case.pk).is_open
    event = CaseEvent.objects.filter(case=case).last()
    assert event is not None
    assert (event.action, event.from_state, event.to_state, event.role) == (
        "approve",
        "waiting",
        "done",
        "compliance_officer",
    )
    # Only the payload keys the transition records reach the history.
    assert event.payload == {"note": "complete"}
    audit = AuditEvent.objects.filter(action="case.transition", object_id=str(case.pk)).last()
    assert audit is not None
    assert audit.changes == {"action": "approve", "from": "waiting", "to": "done"}
    assert audit.role == "compliance_officer"


def test_wrong_state_is_refused(world: World) -> None:
    case = start_case(world)
    refusal = _refusal(world, case, "approve", actor=world.compliance, payload={"note": "x"})
    assert refusal.code == "wrong_state"
    assert "draft" in refusal.message


def test_unknown_action_is_refused(world: World) -> None:
    refusal = _refusal(world, start_case(world), "teleport", actor=world.specialist)
    assert refusal.code == "unknown_action"


@pytest.mark.parametrize("who", ["compliance", "other_clerk", "outsider"])
def test_roles_are_refused(world: World, who: str) -> None:
    case = start_case(world)
    from regdesk.cases.services import document_attach
    from tests.cases.conftest import PDF_BYTES

    document_attach(actor=world.specialist, case=case, kind="form", filename="a.pdf", content=PDF_BYTES)
    refusal = _refusal(world, case, "submit", actor=getattr(world, who))
    assert refusal.code == "role"
    assert "submit" in refusal.message


def test_a_role_the_actor_does_not_hold_is_refused(world: World) -> None:
    case = submitted_case(world)
    refusal = _refusal(world, case, "withdraw", actor=world.specialist, role=Role.COMPLIANCE_OFFICER)
    assert refusal.code == "role"
    case_transition(actor=world.specialist, case=case, action="withdraw", role=Role.SPECIALIST)
    assert case.state == "withdrawn"


def test_system_actions_only_for_the_system_and_people_actions_only_for_people(world: World) -> None:
    case = submitted_case(world)
    assert _refusal(world, case, "lapse", actor=world.specialist).code == "role"
    assert _refusal(world, case, "withdraw", actor=None).code == "role"
    case_transition(actor=None, case=case, action="lapse")
    event = CaseEvent.objects.filter(case=case).last()
    assert event is not None
    assert (event.action, event.role, event.actor) == ("lapse", "system", None)


def test_guard_refusal_names_the_reason(world: World) -> None:
    case = start_case(world)
    refusal = _refusal(world, case, "submit", actor=world.specialist)
    assert (refusal.code, refusal.message) == ("guard", "Attach the application form first.")
    waiting = submitted_case(world)
    refusal = _refusal(world, waiting, "approve", actor=world.compliance, payload={"note": "  "})
    assert (refusal.code, refusal.message) == ("guard", "Give a note with the decision.")


def test_refusal_messages_are_translated(world: World) -> None:
    from django.utils import translation

    case = start_case(world)
    with translation.override("zh-hans"):
        refusal = _refusal(world, case, "approve", actor=world.compliance, payload={"note": "x"})
    assert refusal.code == "wrong_state"
    assert "状态" in refusal.message


def test_allowed_actions_follow_state_role_and_guards(world: World) -> None:
    case = start_case(world)
    # The guard of "submit" fails without a document; "withdraw" has none.
    assert [t.name for t in allowed_actions(case, world.specialist)] == ["withdraw"]
    waiting = submitted_case(world)
    assert [t.name for t in allowed_actions(waiting, world.specialist)] == ["request_supplement", "withdraw"]
    # The payload guard of "approve" is left to case_transition.
    assert [t.name for t in allowed_actions(waiting, world.compliance)] == ["approve"]
    assert allowed_actions(waiting, world.other_clerk) == []
    assert allowed_actions(waiting, world.outsider) == []
    assert allowed_actions(waiting, None) == []


def test_history_is_append_only(world: World) -> None:
    case = submitted_case(world)
    event = CaseEvent.objects.filter(case=case).first()
    assert event is not None
    event.to_state = "done"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=case).update(to_state="done")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=case).delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.bulk_update([event], ["to_state"])
    with pytest.raises(ProtectedError):
        Case.objects.filter(pk=case.pk).delete()
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True)) == ["start", "submit"]


def test_assign_records_history_and_refuses_non_staff(world: World) -> None:
    case = start_case(world)
    case_assign(actor=world.compliance, case=case, assignee=world.specialist)
    assert Case.objects.get(pk=case.pk).assignee == world.specialist
    assert CaseEvent.objects.filter(case=case, action="assign").count() == 1
    with pytest.raises(CaseRefused) as raised:
        case_assign(actor=world.compliance, case=case, assignee=world.other_clerk)
    assert raised.value.code == "assignee"
    assert Case.objects.get(pk=case.pk).assignee == world.specialist


def test_a_changed_definition_needs_a_new_version(world: World) -> None:
    start_case(world)
    changed = replace(
        processes.REVIEW,
        transitions=(*processes.REVIEW.transitions, Transition("reopen", ("waiting",), "draft", (Role.SPECIALIST,))),
    )
    with pytest.raises(DefinitionError):
        register_process(changed)
    with pytest.raises(DefinitionError):
        process_version_record(definition=changed)
    # Registering the same definition again is harmless; a new version is accepted and used by new cases.
    register_process(processes.REVIEW)
    version_two = register_process(replace(changed, version=2))
    try:
        newer = case_start(actor=world.specialist, process_key="example.review", unit=world.outlet)
        assert newer.process_version == 2
        older = case_start(actor=world.specialist, process_key="example.review", unit=world.outlet, version=1)
        assert older.process_version == 1
        assert ProcessVersion.objects.filter(key="example.review").count() == 2
    finally:
        from regdesk.cases import definitions

        definitions._registry.pop((version_two.key, version_two.version))
    assert get_process("example.review").version == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"initial_state": "nowhere"},
        {"terminal_states": ("nowhere",)},
        {"reference_prefix": "exr"},
        {"transitions": (Transition("go", ("draft",), "nowhere", (Role.SPECIALIST,)),)},
        {"transitions": (Transition("go", ("draft",), "done", ("janitor",)),)},
        {"transitions": (Transition("start", ("draft",), "done", (Role.SPECIALIST,)),)},
        {"transitions": (Transition("go", ("done",), "draft", (Role.SPECIALIST,)),)},
    ],
)
def test_inconsistent_definitions_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(DefinitionError):
        ProcessDefinition(**{**_definition_fields(), **changes})  # type: ignore[arg-type]


def _definition_fields() -> dict[str, object]:
    return {
        "key": "example.tiny",
        "version": 1,
        "reference_prefix": "TINY",
        "states": ("draft", "done"),
        "initial_state": "draft",
        "terminal_states": ("done",),
        "transitions": (Transition("finish", ("draft",), "done", (Role.SPECIALIST,)),),
    }
