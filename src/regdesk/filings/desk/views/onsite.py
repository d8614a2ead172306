"""The on-site verification screen (当面核验, seed 001 steps 3-6): checklist of originals, photo, record checks,
copies, verification form, then "record the on-site verification".

Every part posts to its own address and the answer re-renders the whole panel (htmx), because the parts depend on
each other: a new photo clears the identity check and the confirmation, any change makes a generated form stale.
Without htmx each form still works, answering with the page again.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from PIL import Image, UnidentifiedImageError

from regdesk.accounts.models import User
from regdesk.cases.models import ClockState, Document
from regdesk.cases.services import CaseRefused, DocumentRefused, document_open
from regdesk.filings import conditions
from regdesk.filings.desk.forms import (
    ChecklistForm,
    CopyForm,
    PhotoConfirmForm,
    PhotoForm,
    VerificationFormForm,
)
from regdesk.filings.desk.page import onsite_copies
from regdesk.filings.desk.queue import clock_badge
from regdesk.filings.desk.views.common import (
    back_to,
    current_user,
    filing_view,
    is_htmx,
    no_store,
    refusal_text,
    with_headers,
)
from regdesk.filings.errors import FilingValidationError
from regdesk.filings.models import AttachmentKind, CheckOutcome, Filing, FilingState, Website
from regdesk.filings.onsite_schedule import current_booking, date_label, time_range_label
from regdesk.filings.permissions import is_specialist_for
from regdesk.filings.selectors import onsite_progress, owner_display_name
from regdesk.filings.services import (
    filing_onsite_verification_record,
    onsite_checklist_record,
    onsite_copy_store,
    onsite_form_generate,
    onsite_identity_check,
    onsite_photo_confirm,
    onsite_photo_take,
    onsite_registry_check,
)
from regdesk.filings.services.onsite import onsite_document
from regdesk.gateways.errors import GatewayError

# A file larger than this is refused before it is read (the photo's own limit is 30 MB, a copy's 10 MB).
UPLOAD_CEILING_BYTES = 32 * 1024 * 1024
PREVIEW_PURPOSE = "on-site verification: the specialist checks the photo just taken"


def onsite_url(filing: Filing) -> str:
    return reverse("filings_desk:onsite", kwargs={"filing_id": filing.pk})


def _photo_preview(user: User, document: Document) -> dict[str, Any]:
    """The upload copy as a data URI with its size, opened (and audited) for the specialist's check."""
    data = document_open(actor=user, document=document, purpose=PREVIEW_PURPOSE)
    width = height = 0
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError):
        pass
    return {
        "uri": f"data:{document.content_type};base64,{base64.b64encode(data).decode('ascii')}",
        "width": width,
        "height": height,
        "kilobytes": round(len(data) / 1024, 1),
    }


def onsite_context(
    filing: Filing,
    user: User,
    *,
    error: str = "",
    error_for: str = "",
    notice: str = "",
    photo_preview: dict[str, Any] | None = None,
    **forms: Any,
) -> dict[str, Any]:
    """Everything the on-site panel shows: what is missing, each part's state, the forms."""
    progress = onsite_progress(filing)
    verification = conditions.current_verification(filing)
    photo = onsite_document(filing, AttachmentKind.PHOTO_UPLOAD) if filing.onsite_rounds else None
    form_document = (
        Document.objects.filter(pk=progress.form_document_id).first()
        if progress is not None and progress.form_document_id
        else None
    )
    assert filing.case is not None  # noqa: S101 - every filing has its case
    clock = (
        filing.case.clocks.filter(name="onsite", state__in=[ClockState.RUNNING, ClockState.BREACHED])
        .prefetch_related("fired_rungs")
        .order_by("-started_at")
        .first()
    )
    originals = progress.originals if progress is not None else {}
    booking = current_booking(filing)
    websites = list(Website.objects.filter(filing=filing).order_by("position", "pk"))
    return {
        "filing": filing,
        "owner_name": owner_display_name(filing.owner),
        "progress": progress,
        "verification": verification,
        "can_act": filing.state == FilingState.AWAITING_ONSITE and is_specialist_for(user, filing),
        "needs_pre_approvals": any(website.pre_approvals.exists() for website in websites),
        "copies": onsite_copies(filing),
        "photo": photo,
        "photo_preview": photo_preview,
        "form_document": form_document,
        "clock": clock_badge(clock) if clock is not None else None,
        "booking": booking,
        "booking_label": f"{date_label(booking.day)} {time_range_label(booking.starts_at, booking.ends_at)}"
        if booking is not None
        else "",
        "checklist_form": forms.get("checklist_form") or ChecklistForm(initial=originals),
        "copy_form": forms.get("copy_form") or CopyForm(),
        "photo_form": forms.get("photo_form") or PhotoForm(),
        "confirm_form": forms.get("confirm_form")
        or PhotoConfirmForm(initial={"face_matches": bool(progress and progress.photo_confirmed)}),
        "place_form": forms.get("place_form")
        or VerificationFormForm(initial={"place": verification.place if verification is not None else ""}),
        "outcomes": {
            "consistent": CheckOutcome.CONSISTENT,
            "inconsistent": CheckOutcome.INCONSISTENT,
            "not_available": CheckOutcome.NOT_AVAILABLE,
            "not_applicable": CheckOutcome.NOT_APPLICABLE,
        },
        "error": error,
        "error_for": error_for,
        "notice": notice,
    }


