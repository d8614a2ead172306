"""Writes of agent supervision: agency agreements, audits of agents' registrations and their findings.

Suspension and blacklisting stay with ``regdesk.subscribers.services.agent_status_set``: the registration services
already refuse every registration through an outlet below a suspended or blacklisted agent.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import secrets
import uuid
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.accounts.permissions import unit_descendant_ids
from regdesk.audit.services import audit_record
from regdesk.privacy.crypto import decrypt_bytes, encrypt_bytes
from regdesk.subscribers.agents.errors import SupervisionRefused
from regdesk.subscribers.agents.permissions import can_supervise
from regdesk.subscribers.config import agent_audit_max_sample, document_max_bytes
from regdesk.subscribers.models import (
    AgencyAgreement,
    Agent,
    AgentAudit,
    AgentAuditItem,
    AgentStatus,
    AuditFinding,
    Registration,
)

if TYPE_CHECKING:
    from regdesk.accounts.models import User

PDF_MAGIC = b"%PDF-"


def _require_supervisor(actor: User | None, agent: Agent) -> None:
    if actor is not None and not can_supervise(actor, agent.unit):
        raise SupervisionRefused("forbidden", _("Only compliance officers over this agent may do this."), status=403)


def _document_associated_data(storage_name: str) -> bytes:
    return f"subscribers.agency_agreement:{storage_name}".encode()


def _clean(value: str, limit: int, field: str, missing: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise SupervisionRefused(f"{field}_missing", missing, field=field)
    if len(text) > limit:
        raise SupervisionRefused(
            f"{field}_too_long", _("At most %(limit)d characters.") % {"limit": limit}, field=field
        )
    return text


def agency_agreement_record(
    *,
    actor: User | None,
    agent: Agent,
    reference: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    signed_on: datetime.date,
    duties_version: str,
    duties_text: str,
    forbids_sub_delegation: bool = True,
    document: bytes | None = None,
) -> AgencyAgreement:
    """Record an agency agreement (代理协议) with the real-name duties it imposes and, optionally, the signed PDF
    (sealed with the vault). The agreement must forbid sub-delegation (DOMAIN.md §2), its period must not overlap
    another agreement of the agent, and a blacklisted agent gets none. Compliance officers over the agent."""
    _require_supervisor(actor, agent)
    reference = _clean(reference, 50, "reference", _("Give the agreement's number."))
    duties_version = _clean(duties_version, 30, "duties_version", _("Give the version of the real-name duties."))
    duties_text = (duties_text or "").strip()
    if not duties_text:
        raise SupervisionRefused(
            "duties_text_missing", _("Give the text of the real-name duties."), field="duties_text"
        )
    if valid_until < valid_from:
        raise SupervisionRefused("period_reversed", _("The agreement ends before it begins."), field="valid_until")
    if signed_on > timezone.localdate():
        raise SupervisionRefused("signed_in_future", _("The signing date lies in the future."), field="signed_on")
    if not forbids_sub_delegation:
        raise SupervisionRefused(
            "sub_delegation_allowed",
            _("An agency agreement must forbid the agent to delegate registration to others."),
            field="forbids_sub_delegation",
        )
    if document is not None:
        if not document.startswith(PDF_MAGIC):
            raise SupervisionRefused("document_type", _("The signed agreement must be a PDF file."), field="document")
        if len(document) > document_max_bytes():
            raise SupervisionRefused("document_too_large", _("The file is too large."), field="document")
    with transaction.atomic():
        locked = Agent.objects.select_for_update().get(pk=agent.pk)
        if locked.status == AgentStatus.BLACKLISTED:
            raise SupervisionRefused(
                "agent_blacklisted", _("A blacklisted agent gets no agency agreement."), field="agent"
            )
        if AgencyAgreement.objects.filter(agent=locked, reference=reference).exists():
            raise SupervisionRefused(
                "reference_taken", _("This agent already has an agreement with this number."), field="reference"
            )
        if AgencyAgreement.objects.filter(
            agent=locked, valid_from__lte=valid_until, valid_until__gte=valid_from
        ).exists():
            raise SupervisionRefused(
                "period_overlap",
                _("The period overlaps another agreement of this agent."),
                field="valid_from",
            )
        agreement = AgencyAgreement(
            agent=locked,
            reference=reference,
            valid_from=valid_from,
            valid_until=valid_until,
            signed_on=signed_on,
            duties_version=duties_version,
            duties_text=duties_text,
            forbids_sub_delegation=True,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        saved_name = ""
        if document is not None:
            storage_name = f"subscribers/agreements/{uuid.uuid4().hex}.sealed"
            sealed = encrypt_bytes(document, associated_data=_document_associated_data(storage_name))
            saved_name = default_storage.save(storage_name, ContentFile(sealed))
            agreement.document_storage_name = saved_name
            agreement.document_size = len(document)
            agreement.document_sha256 = hashlib.sha256(document).hexdigest()
        try:
            agreement.save()
            audit_record(
                actor=actor,
                action="agency_agreement.record",
                object_type="subscribers.agencyagreement",
                object_id=agreement.pk,
                changes={
                    "agent": agent.unit.code,
                    "reference": reference,
                    "valid_from": valid_from.isoformat(),
                    "valid_until": valid_until.isoformat(),
                    "duties_version": duties_version,
                    "document_sha256": agreement.document_sha256,
                },
                unit=agent.unit,
            )
        except BaseException:
            if saved_name:
                default_storage.delete(saved_name)
            raise
    return agreement


def agency_agreement_document_open(*, actor: User, agreement: AgencyAgreement) -> bytes:
    """The signed agreement's PDF; every opening is written to the audit trail (it bears signatures)."""
    if not agreement.document_storage_name:
        raise SupervisionRefused("no_document", _("No signed document was recorded for this agreement."))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="agency_agreement.document_open",
            object_type="subscribers.agencyagreement",
            object_id=agreement.pk,
            changes={"agent": agreement.agent.unit.code},
            unit=agreement.agent.unit,
        )
        with default_storage.open(agreement.document_storage_name, "rb") as handle:
            sealed = handle.read()
    return decrypt_bytes(sealed, associated_data=_document_associated_data(agreement.document_storage_name))


