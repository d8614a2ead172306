"""The owner's filings and each one's status: the list, the status page with its history, the correction of the
fields returned for changes, the withdrawal, the SMS code of the contact check, and the division choices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regdesk.cases.services import CaseRefused
from regdesk.filings.errors import FilingValidationError
from regdesk.filings.models import Filing, FilingState
from regdesk.filings.onsite_schedule import available_slots, date_label, onsite_notice, time_range_label
from regdesk.filings.portal import choices
from regdesk.filings.portal.claims import claims_of
from regdesk.filings.portal.fields import FieldSpec, editable
from regdesk.filings.portal.forms import SmsCodeForm, SpecForm, WithdrawForm
from regdesk.filings.portal.permissions import get_own_filing_or_404
from regdesk.filings.portal.selectors import (
    approval_view,
    pending_sms_check,
    status_sentence,
    timeline,
)
from regdesk.filings.portal.views.application import AS_YOU_TYPE_SKIPPED
from regdesk.filings.portal.views.common import (
    PURPOSE_CORRECT,
    access_forms,
    candidate,
    current_user,
    distribute,
    findings_of,
    merged_values,
    owner_forms,
    person_forms,
    problems,
    website_form,
)
from regdesk.filings.selectors import filing_detail, filings_of_owner, masked_data, returned_fields
from regdesk.filings.services import (
    contact_sms_code_confirm,
    filing_data_open,
    filing_fields_correct,
    filing_submit,
    filing_withdraw,
    stored_data,
)
from regdesk.web.views import owner_page


def _detail_url(filing: Filing) -> str:
    return reverse("filings_portal:detail", kwargs={"filing_id": filing.pk})


@owner_page
@require_GET
def filing_list(request: HttpRequest) -> HttpResponse:
    """The owner's filings: drafts to continue, and applications with their state and record numbers."""
    filings = filings_of_owner(current_user(request))
    return render(
        request,
        "filings/portal/list.html",
        {
            "drafts": [item for item in filings if item.state == FilingState.DRAFT],
            "filings": [item for item in filings if item.state != FilingState.DRAFT],
            "claims": claims_of(current_user(request)),
        },
    )


@owner_page
@require_GET
def filing_status(request: HttpRequest, filing_id: int) -> HttpResponse:
    """Where the filing stands, its history in the owner's words, and what the owner can do now."""
    filing = get_own_filing_or_404(request.user, filing_id)
    user = current_user(request)
    detail = filing_detail(filing, user)
    action_names = {action["name"] for action in detail.actions}
    onsite = onsite_notice(filing)
    slots = available_slots(filing) if onsite is not None else []
    return render(
        request,
        "filings/portal/detail.html",
        {
            "filing": filing,
            "detail": detail,
            "status_sentence": status_sentence(filing),
            "timeline": list(reversed(timeline(filing))),
            "can_withdraw": "withdraw" in action_names,
            "onsite": onsite,
            "onsite_slots": slots,
            "onsite_offices_many": len({option.office_id for option in slots}) > 1,
            "onsite_booking_day": date_label(onsite.booking.day) if onsite and onsite.booking else "",
            "onsite_booking_time": time_range_label(onsite.booking.starts_at, onsite.booking.ends_at)
            if onsite and onsite.booking
            else "",
            "sms_check": pending_sms_check(filing),
            "sms_form": SmsCodeForm(),
            "approval": approval_view(filing),
            "returned": returned_fields(filing) if filing.state == FilingState.NEEDS_CHANGES else [],
        },
    )


