"""The compliance officer's reassignment of a filing to another unit (重新分派), from the filing's desk page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regdesk.accounts.models import OrgUnit
from regdesk.cases.services import CaseRefused
from regdesk.filings.desk.routing import ReassignForm, reassign_targets, routing_context
from regdesk.filings.desk.views.common import current_user, filing_view, no_store
from regdesk.filings.models import Filing
from regdesk.filings.services.routing import filing_reassign


def _again(request: HttpRequest, filing: Filing, form: ReassignForm, status: int, error: str = "") -> HttpResponse:
    from regdesk.filings.desk.views.filing import page_context

    context = page_context(request, filing)
    context.update(routing_context(current_user(request), filing, form=form))
    context["reassign_error"] = error
    return no_store(render(request, "filings/desk/filing.html", context, status=status))


@filing_view
@require_POST
def reassign(request: HttpRequest, filing: Filing) -> HttpResponse:
    """Move the filing to the chosen unit, for the reason given; a refusal shows why and changes nothing."""
    user = current_user(request)
    units = reassign_targets(user, filing)
    if not units:
        return _again(request, filing, ReassignForm(units=units), 403, _("You may not reassign this filing."))
    form = ReassignForm(request.POST, units=units)
    if not form.is_valid():
        return _again(request, filing, form, 422)
    unit = OrgUnit.objects.get(code=form.cleaned_data["unit"])
    try:
        filing_reassign(actor=user, filing=filing, unit=unit, reason=form.cleaned_data["reason"])
    except CaseRefused as refused:
        return _again(request, filing, form, 409, refused.message)
    messages.success(request, _("The filing now belongs to %(unit)s.") % {"unit": unit.name})
    return HttpResponseRedirect(reverse("filings_desk:filing", kwargs={"filing_id": filing.pk}))