def _registrations_of(agent: Agent, period_from: datetime.date, period_to: datetime.date) -> list[Registration]:
    """Registrations completed (a line registered) through the agent's outlets in the period, by id."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(period_from, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(period_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return list(
        Registration.objects.filter(
            outlet_id__in=unit_descendant_ids([agent.unit_id]),
            line__isnull=False,
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .select_related("case")
        .order_by("id")
    )


def draw_sample(population: list[Registration], size: int, seed: str) -> list[Registration]:
    """The sample a seed draws from a population ordered by id: reproducible, so the draw can be checked later."""
    # Not a secret: a seeded generator is what makes the draw reproducible.
    generator = random.Random(seed)  # noqa: S311
    return sorted(generator.sample(population, min(size, len(population))), key=lambda item: item.pk)


def agent_audit_start(
    *,
    actor: User | None,
    agent: Agent,
    period_from: datetime.date,
    period_to: datetime.date,
    sample_size: int,
) -> AgentAudit:
    """Start an audit of the agent: draw ``sample_size`` registrations completed through its outlets in the period
    (all of them when there are fewer), at random with a recorded seed. Compliance officers over the agent."""
    _require_supervisor(actor, agent)
    if not 1 <= sample_size <= agent_audit_max_sample():
        raise SupervisionRefused(
            "sample_size",
            _("The sample holds from 1 to %(limit)d registrations.") % {"limit": agent_audit_max_sample()},
            field="sample_size",
        )
    if period_to < period_from:
        raise SupervisionRefused("period_reversed", _("The end date is before the start date."), field="period_to")
    if period_to > timezone.localdate():
        raise SupervisionRefused("period_future", _("The period cannot end in the future."), field="period_to")
    seed = secrets.token_hex(16)
    with transaction.atomic():
        population = _registrations_of(agent, period_from, period_to)
        if not population:
            raise SupervisionRefused(
                "nothing_to_audit",
                _("No registration was completed through this agent's outlets in the period."),
                field="period_from",
            )
        sample = draw_sample(population, sample_size, seed)
        audit = AgentAudit.objects.create(
            agent=agent,
            period_from=period_from,
            period_to=period_to,
            sample_size=len(sample),
            population=len(population),
            seed=seed,
            started_by=actor,
            started_at=timezone.now(),
        )
        AgentAuditItem.objects.bulk_create(
            AgentAuditItem(
                audit=audit,
                registration=registration,
                case_reference=registration.case.reference if registration.case else f"#{registration.pk}",
                outlet_id=registration.outlet_id,
                registered_at=registration.completed_at or registration.created_at,
            )
            for registration in sample
        )
        audit_record(
            actor=actor,
            action="agent_audit.start",
            object_type="subscribers.agentaudit",
            object_id=audit.pk,
            changes={
                "agent": agent.unit.code,
                "period": [period_from.isoformat(), period_to.isoformat()],
                "population": len(population),
                "sample": len(sample),
                "seed": seed,
            },
            unit=agent.unit,
        )
    return audit


def agent_audit_finding_record(*, actor: User | None, item: AgentAuditItem, finding: str) -> AgentAuditItem:
    """Record what the audit found on one sampled registration (correct, or the kind of error), while the audit is
    open. Compliance officers over the agent."""
    if finding not in AuditFinding.values:
        raise SupervisionRefused("finding_unknown", _("Unknown finding."), field="finding")
    agent = item.audit.agent
    _require_supervisor(actor, agent)
    with transaction.atomic():
        audit = AgentAudit.objects.select_for_update().get(pk=item.audit_id)
        if audit.closed_at is not None:
            raise SupervisionRefused("audit_closed", _("This audit is closed."), field="finding")
        locked = AgentAuditItem.objects.select_for_update().get(pk=item.pk)
        previous = locked.finding
        locked.finding = finding
        locked.recorded_by = actor
        locked.recorded_at = timezone.now()
        locked.save(update_fields=["finding", "recorded_by", "recorded_at"])
        audit_record(
            actor=actor,
            action="agent_audit.finding",
            object_type="subscribers.agentaudititem",
            object_id=locked.pk,
            changes={"audit": audit.pk, "registration": locked.case_reference, "finding": [previous, finding]},
            unit=agent.unit,
        )
    return locked


def agent_audit_close(*, actor: User | None, audit: AgentAudit) -> AgentAudit:
    """Close an audit once every sampled registration has its finding; the errors found give the agent's error
    rate. Compliance officers over the agent."""
    _require_supervisor(actor, audit.agent)
    with transaction.atomic():
        locked = AgentAudit.objects.select_for_update().select_related("agent__unit").get(pk=audit.pk)
        if locked.closed_at is not None:
            raise SupervisionRefused("audit_closed", _("This audit is closed."))
        items = list(locked.items.all())
        if any(not item.finding for item in items):
            raise SupervisionRefused(
                "findings_missing", _("Record a finding for every sampled registration first."), field="finding"
            )
        locked.errors_found = sum(1 for item in items if item.finding != AuditFinding.CORRECT)
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.save(update_fields=["errors_found", "closed_at", "closed_by"])
        audit_record(
            actor=actor,
            action="agent_audit.close",
            object_type="subscribers.agentaudit",
            object_id=locked.pk,
            changes={"agent": locked.agent.unit.code, "sample": len(items), "errors": locked.errors_found},
            unit=locked.agent.unit,
        )
    audit.errors_found, audit.closed_at, audit.closed_by = locked.errors_found, locked.closed_at, locked.closed_by
    return locked
