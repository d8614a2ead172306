"""Desk pages of remediation campaigns and subscriber-base imports, under /desk/subscribers/.

Compliance officers create, configure, launch and close campaigns and upload imports; auditors read. A campaign
or an import outside the user's units answers 404, like a missing one.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regdesk.accounts.models import User
from regdesk.subscribers.campaigns.forms import CampaignForm, ImportForm
from regdesk.subscribers.campaigns.selectors import (
    access_campaign_by_id,
    access_import_by_id,
    campaign_progress,
    campaigns_visible,
    can_read,
    group_counts,
    imports_visible,
    lines_in_group,
    officer_units,
)
from regdesk.subscribers.campaigns.services import (
    campaign_close,
    campaign_configure,
    campaign_create,
    campaign_launch,
    can_run_campaigns,
)
from regdesk.subscribers.imports.columns import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from regdesk.subscribers.imports.services import import_job_create
from regdesk.subscribers.models import CampaignStatus
from regdesk.subscribers.services import RegistrationRefused

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _require_reader(request: HttpRequest) -> User:
    user = _user(request)
    if not can_read(user):
        raise PermissionDenied
    return user


def _require_officer(request: HttpRequest) -> User:
    user = _user(request)
    if not officer_units(user).exists():
        raise PermissionDenied
    return user


def _refusal_to_form(form: CampaignForm | ImportForm, refused: RegistrationRefused) -> None:
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, refused.message)


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Campaigns in the user's units, and the imported lines per group."""
    user = _require_reader(request)
    context = {
        "campaigns": campaigns_visible(user)[:200],
        "groups": group_counts(user),
        "may_create": officer_units(user).exists(),
    }
    return render(request, "subscribers/campaigns/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    """Create a campaign: its group, unit, notice channel and the intervals between the steps."""
    user = _require_officer(request)
    form = CampaignForm(request.POST or None, units=officer_units(user))
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(
                actor=user,
                unit=form.cleaned_data["unit"],
                name=form.cleaned_data["name"],
                group=form.cleaned_data["group"],
                notice_channel=form.cleaned_data["notice_channel"],
                intervals=form.intervals(),
            )
        except RegistrationRefused as refused:
            if refused.status == 403:
                raise PermissionDenied from None
            _refusal_to_form(form, refused)
        else:
            messages.success(request, _("The campaign was created. Launch it when its settings are right."))
            return redirect("subscribers_campaigns:campaign_detail", campaign.pk)
    return render(request, "subscribers/campaigns/form.html", {"form": form, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Change a draft campaign's name, channel and intervals."""
    user = _user(request)
    campaign = access_campaign_by_id(user, campaign_id)
    if not can_run_campaigns(user, campaign.unit) or campaign.status != CampaignStatus.DRAFT:
        raise PermissionDenied
    initial = {name: getattr(campaign, name) for name in CampaignForm.base_fields if name not in ("unit",)}
    initial["unit"] = campaign.unit.code
    form = CampaignForm(request.POST or None, units=officer_units(user), initial=initial)
    form.fields["group"].disabled = True
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            campaign_configure(
                actor=user,
                campaign=campaign,
                name=form.cleaned_data["name"],
                notice_channel=form.cleaned_data["notice_channel"],
                intervals=form.intervals(),
            )
        except RegistrationRefused as refused:
            _refusal_to_form(form, refused)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("subscribers_campaigns:campaign_detail", campaign.pk)
    return render(request, "subscribers/campaigns/form.html", {"form": form, "campaign": campaign})


@login_required
@require_GET
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """A campaign's settings and its progress per step (lines per stage)."""
    user = _user(request)
    campaign = access_campaign_by_id(user, campaign_id)
    context = {
        "campaign": campaign,
        "progress": campaign_progress(campaign),
        "may_act": can_run_campaigns(user, campaign.unit),
    }
    return render(request, "subscribers/campaigns/detail.html", context)


@login_required
@require_GET
def campaign_progress_partial(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The progress table alone (htmx polls it while the campaign runs)."""
    campaign = access_campaign_by_id(_user(request), campaign_id)
    context = {"campaign": campaign, "progress": campaign_progress(campaign)}
    return render(request, "subscribers/campaigns/_progress.html", context)


def _campaign_action(request: HttpRequest, campaign_id: int, *, launch: bool) -> HttpResponse:
    user = _user(request)
    campaign = access_campaign_by_id(user, campaign_id)
    if not can_run_campaigns(user, campaign.unit):
        raise PermissionDenied
    try:
        if launch:
            campaign_launch(actor=user, campaign=campaign)
            messages.success(request, _("The campaign was launched: its lines are being notified."))
        else:
            campaign_close(actor=user, campaign=campaign)
            messages.success(request, _("The campaign was closed: its open lines were withdrawn."))
    except RegistrationRefused as refused:
        messages.error(request, refused.message)
    return redirect("subscribers_campaigns:campaign_detail", campaign.pk)


@login_required
@require_POST
def campaign_launch_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _campaign_action(request, campaign_id, launch=True)


@login_required
@require_POST
def campaign_close_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _campaign_action(request, campaign_id, launch=False)


@login_required
@require_GET
def group_lines(request: HttpRequest, group: str) -> HttpResponse:
    """Imported lines of one group in the user's units (numbers masked), 50 to a page."""
    user = _require_reader(request)
    lines = lines_in_group(user, group)
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"group": group, "page": page, "groups": group_counts(user)}
    return render(request, "subscribers/campaigns/group_lines.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    """Upload a subscriber base (it is imported in the background), and the recent imports."""
    user = _user(request)
    units = officer_units(user)
    if not units.exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                actor=user,
                unit=form.cleaned_data["unit"],
                file_format=form.cleaned_data["file_format"],
                upload=form.cleaned_data["file"],
            )
        except RegistrationRefused as refused:
            if refused.status == 403:
                raise PermissionDenied from None
            _refusal_to_form(form, refused)
        else:
            messages.success(request, _("The file was received; the import runs in the background."))
            return redirect("subscribers_campaigns:import_detail", job.pk)
    context = {
        "form": form,
        "jobs": imports_visible(user)[:50],
        "required_columns": REQUIRED_COLUMNS,
        "optional_columns": OPTIONAL_COLUMNS,
    }
    return render(request, "subscribers/campaigns/imports.html", context)


@login_required
@require_GET
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """An import's progress (polled with htmx while it runs), its summary and its first refused rows."""
    job = access_import_by_id(_user(request), job_id)
    context = {"job": job, "errors": job.row_errors.all()[:200]}
    return render(request, "subscribers/campaigns/import_detail.html", context)


@login_required
@require_GET
def import_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_import_by_id(_user(request), job_id)
    return render(request, "subscribers/campaigns/_import_progress.html", {"job": job})
