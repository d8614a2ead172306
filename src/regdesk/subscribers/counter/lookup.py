"""The one-ID lookup at the counter (一证通查): the customer's card is read, every line registered under it is listed
(numbers masked), and a line the customer does not know can be disputed (``line_dispute``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regdesk.accounts.models import OrgUnit, User
from regdesk.subscribers.counter.common import (
    CHANNEL_LABELS,
    LINE_KIND_LABELS,
    LINE_STATUS_LABELS,
    counter_page,
    current_user,
    label,
    lookup_reading,
    reading_document,
    remember_lookup_reading,
    wants_json,
)
from regdesk.subscribers.counter.forms import DisputeForm, ReadingForm
from regdesk.subscribers.counter.photos import id_photo
from regdesk.subscribers.counter.selectors import SlotReading, usable_reading
from regdesk.subscribers.models import Line
from regdesk.subscribers.permissions import access_outlet_by_code
from regdesk.subscribers.process import DISPUTE_WORKING_DAYS
from regdesk.subscribers.selectors import LineSummary, lines_for_identity, reading_for_counter
from regdesk.subscribers.services import (
    LookupRefused,
    RegistrationRefused,
    line_dispute,
    proof_from_reading,
    reading_verify,
)


def line_rows(lines: list[LineSummary], dispute_forms: dict[int, DisputeForm] | None = None) -> list[dict[str, Any]]:
    """The lines with their labels and a dispute form each."""
    forms = dispute_forms or {}
    return [
        {
            "line": line,
            "kind": label(LINE_KIND_LABELS, line.kind),
            "status": label(LINE_STATUS_LABELS, line.status),
            "channel": label(CHANNEL_LABELS, line.channel) if line.channel else "",
            "form": forms.get(line.id) or DisputeForm(initial={"line": line.id}, auto_id=f"id_line{line.id}_%s"),
        }
        for line in lines
    ]


def _lookup_page(
    request: HttpRequest,
    user: User,
    outlet: OrgUnit,
    *,
    form: ReadingForm | None = None,
    dispute_forms: dict[int, DisputeForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    reading: SlotReading | None = usable_reading(user, lookup_reading(request, outlet.code))
    lines: list[LineSummary] | None = None
    problem = ""
    if reading is not None:
        card = reading_for_counter(user, reading.view.id)
        try:
            assert card is not None  # noqa: S101 - usable_reading found it a moment ago
            proof = proof_from_reading(actor=user, reading=card)
        except LookupRefused as refused:
            problem = refused.message
            reading = None
        else:
            lines = lines_for_identity(actor=user, proof=proof)
    context = {
        "outlet": outlet,
        "form": form or ReadingForm(),
        "reading": reading,
        "rows": line_rows(lines, dispute_forms) if lines is not None else None,
        "problem": problem,
        "photo": id_photo(user, reading.reading if reading is not None else None),
    }
    return render(request, "subscribers/counter/lookup.html", context, status=status)


@counter_page
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest, outlet_code: str) -> HttpResponse:
    """GET: the lines of the card read last at this outlet; POST: verify a new reading (pasted, uploaded, or the
    reader agent's JSON) and list its lines."""
    user = current_user(request)
    outlet = access_outlet_by_code(user, outlet_code)
    if request.method == "GET":
        return _lookup_page(request, user, outlet)
    form = ReadingForm(request.POST, request.FILES)
    form.is_valid()
    document, problem = reading_document(
        request, str(form.cleaned_data.get("reading") or ""), form.cleaned_data.get("reading_file")
    )
    refused: RegistrationRefused | None = None
    if document is None:
        refused = RegistrationRefused("reading_malformed", problem, field="reading")
    else:
        try:
            reading = reading_verify(actor=user, outlet=outlet, document=document)
        except RegistrationRefused as error:
            refused = error
    if refused is not None:
        if wants_json(request):
            return JsonResponse(
                {"error": {"code": refused.code, "message": refused.message, "fields": {}}},
                status=refused.status or 422,
            )
        form.add_error("reading", refused.message)
        return _lookup_page(request, user, outlet, form=form, status=refused.status or 422)
    remember_lookup_reading(request, outlet.code, reading.pk)
    page = reverse("subscribers_counter:lookup", args=[outlet.code])
    if wants_json(request):
        return JsonResponse({"reading": {"id": reading.pk}, "page": page}, status=201)
    return HttpResponseRedirect(page)


@counter_page
@require_POST
def lookup_finish(request: HttpRequest, outlet_code: str) -> HttpResponse:
    """Forget the card of the lookup (the customer is served)."""
    user = current_user(request)
    outlet = access_outlet_by_code(user, outlet_code)
    remember_lookup_reading(request, outlet.code, None)
    return HttpResponseRedirect(reverse("subscribers_counter:lookup", args=[outlet.code]))


@counter_page
@require_POST
def lookup_dispute(request: HttpRequest, outlet_code: str) -> HttpResponse:
    """The customer whose card was read does not know one of the lines: open a dispute for compliance."""
    user = current_user(request)
    outlet = access_outlet_by_code(user, outlet_code)
    form = DisputeForm(request.POST)
    reading_id = lookup_reading(request, outlet.code)
    card = reading_for_counter(user, reading_id) if reading_id is not None else None
    if card is None:
        messages.error(request, _("Read the customer's card first."))
        return HttpResponseRedirect(reverse("subscribers_counter:lookup", args=[outlet.code]))
    if not form.is_valid():
        line_id = form.cleaned_data.get("line")
        return _lookup_page(request, user, outlet, dispute_forms={line_id: form} if line_id else None, status=422)
    line = Line.objects.filter(pk=form.cleaned_data["line"]).first()
    try:
        proof = proof_from_reading(actor=user, reading=card)
        if line is None:
            raise LookupRefused("line_not_found", _("No such line is registered under this ID."), status=404)
        dispute = line_dispute(actor=user, proof=proof, line=line, statement=form.cleaned_data["statement"])
    except LookupRefused as refused:
        if refused.field:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
            return _lookup_page(
                request, user, outlet, dispute_forms={form.cleaned_data["line"]: form}, status=refused.status or 422
            )
        messages.error(request, refused.message)
        return HttpResponseRedirect(reverse("subscribers_counter:lookup", args=[outlet.code]))
    messages.success(
        request,
        _("The dispute %(reference)s is open: compliance answers the customer within %(days)s working days.")
        % {"reference": dispute.case.reference, "days": DISPUTE_WORKING_DAYS},
    )
    return HttpResponseRedirect(reverse("subscribers_counter:lookup", args=[outlet.code]))
