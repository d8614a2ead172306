"""The process ``icp.new_filing`` v1 against the table of DOMAIN.md §1.4: every action from every state, allowed or
refused with its reason, and who may take it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation

from regdesk.accounts.models import User
from regdesk.accounts.roles import Role
from regdesk.audit.models import AuditEvent
from regdesk.cases.definitions import SYSTEM, get_process
from regdesk.cases.models import Case, CaseEvent
from regdesk.cases.selectors import allowed_actions
from regdesk.cases.services import CaseRefused, TransitionRefused, case_transition
from regdesk.filings.errors import FilingRefused, FilingValidationError
from regdesk.filings.models import Filing, FilingState
from regdesk.filings.services import (
    filing_action,
    filing_regulator_result_record,
    filing_regulator_return_record,
    filing_submit_to_regulator,
)
from tests.filings.builders import (
    World,
    awaiting_onsite,
    case_of,
    complete_onsite,
    contacts_verified,
    draft,
    submitted,
    verified,
)
from tests.fixtures.simulators import IdentitySimulatorHandle, RegistrySimulatorHandle

pytestmark = pytest.mark.django_db

OWNER, SPECIALIST = Role.WEBSITE_OWNER, Role.SPECIALIST
S = FilingState
# DOMAIN.md §1.4: state → {action: (roles, target)}.
TABLE: dict[str, dict[str, tuple[set[str], str]]] = {
    S.DRAFT: {"submit": ({OWNER, SPECIALIST}, S.SUBMITTED), "withdraw": ({OWNER}, S.WITHDRAWN)},
    S.SUBMITTED: {
        "return_for_changes": ({SPECIALIST}, S.NEEDS_CHANGES),
        "send_onsite_notice": ({SPECIALIST}, S.AWAITING_ONSITE),
        "reject": ({SPECIALIST}, S.REJECTED),
        "withdraw": ({OWNER}, S.WITHDRAWN),
    },
    S.NEEDS_CHANGES: {"submit": ({OWNER, SPECIALIST}, S.SUBMITTED), "withdraw": ({OWNER}, S.WITHDRAWN)},
    S.AWAITING_ONSITE: {
        "record_onsite_verification": ({SPECIALIST}, S.VERIFIED),
        "withdraw": ({OWNER}, S.WITHDRAWN),
        "lapse": ({SYSTEM}, S.LAPSED),
    },
    S.VERIFIED: {"submit_to_regulator": ({SPECIALIST}, S.SUBMITTED_TO_REGULATOR), "reject": ({SPECIALIST}, S.REJECTED)},
    S.SUBMITTED_TO_REGULATOR: {
        "record_regulator_result": ({SYSTEM}, S.APPROVED),
        "record_regulator_return": ({SYSTEM}, S.REGULATOR_RETURNED),
    },
    S.REGULATOR_RETURNED: {
        "return_for_changes": ({SPECIALIST}, S.NEEDS_CHANGES),
        "send_onsite_notice": ({SPECIALIST}, S.AWAITING_ONSITE),
        "submit_to_regulator": ({SPECIALIST}, S.SUBMITTED_TO_REGULATOR),
        "reject": ({SPECIALIST}, S.REJECTED),
    },
    S.APPROVED: {},
    S.REJECTED: {},
    S.WITHDRAWN: {},
    S.LAPSED: {},
}
PERSON_ACTIONS = [
    "submit",
    "withdraw",
    "return_for_changes",
    "send_onsite_notice",
    "reject",
    "record_onsite_verification",
    "submit_to_regulator",
]
PAYLOADS: dict[str, dict[str, Any]] = {
    "return_for_changes": {"reasons": {"websites[0].name": "网站名称应体现网站内容。"}},
    "reject": {"reason": "证件不真实。"},
}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Refusals are read in English here (Chinese is the default language)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _checking_services(
    use_identity_simulator: IdentitySimulatorHandle, use_registry_simulator: RegistrySimulatorHandle
) -> None:
    """The on-site checks of the filings built here run against the simulators."""


def _record_numbers(filing: Filing) -> dict[str, Any]:
    return {
        "owner_record_number": "沪ICP备2026000001号",
        "website_record_numbers": {
            str(site.pk): f"沪ICP备2026000001号-{n}" for n, site in enumerate(filing.websites.all(), 1)
        },
    }


def _in_state(world: World, state: str) -> Filing:
    """A filing in ``state``, reached through the services (system actions as the handlers and sweep take them)."""
    if state == S.DRAFT:
        return draft(world)
    if state == S.SUBMITTED:
        return submitted(world)
    if state == S.NEEDS_CHANGES:
        return filing_action(
            actor=world.specialist,
            filing=submitted(world),
            action="return_for_changes",
            payload=PAYLOADS["return_for_changes"],
        )
    if state == S.AWAITING_ONSITE:
        return awaiting_onsite(world)
    if state == S.VERIFIED:
        return verified(world)
    if state == S.SUBMITTED_TO_REGULATOR:
        return filing_submit_to_regulator(actor=world.specialist, filing=verified(world))
    if state == S.REGULATOR_RETURNED:
        filing = filing_submit_to_regulator(actor=world.specialist, filing=verified(world))
        return filing_regulator_return_record(
            filing=filing, codes=[{"code": 1002, "description": "退回"}], opinion="请修改"
        )
    if state == S.APPROVED:
        filing = filing_submit_to_regulator(actor=world.specialist, filing=verified(world))
        numbers = _record_numbers(filing)
        return filing_regulator_result_record(
            filing=filing,
            owner_record_number=numbers["owner_record_number"],
            website_record_numbers=numbers["website_record_numbers"],
        )
    if state == S.REJECTED:
        return filing_action(
            actor=world.specialist, filing=submitted(world), action="reject", payload=PAYLOADS["reject"]
        )
    if state == S.WITHDRAWN:
        return filing_action(actor=world.owner, filing=draft(world), action="withdraw")
    if state == S.LAPSED:
        filing = awaiting_onsite(world)
        case_transition(actor=None, case=case_of(filing), action="lapse", payload={"clock": "onsite", "rung": "breach"})
        filing.refresh_from_db()
        return filing
    raise AssertionError(state)


def _snapshot(filing: Filing) -> tuple[Any, ...]:
    case = Case.objects.get(pk=case_of(filing).pk)
    return (
        case.state,
        Filing.objects.get(pk=filing.pk).state,
        CaseEvent.objects.filter(case=case).count(),
        AuditEvent.objects.count(),
    )


def _refused(call: Callable[[], object], filing: Filing) -> CaseRefused:
    before = _snapshot(filing)
    with pytest.raises(CaseRefused) as raised:
        call()
    assert _snapshot(filing) == before, "a refused action changed something"
    assert raised.value.message.strip(), "a refusal must say why"
    return raised.value


def _taking(actor: User, filing: Filing, action: str) -> Callable[[], Filing]:
    def take() -> Filing:
        return filing_action(actor=actor, filing=filing, action=action, payload=PAYLOADS.get(action))

    return take


def _actor(world: World, roles: set[str]) -> User:
    return world.owner if OWNER in roles and SPECIALIST not in roles else world.specialist


def test_the_definition_is_the_table() -> None:
    definition = get_process("icp.new_filing", 1)
    assert set(definition.states) == set(TABLE)
    assert set(definition.terminal_states) == {S.APPROVED, S.REJECTED, S.WITHDRAWN, S.LAPSED}
    found: dict[str, dict[str, tuple[set[str], str]]] = {state: {} for state in TABLE}
    for transition in definition.transitions:
        for source in transition.sources:
            found[source][transition.name] = ({str(role) for role in transition.roles}, transition.target)
    assert found == TABLE


@pytest.mark.parametrize("state", list(TABLE))
def test_actions_that_do_not_leave_a_state_are_refused_with_the_state_named(world: World, state: str) -> None:
    filing = _in_state(world, state)
    assert filing.state == state
    for action in PERSON_ACTIONS:
        if action in TABLE[state]:
            continue
        refusal = _refused(_taking(world.specialist, filing, action), filing)
        assert refusal.code in ("wrong_state", "role"), (state, action, refusal.code)
        if refusal.code == "wrong_state":
            assert state in refusal.message


ALLOWED = [
    (state, action)
    for state, actions in TABLE.items()
    for action, (roles, _target) in actions.items()
    if SYSTEM not in roles
]


@pytest.mark.parametrize(("state", "action"), ALLOWED, ids=[f"{state}-{action}" for state, action in ALLOWED])
def test_each_allowed_action_moves_the_case_for_its_roles_only(world: World, state: str, action: str) -> None:
    filing = _in_state(world, state)
    roles, target = TABLE[state][action]
    # The wrong people are refused first, and change nothing.
    outsiders = [world.auditor, world.other_specialist, world.other_owner]
    outsiders += [world.specialist] if SPECIALIST not in roles else []
    outsiders += [world.owner] if OWNER not in roles else []
    for outsider in outsiders:
        refusal = _refused(_taking(outsider, filing, action), filing)
        assert refusal.code in ("role", "guard"), (outsider, refusal.code, refusal.message)
    # Guards the data still fails are explained: the on-site notice needs the contacts verified, the recording
    # of the on-site verification needs every part of it.
    if state == S.SUBMITTED and action == "send_onsite_notice":
        refusal = _refused(lambda: filing_action(actor=world.specialist, filing=filing, action=action), filing)
        assert (refusal.code, "contact" in refusal.message) == ("guard", True)
        contacts_verified(world, filing)
    if action == "record_onsite_verification":
        refusal = _refused(lambda: filing_action(actor=world.specialist, filing=filing, action=action), filing)
        assert refusal.code == "guard"
        complete_onsite(world, filing)
    actor = _actor(world, roles)
    assert action in [transition.name for transition in allowed_actions(case_of(filing), actor)]
    moved = filing_action(actor=actor, filing=filing, action=action, payload=PAYLOADS.get(action))
    assert moved.state == target
    assert Case.objects.get(pk=case_of(filing).pk).state == target
    event = CaseEvent.objects.filter(case_id=case_of(filing).pk).order_by("-pk").first()
    assert event is not None
    assert (event.action, event.to_state) == (action, target)


@pytest.mark.parametrize("action", ["lapse", "record_regulator_result", "record_regulator_return"])
def test_the_systems_actions_are_refused_to_people(world: World, action: str) -> None:
    filing = _in_state(world, S.SUBMITTED_TO_REGULATOR if action != "lapse" else S.AWAITING_ONSITE)
    refusal = _refused(lambda: filing_action(actor=world.specialist, filing=filing, action=action), filing)
    assert refusal.code == "role"
    assert "system" in refusal.message


def test_a_specialist_submits_for_the_owner(world: World) -> None:
    filing = draft(world)
    assert filing_action(actor=world.specialist, filing=filing, action="submit").state == S.SUBMITTED


def test_another_owner_cannot_withdraw_and_does_not_see_the_action(world: World) -> None:
    filing = submitted(world)
    assert "withdraw" not in [t.name for t in allowed_actions(case_of(filing), world.other_owner)]
    refusal = _refused(lambda: filing_action(actor=world.other_owner, filing=filing, action="withdraw"), filing)
    assert refusal.code == "guard"
    assert "website owner who applied" in refusal.message


def test_on_site_verification_is_refused_with_what_is_missing(world: World) -> None:
    filing = awaiting_onsite(world)
    refusal = _refused(
        lambda: filing_action(actor=world.specialist, filing=filing, action="record_onsite_verification"), filing
    )
    assert refusal.code == "guard"
    assert "on-site verification has been started" in refusal.message


def test_a_return_needs_a_reason_for_each_field(world: World) -> None:
    filing = submitted(world)
    before = _snapshot(filing)
    with pytest.raises(FilingValidationError) as raised:
        filing_action(
            actor=world.specialist,
            filing=filing,
            action="return_for_changes",
            payload={"reasons": {"websites[0].name": " ", "owner.shoe_size": "x"}},
        )
    assert raised.value.codes == {
        "reasons.websites[0].name": ["return_reason_required"],
        "reasons.owner.shoe_size": ["return_field_unknown"],
    }
    assert _snapshot(filing) == before
    # Through the kernel (the cases API), the guard refuses as well.
    refusal = _refused(
        lambda: case_transition(
            actor=world.specialist,
            case=case_of(filing),
            action="return_for_changes",
            payload={},
        ),
        filing,
    )
    assert refusal.code == "guard"


def test_a_rejection_needs_its_reason(world: World) -> None:
    filing = submitted(world)
    refusal = _refused(
        lambda: filing_action(actor=world.specialist, filing=filing, action="reject", payload={}), filing
    )
    assert refusal.code == "guard"


def test_submitting_to_the_regulator_outside_the_service_is_refused(world: World) -> None:
    filing = verified(world)
    refusal = _refused(
        lambda: case_transition(actor=world.specialist, case=case_of(filing), action="submit_to_regulator"), filing
    )
    assert refusal.code == "guard"


def test_the_owner_cannot_act_for_the_specialist(world: World) -> None:
    filing = submitted(world)
    refusal = _refused(
        lambda: filing_action(actor=world.owner, filing=filing, action="reject", payload={"reason": "x"}), filing
    )
    assert isinstance(refusal, FilingRefused | TransitionRefused)
    assert refusal.code == "role"


def test_terminal_cases_are_closed_and_their_clocks_stopped(world: World) -> None:
    filing = _in_state(world, S.WITHDRAWN)
    case = Case.objects.get(pk=case_of(filing).pk)
    assert case.is_open is False
    assert not case.clocks.filter(state="running").exists()


def test_refusals_are_in_chinese_by_default(world: World) -> None:
    filing = submitted(world)
    with translation.override("zh-hans"):
        refusal = _refused(
            lambda: filing_action(actor=world.specialist, filing=filing, action="send_onsite_notice"), filing
        )
    assert "联系方式尚未核实" in refusal.message
