"""The filing's desk page: summary, reveal of a personal value, documents, history, clocks and the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regdesk.cases.models import Document
from regdesk.cases.services import CaseRefused, DocumentRefused, document_open
from regdesk.filings.desk.forms import PurposeForm, RejectForm, ReturnForm, RevealForm
from regdesk.filings.desk.page import (
    Row,
    action_label,
    action_states,
    filing_clocks,
    filing_documents,
    filing_history,
    filing_summary,
    returnable_fields,
    rule_warnings,
)
from regdesk.filings.desk.reveal import masked_value, reveal_value
from regdesk.filings.desk.routing import routing_context
from regdesk.filings.desk.views.common import current_user, field_messages, filing_view, is_htmx, no_store
from regdesk.filings.desk.views.contacts import contacts_context
from regdesk.filings.errors import FilingValidationError
from regdesk.filings.models import Filing, FilingState
from regdesk.filings.permissions import is_specialist_for
from regdesk.filings.selectors import filing_detail
from regdesk.miit.models import UploadStatus
from regdesk.privacy.errors import RevealRefusedError

FORM_ACTIONS = ("return_for_changes", "reject")
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def filing_url(filing: Filing) -> str:
    return reverse("filings_desk:filing", kwargs={"filing_id": filing.pk})


def actions_context(
    request: HttpRequest,
    filing: Filing,
    *,
    return_form: ReturnForm | None = None,
    reject_form: RejectForm | None = None,
    action_error: str = "",
    action_error_for: str = "",
) -> dict[str, Any]:
    """What the actions panel needs: the actions (enabled, or disabled with the guard's reason) and their forms."""
    assert filing.case is not None  # noqa: S101 - every filing has its case
    filing.case.refresh_from_db()
    actions = action_states(filing.case, request.user)
    names = {action.name for action in actions if action.enabled}
    if return_form is None and "return_for_changes" in names:
        return_form = ReturnForm(None, choices=returnable_fields(filing))
    return {
        "filing": filing,
        "actions": actions,
        "return_form": return_form,
        "reject_form": reject_form or RejectForm(),
        "action_error": action_error,
        "action_error_for": action_error_for,
    }


def page_context(request: HttpRequest, filing: Filing, **actions: Any) -> dict[str, Any]:
    user = current_user(request)
    assert filing.case is not None  # noqa: S101 - every filing has its case
    detail = filing_detail(filing, user)
    return {
        **actions_context(request, filing, **actions),
        **contacts_context(filing, user),
        "detail": detail,
        "summary": filing_summary(filing),
        "history": filing_history(filing),
        "clocks": filing_clocks(filing.case),
        "documents": filing_documents(filing, detail.documents),
        "is_specialist": is_specialist_for(user, filing),
        "onsite_open": filing.state == FilingState.AWAITING_ONSITE,
        "warnings": rule_warnings(detail.warnings),
        "upload_status_label": _upload_status_label(detail.regulator.upload_status),
        **routing_context(user, filing),
    }


def _upload_status_label(status: str) -> str:
    try:
        return str(UploadStatus(status).label)
    except ValueError:
        return status


@filing_view
@require_GET
def filing_page(request: HttpRequest, filing: Filing) -> HttpResponse:
    """The filing as the desk sees it; personal values masked."""
    return no_store(render(request, "filings/desk/filing.html", page_context(request, filing)))


@filing_view
@require_POST
def action(request: HttpRequest, filing: Filing, name: str) -> HttpResponse:
    """Take one of the process's actions through the filings services; a refusal shows the service's or the
    kernel's reason on the page and changes nothing."""
    user = current_user(request)
    payload: dict[str, Any] = {}
    return_form: ReturnForm | None = None
    reject_form: RejectForm | None = None
    if name == "return_for_changes":
        return_form = ReturnForm(request.POST, choices=returnable_fields(filing))
        if not return_form.is_valid():
            return _refused(request, filing, name, 422, return_form=return_form)
        payload = {"reasons": return_form.reasons}
    elif name == "reject":
        reject_form = RejectForm(request.POST)
        if not reject_form.is_valid():
            return _refused(request, filing, name, 422, reject_form=reject_form)
        payload = {"reason": reject_form.cleaned_data["reason"]}
    from regdesk.filings.services import filing_action

    try:
        filing_action(actor=user, filing=filing, action=name, payload=payload)
    except FilingValidationError as error:
        if return_form is not None:
            return_form.add_service_errors(field_messages(error))
            return _refused(request, filing, name, 422, return_form=return_form)
        return _refused(request, filing, name, 422, error=_joined(error))
    except CaseRefused as refused:
        return _refused(
            request, filing, name, 409, error=refused.message, return_form=return_form, reject_form=reject_form
        )
    assert filing.case is not None  # noqa: S101 - every filing has its case
    messages.success(request, _("Done: %(action)s.") % {"action": action_label(filing.case, name)})
    return HttpResponseRedirect(filing_url(filing))


def _joined(error: FilingValidationError) -> str:
    return " ".join(message for lines in field_messages(error).values() for message in lines) or error.message


def _refused(
    request: HttpRequest,
    filing: Filing,
    name: str,
    status: int,
    *,
    error: str = "",
    return_form: ReturnForm | None = None,
    reject_form: RejectForm | None = None,
) -> HttpResponse:
    filing.refresh_from_db()
    context = page_context(
        request,
        filing,
        return_form=return_form,
        reject_form=reject_form,
        action_error=error,
        action_error_for=name,
    )
    return no_store(render(request, "filings/desk/filing.html", context, status=status))


@filing_view
@require_GET
def return_row(request: HttpRequest, filing: Filing) -> HttpResponse:
    """One more blank row of the return form (htmx)."""
    return render(
        request,
        "filings/desk/partials/return_row.html",
        {"row": None, "choices": returnable_fields(filing)},
    )


@filing_view
@require_POST
def reveal(request: HttpRequest, filing: Filing) -> HttpResponse:
    """Reveal one personal value for a stated purpose (the vault audits it); htmx swaps the masked value."""
    form = RevealForm(request.POST)
    target = str(request.POST.get("target", ""))[:80]
    masked = masked_value(filing, target)
    if masked is None:
        raise Http404
    context: dict[str, Any] = {
        "filing": filing,
        "target": target,
        "form": form,
        "error": "",
        "row": Row(label="", value=masked, target=target),
    }
    if form.is_valid():
        try:
            value = reveal_value(
                actor=current_user(request), filing=filing, target=target, purpose=form.cleaned_data["purpose"]
            )
        except RevealRefusedError as refused:
            context["error"] = str(refused.message)
        else:
            context["value"] = value or ""
            context["revealed"] = True
    else:
        context["error"] = " ".join(str(message) for message in form.errors.get("purpose", []))
    template = "filings/desk/partials/revealed.html" if is_htmx(request) else "filings/desk/revealed_page.html"
    status = 200 if context.get("revealed") or is_htmx(request) else 422
    return no_store(render(request, template, context, status=status))


@filing_view
@require_POST
def open_document(request: HttpRequest, filing: Filing, document_id: int) -> HttpResponse:
    """Open one of the filing's documents for a stated purpose (recorded and audited by the kernel)."""
    document = get_object_or_404(Document, case=filing.case, pk=document_id)
    form = PurposeForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            data = document_open(actor=current_user(request), document=document, purpose=form.cleaned_data["purpose"])
        except DocumentRefused as refused:
            error = refused.message
        except PermissionDenied:
            raise Http404 from None
        else:
            response = HttpResponse(data, content_type=document.content_type)
            disposition = "attachment" if request.POST.get("download") else "inline"
            filename = f"{document.kind}-{document.pk}{EXTENSIONS.get(document.content_type, '')}"
            response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
            return no_store(response)
    else:
        error = " ".join(str(message) for message in form.errors.get("purpose", []))
    context = {"filing": filing, "error": error, "back": filing_url(filing)}
    return no_store(render(request, "filings/desk/document_refused.html", context, status=422))
