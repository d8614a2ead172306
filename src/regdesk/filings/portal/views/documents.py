"""Documents of the application, the review before submitting, and the submission.

Scans of the certificate, of both sides of the ID documents and of the domain certificates go through
``filing_scan_upload``; the scan of a pre-approval through ``filing_document_upload`` and then into the data
(``websites[n].pre_approvals[m].document_id``), where the rules check it. The review shows the data masked, with a
button that shows it in full (an audited read), every error of the rules with a link to its step, and the submit
button; the submission itself is ``filing_submit``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regdesk.cases.services import CaseRefused
from regdesk.filings.errors import FilingValidationError
from regdesk.filings.models import AttachmentKind, Filing, FilingState
from regdesk.filings.portal.fields import message_of
from regdesk.filings.portal.forms import DocumentUploadForm, SpecForm
from regdesk.filings.portal.permissions import get_own_filing_or_404
from regdesk.filings.portal.selectors import ScanSlot, scan_slots
from regdesk.filings.portal.views.common import (
    PURPOSE_SHOW,
    access_forms,
    current_user,
    owner_forms,
    person_forms,
    problems,
    step_url,
    stepper,
    website_form,
)
from regdesk.filings.selectors import masked_data
from regdesk.filings.services import filing_document_upload, filing_fields_correct, filing_submit, stored_data
from regdesk.filings.services.application import APPLICATION_SCAN_KINDS, filing_data_open, filing_scan_upload
from regdesk.filings.validation import Stage, check_filing_data
from regdesk.web.views import owner_page

EDITABLE = (FilingState.DRAFT, FilingState.NEEDS_CHANGES)


def _documents_page(
    request: HttpRequest, filing: Filing, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    slots = scan_slots(filing)
    found = errors or {}
    owner_slots = [(slot, found.get(slot.key, "")) for slot in slots if slot.website_position is None]
    website_slots: dict[int, list[tuple[ScanSlot, str]]] = {}
    for slot in slots:
        if slot.website_position is not None:
            website_slots.setdefault(slot.website_position, []).append((slot, found.get(slot.key, "")))
    websites = list(filing.websites.order_by("position", "pk"))
    return render(
        request,
        "filings/portal/documents.html",
        {
            "filing": filing,
            "step": "documents",
            "steps": stepper(filing, "documents"),
            "owner_slots": owner_slots,
            "website_groups": [(websites[position], items) for position, items in sorted(website_slots.items())],
            "missing": sum(1 for slot in slots if slot.document is None),
        },
        status=status,
    )


def _upload(request: HttpRequest, filing: Filing, form: DocumentUploadForm) -> None:
    """Store the upload; refusals are raised (``FilingValidationError``, ``CaseRefused``)."""
    user = current_user(request)
    kind = form.cleaned_data["kind"]
    upload = form.cleaned_data["file"]
    website_position = form.cleaned_data.get("website")
    if kind == AttachmentKind.PRE_APPROVAL:
        approval_position = form.cleaned_data.get("approval")
        if website_position is None or approval_position is None:
            raise FilingValidationError([])
        document = filing_document_upload(
            actor=user, filing=filing, kind=kind, filename=upload.name or "", content=upload
        )
        path = f"websites[{website_position}].pre_approvals[{approval_position}].document_id"
        filing_fields_correct(actor=user, filing=filing, values={path: document.pk})
        return
    website = None
    if website_position is not None:
        website = filing.websites.order_by("position", "pk")[website_position : website_position + 1].first()
    filing_scan_upload(
        actor=user, filing=filing, kind=kind, filename=upload.name or "", content=upload, website=website
    )


@owner_page
@require_http_methods(["GET", "POST"])
def step_documents(request: HttpRequest, filing_id: int) -> HttpResponse:
    """The scans of the application: list, upload, replace."""
    filing = get_own_filing_or_404(request.user, filing_id)
    if filing.state not in EDITABLE:
        messages.info(request, _("This application has been submitted and can no longer be edited."))
        return HttpResponseRedirect(reverse("filings_portal:detail", kwargs={"filing_id": filing.pk}))
    if request.method != "POST":
        return _documents_page(request, filing)
    form = DocumentUploadForm(request.POST, request.FILES)
    slot = "-".join(
        str(part)
        for part in (request.POST.get("kind", ""), request.POST.get("website", ""), request.POST.get("approval", ""))
        if part != ""
    )
    if not form.is_valid() or form.cleaned_data["kind"] not in {*APPLICATION_SCAN_KINDS, AttachmentKind.PRE_APPROVAL}:
        return _documents_page(request, filing, errors={slot: _("Choose a file to upload.")}, status=422)
    try:
        _upload(request, filing, form)
    except FilingValidationError as error:
        message = "；".join(message_of(item) for item in error.errors)
        return _documents_page(request, filing, errors={slot: message or _("The upload was refused.")}, status=422)
    except CaseRefused as refused:
        return _documents_page(request, filing, errors={slot: refused.message}, status=409)
    messages.success(request, _("The document has been uploaded."))
    return HttpResponseRedirect(step_url(filing, "documents"))


# --------------------------------------------------------------------------------------------------------------
# Review and submission


def review_sections(document: dict[str, Any]) -> list[SpecForm]:
    """The application's parts, read-only, with the values of ``document`` (masked or in full)."""

    def never(base: str, spec: object) -> bool:
        return False

    sections = [*owner_forms(document, editable=never), *person_forms(document, editable=never)]
    for position, _website in enumerate(document.get("websites") or []):
        sections.append(website_form(document, position, editable=never))
    sections += access_forms(document, editable=never)
    return sections


