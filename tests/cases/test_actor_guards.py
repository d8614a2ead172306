"""Actor guards: an action reserved to one particular holder of a role (a case's own applicant)."""

from __future__ import annotations

import pytest

from regdesk.accounts.models import User
from regdesk.accounts.roles import Role
from regdesk.cases.definitions import (
    ActorGuard,
    ProcessDefinition,
    Transition,
    get_process,
    register_process,
)
from regdesk.cases.models import Case, CaseEvent
from regdesk.cases.selectors import allowed_actions
from regdesk.cases.services import TransitionRefused, case_start, case_transition
from tests.accounts.helpers import make_user
from tests.cases.conftest import World

# The user allowed to act as the applicant, kept in the test (a real process reads its own subject).
APPLICANTS: dict[int, int] = {}


def applicant_only(case: Case, actor: User | None, role: str) -> str | None:
    if role != Role.WEBSITE_OWNER:
        return None
    if actor is None or APPLICANTS.get(case.pk) != actor.pk:
        return "Only the applicant of this case may do this."
    return None


OWNED = register_process(
    ProcessDefinition(
        key="example.owned",
        version=1,
        reference_prefix="EXO",
        states=("open", "withdrawn", "closed"),
        initial_state="open",
        terminal_states=("withdrawn", "closed"),
        transitions=(
            Transition(
                "withdraw",
                sources=("open",),
                target="withdrawn",
                roles=(Role.WEBSITE_OWNER,),
                actor_guards=(ActorGuard("applicant_only", applicant_only),),
            ),
            Transition(
                "close",
                sources=("open",),
                target="closed",
                roles=(Role.WEBSITE_OWNER, Role.SPECIALIST),
                actor_guards=(ActorGuard("applicant_only", applicant_only),),
            ),
        ),
    )
)


@pytest.fixture
def owners(world: World) -> tuple[User, User]:
    return (
        make_user("applicant", (world.provider, Role.WEBSITE_OWNER)),
        make_user("other-owner", (world.provider, Role.WEBSITE_OWNER)),
    )


def _case(world: World, applicant: User) -> Case:
    case = case_start(actor=applicant, process_key=OWNED.key, unit=world.outlet)
    APPLICANTS[case.pk] = applicant.pk
    return case


def test_another_holder_of_the_role_is_refused_and_nothing_changes(world: World, owners: tuple[User, User]) -> None:
    applicant, other = owners
    case = _case(world, applicant)
    with pytest.raises(TransitionRefused) as raised:
        case_transition(actor=other, case=case, action="withdraw")
    assert raised.value.code == "guard"
    assert raised.value.message == "Only the applicant of this case may do this."
    assert Case.objects.get(pk=case.pk).state == "open"
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True)) == ["start"]
    assert [transition.name for transition in allowed_actions(case, other)] == []


def test_the_applicant_may_act_and_sees_the_action(world: World, owners: tuple[User, User]) -> None:
    applicant, _other = owners
    case = _case(world, applicant)
    assert [transition.name for transition in allowed_actions(case, applicant)] == ["withdraw", "close"]
    case_transition(actor=applicant, case=case, action="withdraw")
    event = CaseEvent.objects.get(case=case, action="withdraw")
    assert (event.role, case.state) == (Role.WEBSITE_OWNER, "withdrawn")


def test_a_role_the_guard_does_not_restrict_is_picked(world: World, owners: tuple[User, User]) -> None:
    applicant, _other = owners
    case = _case(world, applicant)
    assert [transition.name for transition in allowed_actions(case, world.specialist)] == ["close"]
    case_transition(actor=world.specialist, case=case, action="close")
    assert CaseEvent.objects.get(case=case, action="close").role == Role.SPECIALIST


def test_a_named_role_whose_guard_fails_is_refused(world: World, owners: tuple[User, User]) -> None:
    applicant, other = owners
    case = _case(world, applicant)
    with pytest.raises(TransitionRefused) as raised:
        case_transition(actor=other, case=case, action="close", role=Role.WEBSITE_OWNER)
    assert raised.value.code == "guard"


def test_actor_guards_are_named_in_the_snapshot_only_when_present() -> None:
    snapshot = get_process("example.owned", 1).snapshot()
    assert [transition["actor_guards"] for transition in snapshot["transitions"]] == [
        ["applicant_only"],
        ["applicant_only"],
    ]
    review = get_process("example.review", 1).snapshot()
    assert all("actor_guards" not in transition for transition in review["transitions"])
