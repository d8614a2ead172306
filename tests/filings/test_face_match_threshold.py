"""The ICP on-site identity check judges the photo's similarity by the deployment's one face-match threshold
(``REGDESK_FACE_MATCH_THRESHOLD``, the counter's too), not by the identity service's own verdict."""

from __future__ import annotations

import pytest
from pytest_django import Settings

from regdesk.filings.models import CheckOutcome
from regdesk.filings.services import onsite_identity_check, onsite_photo_take
from tests.filings.builders import World, awaiting_onsite, photo
from tests.fixtures.simulators import IdentitySimulatorHandle

pytestmark = pytest.mark.django_db


def test_a_similarity_below_the_deployments_threshold_is_not_consistent(
    world: World, settings: Settings, use_identity_simulator: IdentitySimulatorHandle
) -> None:
    # The simulator answers 90-99 for the right face and calls 70 or more a match.
    settings.REGDESK_FACE_MATCH_THRESHOLD = 100
    filing = awaiting_onsite(world)
    onsite_photo_take(actor=world.specialist, filing=filing, content=photo())
    verification = onsite_identity_check(actor=world.specialist, filing=filing)
    assert verification.identity_outcome == CheckOutcome.INCONSISTENT
    assert verification.identity_detail["result"] == "photo_mismatch"
    assert verification.identity_detail["threshold"] == 100


def test_the_default_threshold_lets_the_right_face_through(
    world: World, use_identity_simulator: IdentitySimulatorHandle
) -> None:
    filing = awaiting_onsite(world)
    onsite_photo_take(actor=world.specialist, filing=filing, content=photo())
    verification = onsite_identity_check(actor=world.specialist, filing=filing)
    assert verification.identity_outcome == CheckOutcome.CONSISTENT
    assert verification.identity_detail["similarity"] >= verification.identity_detail["threshold"] == 80
