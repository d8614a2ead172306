"""One face-match threshold per deployment: the counter judges the identity service's photo similarity by
``REGDESK_FACE_MATCH_THRESHOLD`` as it judges the face match's score (the service's own verdict applies its own
threshold, 70 in the simulator)."""

from __future__ import annotations

import pytest
from pytest_django import Settings

from regdesk.subscribers.services import registration_check
from tests.fixtures.simulators import FaceMatchSimulatorHandle, IdentitySimulatorHandle
from tests.subscribers.conftest import World, live_photo, mobile_number, start_with_reading, valid_people

pytestmark = pytest.mark.django_db
Checks = tuple[IdentitySimulatorHandle, FaceMatchSimulatorHandle]


def test_a_low_threshold_accepts_what_the_services_own_verdict_would_not(
    world: World, checks: Checks, settings: Settings
) -> None:
    # Someone else's face: the face match scores 5-44, the identity service 10-49 and calls it photo_mismatch.
    settings.REGDESK_FACE_MATCH_THRESHOLD = 5
    holder, stranger = valid_people(checks[0], 2)
    registration = start_with_reading(world, holder, number=mobile_number(71))
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(stranger))
    assert registration.subscriber_check == "match"
    assert registration.face_threshold == 5
    assert registration.case is not None
    assert registration.case.state == "checks_passed"


def test_a_high_threshold_holds_even_the_right_face(world: World, checks: Checks, settings: Settings) -> None:
    # The right face: the identity service answers 90-99 and calls it a match.
    settings.REGDESK_FACE_MATCH_THRESHOLD = 100
    (holder,) = valid_people(checks[0], 1)
    registration = start_with_reading(world, holder, number=mobile_number(72))
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(holder))
    assert registration.subscriber_check == "photo_mismatch"
    assert registration.case is not None
    assert registration.case.state == "awaiting_supervisor"
