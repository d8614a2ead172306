"""The send lease is short and renewed by a heartbeat while uploads go out; a sender that lost it stops."""

from __future__ import annotations

import time

import pytest
from pytest_django import Settings

from regdesk.miit.models import MiitSequence
from regdesk.miit.services.lease import _acquire_lease, _lease_seconds, _LeaseKeeper

DEADLINE_SECONDS = 30.0


def test_the_lease_is_the_configured_short_one(settings: Settings) -> None:
    settings.REGDESK_MIIT_SEND_LEASE_SECONDS = 45
    assert _lease_seconds() == 45.0


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_renews_the_lease_while_the_sender_works(settings: Settings) -> None:
    settings.REGDESK_MIIT_SEND_HEARTBEAT_SECONDS = 0.05
    token = _acquire_lease(30.0)
    assert token is not None
    granted = MiitSequence.objects.get(id=1).send_lease_until
    assert granted is not None
    with _LeaseKeeper(token, 30.0) as keeper:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while MiitSequence.objects.get(id=1).send_lease_until == granted and time.monotonic() < deadline:
            time.sleep(0.02)
    renewed = MiitSequence.objects.get(id=1).send_lease_until
    assert renewed is not None
    assert renewed > granted
    assert not keeper.lost


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_notices_when_another_sender_took_the_lease(settings: Settings) -> None:
    settings.REGDESK_MIIT_SEND_HEARTBEAT_SECONDS = 0.05
    token = _acquire_lease(30.0)
    assert token is not None
    # Ours ran out and another sender took it: the token on the row is no longer ours.
    MiitSequence.objects.filter(id=1).update(send_lease_token="another-sender")
    with _LeaseKeeper(token, 30.0) as keeper:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not keeper.lost and time.monotonic() < deadline:
            time.sleep(0.02)
    assert keeper.lost
    assert MiitSequence.objects.get(id=1).send_lease_token == "another-sender"
