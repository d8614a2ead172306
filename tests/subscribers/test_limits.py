"""The per-ID limit (DOMAIN.md §2): an ID holding 5 lines gets no sixth, even when registrations race."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from regdesk.cases.models import Case
from regdesk.subscribers.models import Line, LineStatus, Registration
from regdesk.subscribers.services import (
    HolderRecord,
    RegistrationRefused,
    line_status_change,
    line_take_over,
    registration_check,
    registration_complete,
)
from tests.fixtures.simulators import FaceMatchSimulatorHandle, IdentitySimulatorHandle
from tests.subscribers.conftest import World, live_photo, mobile_number, start_with_reading, valid_people

Checks = tuple[IdentitySimulatorHandle, FaceMatchSimulatorHandle]


def holding(world: World, who: dict[str, Any], count: int, first: int = 100) -> list[Line]:
    """``count`` lines already registered to ``who`` (taken over from an earlier system)."""
    holder = HolderRecord(
        kind="individual", document_type="resident_id", number=who["id_number"], name=who["name"], address="北京市"
    )
    return [
        line_take_over(
            actor=None,
            outlet=world.outlet,
            number=mobile_number(first + serial),
            line_kind="mobile",
            payment="prepaid",
            status="active",
            real_name_state="registered",
            holder=holder,
        )
        for serial in range(count)
    ]


def checked(world: World, who: dict[str, Any], number: str) -> Registration:
    registration = start_with_reading(world, who, number=number)
    return registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(who))


def state(registration: Registration) -> str:
    assert registration.case_id is not None
    return Case.objects.get(pk=registration.case_id).state


@pytest.mark.django_db
def test_the_fifth_line_is_given_and_the_sixth_refused(world: World, checks: Checks) -> None:
    who = valid_people(checks[0], 1)[0]
    holding(world, who, 4)
    fifth = registration_complete(actor=world.clerk, registration=checked(world, who, mobile_number(1)))
    assert state(fifth) == "registered"
    sixth = checked(world, who, mobile_number(2))
    # Refused before any check is paid for.
    assert (state(sixth), sixth.refusal_reason) == ("refused", "per_id_limit_reached")
    assert sixth.subscriber_check == ""
    assert Line.objects.filter(status=LineStatus.ACTIVE).count() == 5


@pytest.mark.django_db
def test_the_limit_holds_at_completion_when_lines_arrived_meanwhile(world: World, checks: Checks) -> None:
    who = valid_people(checks[0], 1)[0]
    holding(world, who, 4)
    first = checked(world, who, mobile_number(3))
    second = checked(world, who, mobile_number(4))
    assert state(first) == state(second) == "checks_passed"
    registration_complete(actor=world.clerk, registration=first)
    second = registration_complete(actor=world.clerk, registration=second)
    assert (state(second), second.refusal_reason) == ("refused", "per_id_limit_reached")
    assert Line.objects.count() == 5


@pytest.mark.django_db
def test_cancelled_lines_do_not_count_but_suspended_ones_do(world: World, checks: Checks) -> None:
    who = valid_people(checks[0], 1)[0]
    lines = holding(world, who, 5)
    line_status_change(actor=world.compliance, line=lines[0], status="two_way_suspended", reason="campaign step 2")
    assert (state(checked(world, who, mobile_number(5))), "per_id_limit_reached") == ("refused", "per_id_limit_reached")
    line_status_change(actor=world.compliance, line=lines[1], status="cancelled", reason="holder asked")
    registration = registration_complete(actor=world.clerk, registration=checked(world, who, mobile_number(6)))
    assert state(registration) == "registered"


@pytest.mark.django_db
def test_the_limit_is_configurable(world: World, checks: Checks, settings: Any) -> None:
    settings.REGDESK_LINES_PER_ID = 1
    who = valid_people(checks[0], 1)[0]
    holding(world, who, 1)
    assert checked(world, who, mobile_number(7)).refusal_reason == "per_id_limit_reached"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_registrations_for_an_id_holding_four_lines_give_exactly_one(
    world: World, checks: Checks
) -> None:
    assert connection.vendor == "postgresql"
    who = valid_people(checks[0], 1)[0]
    holding(world, who, 4)
    registrations = [checked(world, who, mobile_number(200 + serial)) for serial in range(10)]
    assert {state(registration) for registration in registrations} == {"checks_passed"}
    barrier = threading.Barrier(10)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def complete(registration: Registration) -> None:
        try:
            barrier.wait(timeout=30)
            result = registration_complete(actor=world.clerk, registration=registration)
            outcomes.append(result.refusal_reason or "registered")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=complete, args=(registration,)) for registration in registrations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(outcomes) == ["per_id_limit_reached"] * 9 + ["registered"]
    assert Line.objects.filter(subscriber__isnull=False).count() == 5
    assert Case.objects.filter(process_key="line.registration", state="registered").count() == 1


def test_rules_refuse_a_sixth_line() -> None:
    from regdesk.subscribers.rules import may_take_new_line

    assert may_take_new_line(4, limit=5)
    assert not may_take_new_line(5, limit=5)
    assert not may_take_new_line(2, limit=2)


def test_refusal_is_an_error_type() -> None:
    assert issubclass(RegistrationRefused, Exception)