@owner_page
@require_http_methods(["GET", "POST"])
def filing_withdraw_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    """Withdraw the application (撤回), after a confirmation."""
    filing = get_own_filing_or_404(request.user, filing_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filing_withdraw(actor=current_user(request), filing=filing)
        except CaseRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The application has been withdrawn."))
        return HttpResponseRedirect(_detail_url(filing))
    return render(
        request,
        "filings/portal/withdraw.html",
        {"filing": filing, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@owner_page
@require_POST
def contact_sms_confirm(request: HttpRequest, filing_id: int) -> HttpResponse:
    """The owner enters the SMS code the provider sent to the person in charge's mobile."""
    filing = get_own_filing_or_404(request.user, filing_id)
    form = SmsCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the code from the SMS."))
        return HttpResponseRedirect(_detail_url(filing))
    try:
        contact_sms_code_confirm(actor=current_user(request), filing=filing, code=form.cleaned_data["code"])
    except CaseRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Thank you: the mobile number is confirmed."))
    return HttpResponseRedirect(_detail_url(filing))


# --------------------------------------------------------------------------------------------------------------
# Correction of the returned fields


def correction_forms(
    document: dict[str, Any], display: dict[str, Any], returned: Sequence[str], data: Any = None
) -> list[SpecForm]:
    """Every part of the application: the returned fields editable, the others shown read-only (masked)."""

    def may_change(base: str, spec: FieldSpec) -> bool:
        return editable(spec, base, returned)

    forms = [
        *owner_forms(document, data=data, editable=may_change, display=display),
        *person_forms(document, data=data, editable=may_change, display=display),
    ]
    for position, _website in enumerate(display.get("websites") or []):
        forms.append(website_form(document, position, data=data, editable=may_change, display=display))
    forms += access_forms(document, data=data, editable=may_change, display=display)
    return forms


def _correction_page(
    request: HttpRequest, filing: Filing, forms: Sequence[SpecForm], *, others: Sequence[Any] = (), status: int = 200
) -> HttpResponse:
    return render(
        request,
        "filings/portal/correct.html",
        {
            "filing": filing,
            "forms": forms,
            "returned": returned_fields(filing),
            "others": problems(filing, others),
            "validate_url": reverse("filings_portal:correct_validate", kwargs={"filing_id": filing.pk}),
        },
        status=status,
    )


@owner_page
@require_http_methods(["GET", "POST"])
def filing_correct(request: HttpRequest, filing_id: int) -> HttpResponse:
    """Correct only the fields returned for changes, then submit again."""
    filing = get_own_filing_or_404(request.user, filing_id)
    if filing.state != FilingState.NEEDS_CHANGES:
        return HttpResponseRedirect(_detail_url(filing))
    user = current_user(request)
    returned = list(filing.returned_fields or {})
    display = masked_data(filing)
    if request.method != "POST":
        document = filing_data_open(actor=user, filing=filing, purpose=PURPOSE_CORRECT).to_json()
        return _correction_page(request, filing, correction_forms(document, display, returned))
    forms = correction_forms(stored_data(filing).to_json(), display, returned, data=request.POST)
    try:
        filing_fields_correct(actor=user, filing=filing, values=merged_values(forms))
    except FilingValidationError as error:
        others = distribute(forms, error.errors)
        return _correction_page(request, filing, forms, others=others, status=422)
    except CaseRefused as refused:
        messages.error(request, refused.message)
        return _correction_page(request, filing, forms, status=409)
    if request.POST.get("go") != "submit":
        messages.success(request, _("Your corrections have been saved."))
        return HttpResponseRedirect(request.path)
    filing.refresh_from_db()
    try:
        filing_submit(actor=user, filing=filing)
    except FilingValidationError as error:
        forms = correction_forms(stored_data(filing).to_json(), display, returned, data=request.POST)
        others = distribute(forms, error.errors)
        messages.error(request, _("Your corrections have been saved, but the application still has errors."))
        return _correction_page(request, filing, forms, others=others, status=422)
    except CaseRefused as refused:
        messages.error(request, refused.message)
        return HttpResponseRedirect(request.path)
    messages.success(request, _("Your corrected application has been submitted."))
    return HttpResponseRedirect(_detail_url(filing))


@owner_page
@require_POST
def filing_correct_validate(request: HttpRequest, filing_id: int) -> HttpResponse:
    filing = get_own_filing_or_404(request.user, filing_id)
    if filing.state != FilingState.NEEDS_CHANGES:
        return render(request, "filings/portal/_validation.html", {"forms": []})
    stored = stored_data(filing).to_json()
    forms = correction_forms(stored, masked_data(filing), list(filing.returned_fields or {}), data=request.POST)
    errors = findings_of(candidate(stored, merged_values(forms)), filing=filing, owner=filing.owner)
    distribute(forms, errors, skip_codes=AS_YOU_TYPE_SKIPPED)
    return render(request, "filings/portal/_validation.html", {"forms": forms})


# --------------------------------------------------------------------------------------------------------------
# Divisions


@owner_page
@require_GET
def division_options(request: HttpRequest) -> HttpResponse:
    """The ``<option>`` list of the divisions under ``parent`` (a province's cities, a city's counties)."""
    parent = request.GET.get("parent", "")
    options = choices.division_children(parent) if parent.isascii() and parent.isdigit() else []
    return render(request, "filings/portal/_options.html", {"options": options})
