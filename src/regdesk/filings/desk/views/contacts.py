"""Contact verification of the person in charge (seed 001, step 2) on the filing's page.

The specialist sends the e-mail link (the person confirms it on the public page) and the SMS code (the person reads
it out on the phone and the specialist enters it here, or enters it in the portal), or records a phone call. Each
answer re-renders the panel and, out of band, the actions panel: the on-site notice opens once the details are
verified.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regdesk.accounts.models import User
from regdesk.cases.services import CaseRefused
from regdesk.filings.desk.forms import PhoneCallForm, SmsCodeForm
from regdesk.filings.desk.views.common import back_to, current_user, filing_view, is_htmx, refusal_text
from regdesk.filings.models import CallOutcome, ContactChannel, ContactCheckStatus, Filing
from regdesk.filings.permissions import is_specialist_for
from regdesk.filings.selectors import contact_status
from regdesk.filings.services import (
    contact_email_link_send,
    contact_phone_call_record,
    contact_sms_code_confirm,
    contact_sms_code_send,
)
from regdesk.filings.services.contacts import CHECK_STATES
from regdesk.gateways.errors import GatewayError


@dataclass(frozen=True)
class ContactLine:
    channel: str
    channel_label: str
    status: str
    status_label: str
    outcome_label: str
    attempts: int
    created_at: datetime
    confirmed_at: datetime | None
    expires_at: datetime | None


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def contacts_context(
    filing: Filing,
    user: User,
    *,
    error: str = "",
    notice: str = "",
    code_form: SmsCodeForm | None = None,
    call_form: PhoneCallForm | None = None,
) -> dict[str, Any]:
    """The contact panel: whether the details are verified, each check of this submission, the forms."""
    status = contact_status(filing)
    owner = filing.owner
    return {
        "filing": filing,
        "contacts_verified": status.verified,
        "contact_checks": [
            ContactLine(
                channel=check["channel"],
                channel_label=_label(ContactChannel, check["channel"]),
                status=check["status"],
                status_label=_label(ContactCheckStatus, check["status"]),
                outcome_label=_label(CallOutcome, check["outcome"]) if check["outcome"] else "",
                attempts=check["attempts"],
                created_at=check["created_at"],
                confirmed_at=check["confirmed_at"],
                expires_at=check["expires_at"],
            )
            for check in status.checks
        ],
        "contacts_checkable": filing.state in CHECK_STATES and is_specialist_for(user, filing),
        "contact_email": owner.person_email.masked if owner.person_email is not None else "",
        "contact_mobile": owner.person_mobile.masked if owner.person_mobile is not None else "",
        "code_form": code_form or SmsCodeForm(),
        "call_form": call_form or PhoneCallForm(),
        "contact_error": error,
        "contact_notice": notice,
    }


def _answer(
    request: HttpRequest,
    filing: Filing,
    run: Callable[[], object],
    *,
    success: str,
    code_form: SmsCodeForm | None = None,
    call_form: PhoneCallForm | None = None,
) -> HttpResponse:
    user = current_user(request)
    error = ""
    try:
        run()
    except (CaseRefused, GatewayError) as refused:
        error = refusal_text(refused)
    filing.refresh_from_db()
    if not is_htmx(request):
        url = reverse("filings_desk:filing", kwargs={"filing_id": filing.pk}) + "#contacts"
        return back_to(request, url, success="" if error else success, error=error)
    from regdesk.filings.desk.views.filing import actions_context

    context = {
        **contacts_context(
            filing,
            user,
            error=error,
            notice="" if error else success,
            code_form=code_form if error else None,
            call_form=call_form if error else None,
        ),
        **actions_context(request, filing),
        "oob": True,
    }
    return render(request, "filings/desk/partials/contacts.html", context)


def _invalid(request: HttpRequest, filing: Filing, **forms: Any) -> HttpResponse:
    message = _("Correct the marked field.")
    if not is_htmx(request):
        url = reverse("filings_desk:filing", kwargs={"filing_id": filing.pk}) + "#contacts"
        return back_to(request, url, error=message)
    context = contacts_context(filing, current_user(request), error=message, **forms)
    return render(request, "filings/desk/partials/contacts.html", context)


@filing_view
@require_POST
def email_send(request: HttpRequest, filing: Filing) -> HttpResponse:
    user = current_user(request)
    return _answer(
        request,
        filing,
        lambda: contact_email_link_send(actor=user, filing=filing),
        success=_("The confirmation link was e-mailed to the person in charge."),
    )


@filing_view
@require_POST
def sms_send(request: HttpRequest, filing: Filing) -> HttpResponse:
    user = current_user(request)
    return _answer(
        request,
        filing,
        lambda: contact_sms_code_send(actor=user, filing=filing),
        success=_("A code was sent by SMS to the person in charge; ask them to read it out."),
    )


@filing_view
@require_POST
def sms_confirm(request: HttpRequest, filing: Filing) -> HttpResponse:
    user = current_user(request)
    form = SmsCodeForm(request.POST)
    if not form.is_valid():
        return _invalid(request, filing, code_form=form)
    return _answer(
        request,
        filing,
        lambda: contact_sms_code_confirm(actor=user, filing=filing, code=form.cleaned_data["code"]),
        success=_("The mobile number is confirmed."),
        code_form=form,
    )


@filing_view
@require_POST
def phone_call(request: HttpRequest, filing: Filing) -> HttpResponse:
    user = current_user(request)
    form = PhoneCallForm(request.POST)
    if not form.is_valid():
        return _invalid(request, filing, call_form=form)
    return _answer(
        request,
        filing,
        lambda: contact_phone_call_record(
            actor=user, filing=filing, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
        ),
        success=_("The phone call is recorded."),
        call_form=form,
    )