def _outcome_label(value: str) -> str:
    try:
        return str(CheckOutcome(value).label)
    except ValueError:
        return value


def _panel(request: HttpRequest, filing: Filing, **context: Any) -> HttpResponse:
    """The answer to an on-site form: the panel (htmx) or the screen again with a message."""
    filing.refresh_from_db()
    if not is_htmx(request) and not context.get("photo_preview"):
        error = str(context.get("error", ""))
        return back_to(
            request, onsite_url(filing), success="" if error else str(context.get("notice", "")), error=error
        )
    # The preview is shown once, in this answer (it is not kept anywhere): the whole screen without htmx.
    template = "filings/desk/partials/onsite_panel.html" if is_htmx(request) else "filings/desk/onsite.html"
    return no_store(render(request, template, onsite_context(filing, current_user(request), **context)))


def _run(
    request: HttpRequest, filing: Filing, part: str, run: Callable[[], object], *, success: str, **forms: Any
) -> HttpResponse:
    try:
        run()
    except (CaseRefused, GatewayError) as refused:
        return _panel(request, filing, error=refusal_text(refused), error_for=part, **forms)
    return _panel(request, filing, notice=success)


def _invalid(request: HttpRequest, filing: Filing, part: str, **forms: Any) -> HttpResponse:
    """The panel with the form's errors, each after its field's label."""
    messages_by_field = []
    for form in forms.values():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages_by_field.append(f"{label}: {text}" if label else text)
    error = " ".join(messages_by_field) or _("Correct the marked field.")
    return _panel(request, filing, error=error, error_for=part, **forms)


def _uploaded(file: UploadedFile) -> bytes | None:
    """The file's bytes, or None for a file above the ceiling (refused before it is read whole)."""
    if file.size is not None and file.size > UPLOAD_CEILING_BYTES:
        return None
    data = bytes(file.read(UPLOAD_CEILING_BYTES + 1))
    return None if len(data) > UPLOAD_CEILING_BYTES else data


@filing_view
@require_GET
def onsite_screen(request: HttpRequest, filing: Filing) -> HttpResponse:
    """The on-site verification screen of the current notice."""
    context = onsite_context(filing, current_user(request))
    return no_store(render(request, "filings/desk/onsite.html", context))


@filing_view
@require_POST
def checklist(request: HttpRequest, filing: Filing) -> HttpResponse:
    user = current_user(request)
    form = ChecklistForm(request.POST)
    if not form.is_valid():
        return _invalid(request, filing, "checklist", checklist_form=form)
    return _run(
        request,
        filing,
        "checklist",
        lambda: onsite_checklist_record(actor=user, filing=filing, originals=form.originals()),
        success=_("The checklist of originals seen is saved."),
    )


@filing_view
@require_POST
def identity_check(request: HttpRequest, filing: Filing) -> HttpResponse:
    user = current_user(request)
    try:
        verification = onsite_identity_check(actor=user, filing=filing)
    except (CaseRefused, GatewayError) as refused:
        return _panel(request, filing, error=refusal_text(refused), error_for="identity")
    return _panel(
        request,
        filing,
        notice=_("Identity check: %(outcome)s.") % {"outcome": _outcome_label(verification.identity_outcome)},
    )


@filing_view
@require_POST
def registry_check(request: HttpRequest, filing: Filing) -> HttpResponse:
    user = current_user(request)
    try:
        verification = onsite_registry_check(actor=user, filing=filing)
    except (CaseRefused, GatewayError) as refused:
        return _panel(request, filing, error=refusal_text(refused), error_for="registry")
    return _panel(
        request,
        filing,
        notice=_("Enterprise registry check: %(outcome)s.")
        % {"outcome": _outcome_label(verification.registry_outcome)},
    )


