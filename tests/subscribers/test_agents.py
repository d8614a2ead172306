"""Agent supervision: agency agreements, audits of sampled registrations with error rates, suspension and
blacklisting through the desk (after which the agent's outlets register no line), and who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from regdesk.accounts.roles import Role, UnitKind
from regdesk.audit.models import AuditEvent
from regdesk.subscribers.agents.errors import SupervisionRefused
from regdesk.subscribers.agents.selectors import agent_summary
from regdesk.subscribers.agents.services import (
    agency_agreement_record,
    agent_audit_close,
    agent_audit_finding_record,
    agent_audit_start,
    draw_sample,
)
from regdesk.subscribers.models import (
    AgencyAgreement,
    Agent,
    AgentAudit,
    AgentStatus,
    AuditFinding,
    Channel,
    Registration,
)
from regdesk.subscribers.services import (
    RegistrationRefused,
    outlet_configure,
    registration_check,
    registration_complete,
)
from tests.accounts.helpers import login_fully, make_unit, make_user
from tests.fixtures.simulators import FaceMatchSimulatorHandle, IdentitySimulatorHandle
from tests.subscribers.conftest import PDF_BYTES, World, live_photo, mobile_number, start_with_reading, valid_people

pytestmark = pytest.mark.django_db
Checks = tuple[IdentitySimulatorHandle, FaceMatchSimulatorHandle]
DUTIES = "代理商须核验用户有效证件原件，使用二代证阅读器读取，不得转委托他人办理入网手续。"


def agent_of(world: World) -> Agent:
    return Agent.objects.get(unit=world.agent_unit)


def record_agreement(world: World, **overrides: Any) -> AgencyAgreement:
    values: dict[str, Any] = {
        "actor": world.compliance,
        "agent": agent_of(world),
        "reference": "DL-2026-001",
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2026, 12, 31),
        "signed_on": dt.date(2025, 12, 20),
        "duties_version": "v3",
        "duties_text": DUTIES,
    }
    values.update(overrides)
    return agency_agreement_record(**values)


def register_at_agent(world: World, who: dict[str, Any], serial: int) -> Registration:
    registration = start_with_reading(
        world, who, number=mobile_number(serial), actor=world.agent_staff, outlet=world.agent_outlet
    )
    registration = registration_check(actor=world.agent_staff, registration=registration, live_photo=live_photo(who))
    return registration_complete(actor=world.agent_staff, registration=registration)


# Agreements ----------------------------------------------------------------------------------------------------------


def test_an_agreement_is_recorded_with_its_duties_and_the_signed_pdf_sealed(world: World) -> None:
    agreement = record_agreement(world, document=PDF_BYTES)
    assert agreement.forbids_sub_delegation
    assert agreement.document_size == len(PDF_BYTES)
    with default_storage.open(agreement.document_storage_name, "rb") as handle:
        stored = handle.read()
    assert PDF_BYTES not in stored  # sealed with the vault, not stored in the clear
    event = AuditEvent.objects.get(action="agency_agreement.record")
    assert event.changes["reference"] == "DL-2026-001"
    assert event.changes["document_sha256"] == agreement.document_sha256


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"forbids_sub_delegation": False}, "sub_delegation_allowed", "forbids_sub_delegation"),
        ({"valid_until": dt.date(2025, 12, 31)}, "period_reversed", "valid_until"),
        ({"signed_on": dt.date(2999, 1, 1)}, "signed_in_future", "signed_on"),
        ({"reference": "  "}, "reference_missing", "reference"),
        ({"reference": "x" * 51}, "reference_too_long", "reference"),
        ({"duties_text": ""}, "duties_text_missing", "duties_text"),
        ({"duties_version": ""}, "duties_version_missing", "duties_version"),
        ({"document": b"GIF89a not a pdf"}, "document_type", "document"),
    ],
)
def test_a_bad_agreement_names_its_field_and_saves_nothing(
    world: World, overrides: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(SupervisionRefused) as raised:
        record_agreement(world, **overrides)
    assert (raised.value.code, raised.value.field) == (code, field)
    assert not AgencyAgreement.objects.exists()
    assert not AuditEvent.objects.filter(action="agency_agreement.record").exists()


def test_agreements_of_one_agent_do_not_overlap(world: World) -> None:
    record_agreement(world)
    with pytest.raises(SupervisionRefused) as raised:
        record_agreement(
            world, reference="DL-2026-002", valid_from=dt.date(2026, 12, 1), valid_until=dt.date(2027, 6, 30)
        )
    assert raised.value.code == "period_overlap"
    renewal = record_agreement(
        world, reference="DL-2027-001", valid_from=dt.date(2027, 1, 1), valid_until=dt.date(2027, 12, 31)
    )
    assert agent_summary(agent_of(world), day=dt.date(2027, 3, 1)).agreement == renewal


def test_a_blacklisted_agent_gets_no_agreement(world: World) -> None:
    from regdesk.subscribers.services import agent_status_set

    agent_status_set(actor=world.compliance, agent_unit=world.agent_unit, status="blacklisted", reason="card farming")
    with pytest.raises(SupervisionRefused) as raised:
        record_agreement(world)
    assert raised.value.code == "agent_blacklisted"


@pytest.mark.parametrize("who", ["clerk", "agent_staff", "supervisor"])
def test_only_compliance_officers_record_agreements(world: World, who: str) -> None:
    with pytest.raises(SupervisionRefused) as raised:
        record_agreement(world, actor=getattr(world, who))
    assert raised.value.status == 403
    assert not AgencyAgreement.objects.exists()


# Audits --------------------------------------------------------------------------------------------------------------


@pytest.fixture
def registered(world: World, checks: Checks) -> list[Registration]:
    """Three lines registered through the agent's outlet and one at the operator's own hall."""
    people = valid_people(checks[0], 4)
    done = [register_at_agent(world, who, 30 + index) for index, who in enumerate(people[:3])]
    own = start_with_reading(world, people[3], number=mobile_number(40))
    own = registration_check(actor=world.clerk, registration=own, live_photo=live_photo(people[3]))
    registration_complete(actor=world.clerk, registration=own)
    return done


def today() -> dt.date:
    return timezone.localdate()


def test_an_audit_samples_the_agents_registrations_reproducibly(world: World, registered: list[Registration]) -> None:
    audit = agent_audit_start(
        actor=world.compliance, agent=agent_of(world), period_from=today(), period_to=today(), sample_size=2
    )
    assert (audit.population, audit.sample_size) == (3, 2)
    items = list(audit.items.all())
    assert {item.outlet_id for item in items} == {world.agent_outlet.pk}
    agent_registrations = {registration.pk for registration in registered}
    assert {item.registration_id for item in items} <= agent_registrations
    # The recorded seed draws the same sample again from the same population.
    population = sorted(registered, key=lambda registration: registration.pk)
    assert [item.registration_id for item in items] == [r.pk for r in draw_sample(population, 2, audit.seed)]
    assert all(item.case_reference.startswith("LRG-") for item in items)
    event = AuditEvent.objects.get(action="agent_audit.start")
    assert (event.changes["population"], event.changes["sample"], event.changes["seed"]) == (3, 2, audit.seed)


def test_findings_give_the_agents_error_rate(world: World, registered: list[Registration]) -> None:
    audit = agent_audit_start(
        actor=world.compliance, agent=agent_of(world), period_from=today(), period_to=today(), sample_size=10
    )
    first, second, third = audit.items.all()
    agent_audit_finding_record(actor=world.compliance, item=first, finding=AuditFinding.CORRECT)
    agent_audit_finding_record(actor=world.compliance, item=second, finding=AuditFinding.DOCUMENTS_MISSING)
    with pytest.raises(SupervisionRefused) as raised:
        agent_audit_close(actor=world.compliance, audit=audit)
    assert raised.value.code == "findings_missing"
    agent_audit_finding_record(actor=world.compliance, item=third, finding=AuditFinding.CORRECT)
    closed = agent_audit_close(actor=world.compliance, audit=audit)
    assert closed.errors_found == 1
    summary = agent_summary(agent_of(world))
    assert (summary.overall_rate.errors, summary.overall_rate.audited) == (1, 3)
    assert str(summary.overall_rate.percent) == "33.33"
    assert summary.over_threshold  # 33 % > 5 %
    with pytest.raises(SupervisionRefused) as late:
        agent_audit_finding_record(actor=world.compliance, item=first, finding=AuditFinding.OTHER)
    assert late.value.code == "audit_closed"


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"sample_size": 0}, "sample_size"),
        ({"sample_size": 501}, "sample_size"),
        ({"period_from": dt.date(2026, 2, 1), "period_to": dt.date(2026, 1, 1)}, "period_reversed"),
        ({"period_to": dt.date(2999, 1, 1)}, "period_future"),
        ({"period_from": dt.date(2020, 1, 1), "period_to": dt.date(2020, 1, 31)}, "nothing_to_audit"),
    ],
)
def test_an_audit_that_cannot_be_drawn_is_refused(world: World, options: dict[str, Any], code: str) -> None:
    values: dict[str, Any] = {"period_from": today(), "period_to": today(), "sample_size": 5}
    values.update(options)
    with pytest.raises(SupervisionRefused) as raised:
        agent_audit_start(actor=world.compliance, agent=agent_of(world), **values)
    assert raised.value.code == code
    assert not AgentAudit.objects.exists()


def test_an_agent_below_another_agent_is_flagged_as_sub_delegation(world: World) -> None:
    sub = make_unit("agent-x-sub", UnitKind.AGENT, parent=world.agent_unit)
    outlet_configure(actor=None, unit=sub, channel=Channel.AGENT)
    assert agent_summary(Agent.objects.get(unit=sub)).sub_delegated
    assert not agent_summary(agent_of(world)).sub_delegated


# Desk pages ----------------------------------------------------------------------------------------------------------


def desk(client: Client, user: Any) -> Client:
    login_fully(client, user)
    return client


def test_suspension_through_the_desk_stops_registration_at_the_agents_outlets(
    client: Client, world: World, checks: Checks
) -> None:
    who = valid_people(checks[0], 2)
    agent = agent_of(world)
    response = desk(client, world.compliance).post(
        f"/desk/subscribers/agents/{agent.pk}/status", {"status": "suspended", "reason": "批量开卡，调查中"}
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.status, agent.status_reason) == (AgentStatus.SUSPENDED, "批量开卡，调查中")
    assert AuditEvent.objects.filter(action="agent.status", object_id=str(agent.pk)).exists()

    with pytest.raises(RegistrationRefused) as raised:
        start_with_reading(world, who[0], number=mobile_number(50), actor=world.agent_staff, outlet=world.agent_outlet)
    assert raised.value.code == "agent_suspended"
    assert not Registration.objects.filter(outlet=world.agent_outlet).exists()

    client.post(f"/desk/subscribers/agents/{agent.pk}/status", {"status": "active", "reason": "整改完成"})
    assert register_at_agent(world, who[1], 51).line_id is not None


def test_a_blacklisted_agent_stays_blacklisted_and_the_page_says_why(client: Client, world: World) -> None:
    agent = agent_of(world)
    desk(client, world.compliance)
    client.post(f"/desk/subscribers/agents/{agent.pk}/status", {"status": "blacklisted", "reason": "养卡"})
    response = client.post(f"/desk/subscribers/agents/{agent.pk}/status", {"status": "active", "reason": "申诉"})
    assert response.status_code == 400
    assert 'id="id_status_errors"' in response.content.decode()
    agent.refresh_from_db()
    assert agent.status == AgentStatus.BLACKLISTED


def test_a_status_change_needs_a_reason(client: Client, world: World) -> None:
    agent = agent_of(world)
    response = desk(client, world.compliance).post(
        f"/desk/subscribers/agents/{agent.pk}/status", {"status": "suspended", "reason": ""}
    )
    assert response.status_code == 400
    assert 'id="id_reason_errors"' in response.content.decode()
    agent.refresh_from_db()
    assert agent.status == AgentStatus.ACTIVE


def test_the_agreement_form_uploads_the_pdf_and_the_download_is_audited(client: Client, world: World) -> None:
    agent = agent_of(world)
    desk(client, world.compliance)
    response = client.post(
        f"/desk/subscribers/agents/{agent.pk}/agreements",
        {
            "reference": "DL-1",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "signed_on": "2025-12-01",
            "duties_version": "v1",
            "duties_text": DUTIES,
            "forbids_sub_delegation": "on",
            "document": SimpleUploadedFile("agreement.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    agreement = AgencyAgreement.objects.get()
    download = client.get(f"/desk/subscribers/agents/agreements/{agreement.pk}/document")
    assert download.status_code == 200
    assert download.content == PDF_BYTES
    assert AuditEvent.objects.filter(action="agency_agreement.document_open").count() == 1


def test_an_agreement_allowing_sub_delegation_is_refused_at_its_field(client: Client, world: World) -> None:
    agent = agent_of(world)
    response = desk(client, world.compliance).post(
        f"/desk/subscribers/agents/{agent.pk}/agreements",
        {
            "reference": "DL-1",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "signed_on": "2025-12-01",
            "duties_version": "v1",
            "duties_text": DUTIES,
        },
    )
    assert response.status_code == 400
    assert 'id="id_forbids_sub_delegation_errors"' in response.content.decode()
    assert not AgencyAgreement.objects.exists()


def test_the_audit_page_records_findings_and_closes(
    client: Client, world: World, registered: list[Registration]
) -> None:
    agent = agent_of(world)
    desk(client, world.compliance)
    response = client.post(
        f"/desk/subscribers/agents/{agent.pk}/audits",
        {"period_from": today().isoformat(), "period_to": today().isoformat(), "sample_size": "2"},
    )
    assert response.status_code == 302
    audit = AgentAudit.objects.get()
    url = f"/desk/subscribers/agents/audits/{audit.pk}/"
    assert response["Location"] == url
    for item in audit.items.all():
        assert client.post(url, {"item": item.pk, "finding": "typed_by_hand"}).status_code == 302
    assert client.post(url, {"item": audit.items.first().pk, "finding": "nonsense"}).status_code == 400  # type: ignore[union-attr]
    assert client.post(url, {"action": "close"}).status_code == 302
    audit.refresh_from_db()
    assert audit.errors_found == 2
    page = client.get(f"/desk/subscribers/agents/{agent.pk}/").content.decode()
    assert "100.00%" in page


def test_auditors_read_the_pages_but_change_nothing(client: Client, world: World) -> None:
    auditor = make_user("auditor", (world.provider, Role.AUDITOR))
    agent = agent_of(world)
    desk(client, auditor)
    listing = client.get("/desk/subscribers/agents/")
    assert listing.status_code == 200
    assert 'data-agent="agent-x"' in listing.content.decode()
    detail = client.get(f"/desk/subscribers/agents/{agent.pk}/").content.decode()
    assert 'data-testid="status-form"' not in detail
    response = client.post(f"/desk/subscribers/agents/{agent.pk}/status", {"status": "suspended", "reason": "x"})
    assert response.status_code == 403
    agent.refresh_from_db()
    assert agent.status == AgentStatus.ACTIVE


def test_agents_outside_the_users_units_are_not_found(client: Client, world: World) -> None:
    other_branch = make_unit("sh-branch", UnitKind.BRANCH, parent=world.provider)
    officer = make_user("sh-compliance", (other_branch, Role.COMPLIANCE_OFFICER))
    agent = agent_of(world)
    desk(client, officer)
    assert client.get("/desk/subscribers/agents/").status_code == 200
    assert client.get(f"/desk/subscribers/agents/{agent.pk}/").status_code == 404
    assert (
        client.post(f"/desk/subscribers/agents/{agent.pk}/status", {"status": "suspended", "reason": "x"}).status_code
        == 404
    )
    agent.refresh_from_db()
    assert agent.status == AgentStatus.ACTIVE


@pytest.mark.parametrize("who", ["clerk", "agent_staff", "owner"])
def test_counter_staff_agents_and_owners_cannot_open_the_pages(client: Client, world: World, who: str) -> None:
    desk(client, getattr(world, who))
    assert client.get("/desk/subscribers/agents/").status_code == 403
    assert client.get(f"/desk/subscribers/agents/{agent_of(world).pk}/").status_code == 404