@owner_page
@require_http_methods(["GET"])
def step_review(request: HttpRequest, filing_id: int) -> HttpResponse:
    """Everything entered (masked), what is still wrong or missing, and the submit button."""
    filing = get_own_filing_or_404(request.user, filing_id)
    if filing.state == FilingState.NEEDS_CHANGES:
        return HttpResponseRedirect(reverse("filings_portal:correct", kwargs={"filing_id": filing.pk}))
    if filing.state != FilingState.DRAFT:
        return HttpResponseRedirect(reverse("filings_portal:detail", kwargs={"filing_id": filing.pk}))
    findings = check_filing_data(stored_data(filing), stage=Stage.SUBMIT, owner=filing.owner, filing=filing)
    slots = scan_slots(filing)
    return render(
        request,
        "filings/portal/review.html",
        {
            "filing": filing,
            "step": "review",
            "steps": stepper(filing, "review", findings=findings.errors),
            "sections": review_sections(masked_data(filing)),
            "errors": problems(filing, findings.errors),
            "warnings": problems(filing, findings.warnings),
            "missing_scans": [slot for slot in slots if slot.document is None],
        },
    )


@owner_page
@require_POST
def filing_reveal(request: HttpRequest, filing_id: int) -> HttpResponse:
    """The application's parts with the owner's own values in full (htmx), written to the audit trail."""
    filing = get_own_filing_or_404(request.user, filing_id)
    document = filing_data_open(actor=current_user(request), filing=filing, purpose=PURPOSE_SHOW).to_json()
    return render(request, "filings/portal/_sections.html", {"sections": review_sections(document), "revealed": True})


@owner_page
@require_POST
def filing_submit_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    """Submit the draft, or the corrected application, to the provider's specialist."""
    filing = get_own_filing_or_404(request.user, filing_id)
    back = "correct" if filing.state == FilingState.NEEDS_CHANGES else "review"
    try:
        filing_submit(actor=current_user(request), filing=filing)
    except FilingValidationError:
        messages.error(request, _("The application is incomplete or has errors: correct each field named below."))
        return HttpResponseRedirect(reverse(f"filings_portal:{back}", kwargs={"filing_id": filing.pk}))
    except CaseRefused as refused:
        messages.error(request, refused.message)
        return HttpResponseRedirect(reverse(f"filings_portal:{back}", kwargs={"filing_id": filing.pk}))
    messages.success(request, _("Your application has been submitted. The provider's specialist reviews it now."))
    return HttpResponseRedirect(reverse("filings_portal:detail", kwargs={"filing_id": filing.pk}))
