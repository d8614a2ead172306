"""Desk pages of agent supervision, /desk/subscribers/agents/: the agents with their agreements and error rates,
suspension and blacklisting, agency agreements, and audits of their registrations. Compliance officers act;
auditors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regdesk.accounts.models import User
from regdesk.subscribers.agents.forms import AgentStatusForm, AgreementForm, AuditStartForm, FindingForm, add_refusal
from regdesk.subscribers.agents.permissions import (
    access_agent_by_id,
    access_agreement_by_id,
    access_audit_by_id,
    access_audit_item_by_id,
    agent_unit_ids,
    can_supervise,
)
from regdesk.subscribers.agents.selectors import agent_summaries, agent_summary
from regdesk.subscribers.agents.services import (
    agency_agreement_document_open,
    agency_agreement_record,
    agent_audit_close,
    agent_audit_finding_record,
    agent_audit_start,
)
from regdesk.subscribers.models import Agent, AgentAudit, AuditFinding
from regdesk.subscribers.services import agent_status_set
from regdesk.subscribers.services.errors import RegistrationRefused


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - login_required let only our users in
    return request.user


def _require_reader(request: HttpRequest) -> set[int]:
    scope = agent_unit_ids(request.user)
    if not scope:
        raise PermissionDenied
    return scope


@login_required
@require_GET
def agent_list(request: HttpRequest) -> HttpResponse:
    """Every agent in the reader's scope: status, agreement in force, error rate, open audits."""
    scope = _require_reader(request)
    return render(request, "subscribers/agents/agent_list.html", {"summaries": agent_summaries(scope)})


def _detail(request: HttpRequest, agent: Agent, *, status: int = 200, **forms: Any) -> HttpResponse:
    supervises = can_supervise(request.user, agent.unit)
    context = {
        "summary": agent_summary(agent),
        "agreements": agent.agreements.all(),
        "audits": agent.audits.all(),
        "supervises": supervises,
        "status_form": forms.get("status_form") or AgentStatusForm(),
        "agreement_form": forms.get("agreement_form") or AgreementForm(),
        "audit_form": forms.get("audit_form") or AuditStartForm(),
    }
    return render(request, "subscribers/agents/agent_detail.html", context, status=status)


@login_required
@require_GET
def agent_detail(request: HttpRequest, agent_id: int) -> HttpResponse:
    return _detail(request, access_agent_by_id(request.user, agent_id))


def _require_supervisor(request: HttpRequest, agent: Agent) -> None:
    if not can_supervise(request.user, agent.unit):
        raise PermissionDenied


@login_required
@require_POST
def agent_status(request: HttpRequest, agent_id: int) -> HttpResponse:
    """Suspend, blacklist or reinstate the agent, with the reason (``agent_status_set``)."""
    agent = access_agent_by_id(request.user, agent_id)
    _require_supervisor(request, agent)
    form = AgentStatusForm(request.POST)
    if form.is_valid():
        try:
            agent_status_set(
                actor=_user(request),
                agent_unit=agent.unit,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except RegistrationRefused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("The agent's status was changed."))
            return redirect("subscribers_agents:detail", agent_id=agent.pk)
    return _detail(request, agent, status=400, status_form=form)


@login_required
@require_POST
def agreement_create(request: HttpRequest, agent_id: int) -> HttpResponse:
    agent = access_agent_by_id(request.user, agent_id)
    _require_supervisor(request, agent)
    form = AgreementForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        document = data.get("document")
        try:
            agency_agreement_record(
                actor=_user(request),
                agent=agent,
                reference=data["reference"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                signed_on=data["signed_on"],
                duties_version=data["duties_version"],
                duties_text=data["duties_text"],
                forbids_sub_delegation=data["forbids_sub_delegation"],
                document=document.read() if document is not None else None,
            )
        except RegistrationRefused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("The agency agreement was recorded."))
            return redirect("subscribers_agents:detail", agent_id=agent.pk)
    return _detail(request, agent, status=400, agreement_form=form)


@login_required
@require_GET
def agreement_document(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The signed agreement (audited)."""
    agreement = access_agreement_by_id(request.user, agreement_id)
    try:
        content = agency_agreement_document_open(actor=_user(request), agreement=agreement)
    except RegistrationRefused as refused:
        messages.error(request, refused.message)
        return redirect("subscribers_agents:detail", agent_id=agreement.agent_id)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agency-agreement-{agreement.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def audit_create(request: HttpRequest, agent_id: int) -> HttpResponse:
    agent = access_agent_by_id(request.user, agent_id)
    _require_supervisor(request, agent)
    form = AuditStartForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            audit = agent_audit_start(
                actor=_user(request),
                agent=agent,
                period_from=data["period_from"],
                period_to=data["period_to"],
                sample_size=data["sample_size"],
            )
        except RegistrationRefused as refused:
            add_refusal(form, refused)
        else:
            return redirect("subscribers_agents:audit", audit_id=audit.pk)
    return _detail(request, agent, status=400, audit_form=form)


def _audit_page(request: HttpRequest, audit: AgentAudit, *, status: int = 200, error: str = "") -> HttpResponse:
    context = {
        "audit": audit,
        "items": audit.items.select_related("outlet"),
        "supervises": can_supervise(request.user, audit.agent.unit) and audit.closed_at is None,
        "findings": AuditFinding.choices,
        "rate": agent_summary(audit.agent).last_rate if audit.closed_at is not None else None,
        "error": error,
    }
    return render(request, "subscribers/agents/audit_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def audit_detail(request: HttpRequest, audit_id: int) -> HttpResponse:
    """The sampled registrations with their findings; compliance officers record findings and close the audit."""
    audit = access_audit_by_id(request.user, audit_id)
    if request.method == "GET":
        return _audit_page(request, audit)
    _require_supervisor(request, audit.agent)
    try:
        if request.POST.get("action") == "close":
            agent_audit_close(actor=_user(request), audit=audit)
            messages.success(request, _("The audit was closed."))
        else:
            item = access_audit_item_by_id(request.user, audit, request.POST.get("item"))
            form = FindingForm(request.POST)
            if not form.is_valid():
                return _audit_page(request, audit, status=400, error=_("Choose a finding from the list."))
            agent_audit_finding_record(actor=_user(request), item=item, finding=form.cleaned_data["finding"])
    except RegistrationRefused as refused:
        return _audit_page(request, audit, status=400, error=refused.message)
    return redirect("subscribers_agents:audit", audit_id=audit.pk)
