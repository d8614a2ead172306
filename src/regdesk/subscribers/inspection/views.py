"""Desk pages of the self-inspection, /desk/subscribers/inspections/: the inspections with their findings and the
follow-up of each finding on its case, the run of a new inspection, and the evidence of the retention purges."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regdesk.accounts.models import OrgUnit, User
from regdesk.subscribers.agents.forms import add_refusal
from regdesk.subscribers.inspection.forms import FindingCloseForm, InspectionRunForm
from regdesk.subscribers.inspection.permissions import (
    READER_ROLES,
    RUNNER_ROLES,
    access_finding_by_id,
    access_inspection_by_id,
    can_follow_up,
    inspections_visible,
)
from regdesk.subscribers.inspection.selectors import finding_views, purge_rows, section_rows
from regdesk.subscribers.inspection.services import (
    inspection_finding_close,
    inspection_finding_start_work,
    self_inspection_run,
)
from regdesk.subscribers.permissions import units_for_roles
from regdesk.subscribers.retention.selectors import recent_purges
from regdesk.subscribers.services.errors import RegistrationRefused

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - login_required let only our users in
    return request.user


def _runner_units(request: HttpRequest) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(pk__in=units_for_roles(request.user, RUNNER_ROLES), active=True).order_by("code")
    )


def _list(request: HttpRequest, form: InspectionRunForm | None = None, *, status: int = 200) -> HttpResponse:
    if not units_for_roles(request.user, READER_ROLES):
        raise PermissionDenied
    units = _runner_units(request)
    context = {
        "inspections": inspections_visible(request.user).order_by("-generated_at", "-pk")[:PAGE_SIZE],
        "form": form or (InspectionRunForm(units=units) if units else None),
        "purges": purge_rows(recent_purges()),
    }
    return render(request, "subscribers/inspection/inspection_list.html", context, status=status)


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


@login_required
@require_POST
def inspection_run(request: HttpRequest) -> HttpResponse:
    """Run a self-inspection now (compliance officers over the chosen unit)."""
    units = _runner_units(request)
    if not units:
        raise PermissionDenied
    form = InspectionRunForm(request.POST, units=units)
    if form.is_valid():
        try:
            inspection = self_inspection_run(
                actor=_user(request),
                unit=form.chosen_unit(),
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
        except RegistrationRefused as refused:
            add_refusal(form, refused)
        else:
            return redirect("subscribers_inspection:detail", inspection_id=inspection.pk)
    return _list(request, form, status=400)


def _detail(request: HttpRequest, inspection_id: int, *, status: int = 200, error: str = "") -> HttpResponse:
    inspection = access_inspection_by_id(request.user, inspection_id)
    context = {
        "inspection": inspection,
        "rows": section_rows(inspection),
        "findings": finding_views(inspection, request.user),
        "close_form": FindingCloseForm(),
        "error": error,
    }
    return render(request, "subscribers/inspection/inspection_detail.html", context, status=status)


@login_required
@require_GET
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    return _detail(request, inspection_id)


@login_required
@require_POST
def finding_action(request: HttpRequest, finding_id: int) -> HttpResponse:
    """Start the work on a finding, or close it with its resolution."""
    finding = access_finding_by_id(request.user, finding_id)
    if not can_follow_up(request.user, finding):
        raise PermissionDenied
    action = request.POST.get("action")
    try:
        if action == "start_work":
            inspection_finding_start_work(actor=_user(request), finding=finding)
        elif action == "close":
            form = FindingCloseForm(request.POST)
            if not form.is_valid():
                errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
                return _detail(request, finding.inspection_id, status=400, error=errors)
            inspection_finding_close(
                actor=_user(request),
                finding=finding,
                resolution=form.cleaned_data["resolution"],
                note=form.cleaned_data["note"],
            )
        else:
            return _detail(request, finding.inspection_id, status=400, error=_("Unknown action."))
    except RegistrationRefused as refused:
        return _detail(request, finding.inspection_id, status=400, error=refused.message)
    messages.success(request, _("The finding's case was updated."))
    return redirect("subscribers_inspection:detail", inspection_id=finding.inspection_id)