@filing_view
@require_POST
def copy_store(request: HttpRequest, filing: Filing) -> HttpResponse:
    user = current_user(request)
    form = CopyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, filing, "copies", copy_form=form)
    website = None
    if form.cleaned_data.get("website") is not None:
        website = Website.objects.filter(filing=filing, pk=form.cleaned_data["website"]).first()
        if website is None:
            form.add_error("website", _("There is no such website in this filing."))
            return _invalid(request, filing, "copies", copy_form=form)
    upload: UploadedFile = form.cleaned_data["file"]
    content = _uploaded(upload)
    if content is None:
        form.add_error("file", _("The file is too large."))
        return _invalid(request, filing, "copies", copy_form=form)
    return _run(
        request,
        filing,
        "copies",
        lambda: onsite_copy_store(
            actor=user,
            filing=filing,
            kind=form.cleaned_data["kind"],
            filename=upload.name or "copy",
            content=content,
            website=website,
        ),
        success=_("The copy is stored, marked for ICP filing use only."),
    )


@filing_view
@require_POST
def photo_take(request: HttpRequest, filing: Filing) -> HttpResponse:
    """Store the photo; a photo the rules refuse (grey, too small, no face or several) shows the exact reason."""
    user = current_user(request)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, filing, "photo", photo_form=form)
    upload: UploadedFile = form.cleaned_data["photo"]
    content = _uploaded(upload)
    if content is None:
        form.add_error("photo", _("The file is too large."))
        return _invalid(request, filing, "photo", photo_form=form)
    try:
        attachment = onsite_photo_take(actor=user, filing=filing, content=content, filename=upload.name or "photo.jpg")
    except FilingValidationError as error:
        return _panel(request, filing, error=refusal_text(error), error_for="photo")
    except CaseRefused as refused:
        return _panel(request, filing, error=refusal_text(refused), error_for="photo")
    preview = _photo_preview(user, attachment.document)
    return _panel(
        request,
        filing,
        notice=_("The photo is stored. Compare it with the person and the ID, then confirm."),
        photo_preview=preview,
    )


@filing_view
@require_POST
def photo_preview(request: HttpRequest, filing: Filing) -> HttpResponse:
    """Show the stored upload copy of the photo (opened with the on-site purpose, audited)."""
    document = onsite_document(filing, AttachmentKind.PHOTO_UPLOAD) if filing.onsite_rounds else None
    if document is None:
        return _panel(request, filing, error=_("Take the photo of the person in charge first."), error_for="photo")
    try:
        preview = _photo_preview(current_user(request), document)
    except DocumentRefused as refused:
        return _panel(request, filing, error=refused.message, error_for="photo")
    return _panel(request, filing, photo_preview=preview)


@filing_view
@require_POST
def photo_confirm(request: HttpRequest, filing: Filing) -> HttpResponse:
    user = current_user(request)
    form = PhotoConfirmForm(request.POST)
    if not form.is_valid():
        return _invalid(request, filing, "photo", confirm_form=form)
    matches = bool(form.cleaned_data["face_matches"])
    return _run(
        request,
        filing,
        "photo",
        lambda: onsite_photo_confirm(actor=user, filing=filing, face_matches=matches),
        success=_("Recorded: the photo shows the person on the ID.")
        if matches
        else _("Recorded: the photo does NOT show the person on the ID."),
    )


@filing_view
@require_POST
def form_generate(request: HttpRequest, filing: Filing) -> HttpResponse:
    user = current_user(request)
    form = VerificationFormForm(request.POST)
    if not form.is_valid():
        return _invalid(request, filing, "form", place_form=form)
    return _run(
        request,
        filing,
        "form",
        lambda: onsite_form_generate(actor=user, filing=filing, place=form.cleaned_data["place"]),
        success=_("The verification form is generated: two pages, the second with the provider's seal."),
        place_form=form,
    )


@filing_view
@require_POST
def record(request: HttpRequest, filing: Filing) -> HttpResponse:
    """Record the on-site verification; refused with the list of what is still missing."""
    try:
        filing_onsite_verification_record(actor=current_user(request), filing=filing)
    except CaseRefused as refused:
        return _panel(request, filing, error=refusal_text(refused), error_for="record")
    url = reverse("filings_desk:filing", kwargs={"filing_id": filing.pk})
    message = _("The on-site verification is recorded; the filing can go to the regulator.")
    if is_htmx(request):
        messages.success(request, message)
        return with_headers(HttpResponse(), HX_Redirect=url)
    return back_to(request, url, success=message)
