"""Outlets and ID-card readers on the configuration site (/admin/): administrators configure them by their role,
within their units, through the audited services; a reader goes out of service with its reason, never deleted."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.audit.models import AuditEvent
from regdesk.subscribers.models import CardReader, Channel, OutletProfile
from regdesk.subscribers.services import outlet_configure
from tests.accounts.helpers import login_fully, make_unit, make_user

pytestmark = pytest.mark.django_db


def _public_key() -> str:
    raw = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


@pytest.fixture
def tree(settings: Settings) -> dict[str, OrgUnit]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    provider = make_unit("provider", UnitKind.PROVIDER)
    north = make_unit("north", UnitKind.BRANCH, parent=provider)
    south = make_unit("south", UnitKind.BRANCH, parent=provider)
    return {
        "provider": provider,
        "north": north,
        "south": south,
        "north-hall": make_unit("north-hall", UnitKind.OUTLET, parent=north),
        "south-hall": make_unit("south-hall", UnitKind.OUTLET, parent=south),
    }


def _administrator(client: Client, unit: OrgUnit) -> User:
    user = make_user("admin", (unit, Role.ADMINISTRATOR))
    login_fully(client, user)
    return user


def test_an_administrator_makes_a_unit_an_outlet_and_changes_its_channel(
    client: Client, tree: dict[str, OrgUnit]
) -> None:
    administrator = _administrator(client, tree["provider"])
    response = client.post(
        reverse("admin:subscribers_outletprofile_add"), {"unit": tree["north-hall"].pk, "channel": Channel.OWN_HALL}
    )
    assert response.status_code == 302, response.content.decode()
    profile = OutletProfile.objects.get(unit=tree["north-hall"])
    response = client.post(
        reverse("admin:subscribers_outletprofile_change", args=[profile.pk]), {"channel": Channel.COOPERATING_HALL}
    )
    assert response.status_code == 302, response.content.decode()
    profile.refresh_from_db()
    assert profile.channel == Channel.COOPERATING_HALL
    events = AuditEvent.objects.filter(action="outlet.configure", object_id=str(profile.pk))
    assert [event.actor_id for event in events] == [administrator.pk, administrator.pk]


def test_an_administrator_of_a_branch_configures_only_its_own_outlets(client: Client, tree: dict[str, OrgUnit]) -> None:
    _administrator(client, tree["north"])
    response = client.post(
        reverse("admin:subscribers_outletprofile_add"), {"unit": tree["south-hall"].pk, "channel": Channel.OWN_HALL}
    )
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert not OutletProfile.objects.exists()
    outlet_configure(actor=None, unit=tree["south-hall"], channel=Channel.OWN_HALL)
    response = client.post(
        reverse("admin:subscribers_cardreader_add"), {"outlet": tree["south-hall"].pk, "public_key": _public_key()}
    )
    assert "outlet" in response.context["adminform"].form.errors
    assert not CardReader.objects.exists()


def test_a_reader_is_enrolled_and_taken_out_of_service_with_its_reason(
    client: Client, tree: dict[str, OrgUnit]
) -> None:
    administrator = _administrator(client, tree["provider"])
    outlet_configure(actor=None, unit=tree["north-hall"], channel=Channel.OWN_HALL)
    add_url = reverse("admin:subscribers_cardreader_add")
    refused = client.post(add_url, {"outlet": tree["north-hall"].pk, "public_key": "not-a-key"})
    assert "public_key" in refused.context["adminform"].form.errors
    response = client.post(add_url, {"outlet": tree["north-hall"].pk, "public_key": _public_key(), "label": "柜台1"})
    assert response.status_code == 302, response.content.decode()
    reader = CardReader.objects.get(outlet=tree["north-hall"])
    assert AuditEvent.objects.get(action="card_reader.enrol", object_id=str(reader.pk)).actor_id == administrator.pk

    change_url = reverse("admin:subscribers_cardreader_change", args=[reader.pk])
    without_reason = client.post(change_url, {"deactivation_reason": "  "})
    assert "deactivation_reason" in without_reason.context["adminform"].form.errors
    reader.refresh_from_db()
    assert reader.active
    response = client.post(change_url, {"deactivation_reason": "读卡器损坏"})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert (reader.active, reader.deactivation_reason) == (False, "读卡器损坏")
    deactivated = AuditEvent.objects.get(action="card_reader.deactivate", object_id=str(reader.pk))
    assert deactivated.actor_id == administrator.pk
    assert (
        client.post(reverse("admin:subscribers_cardreader_delete", args=[reader.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert CardReader.objects.filter(pk=reader.pk).exists()
