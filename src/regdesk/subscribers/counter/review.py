"""A supervisor's decision on a registration held for review (低分人像比对): the ID photo beside the photo taken at
the counter, and approve or decline with a note (``registration_decide``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from regdesk.cases.services.documents import max_document_bytes
from regdesk.subscribers.counter.common import counter_page, current_user, show_refusal
from regdesk.subscribers.counter.forms import DecisionForm
from regdesk.subscribers.counter.page import display_of, registration_photos
from regdesk.subscribers.counter.photos import Photo
from regdesk.subscribers.permissions import access_registration_by_id
from regdesk.subscribers.selectors import registration_view
from regdesk.subscribers.services import RegistrationRefused, registration_decide

DECISION_ACTIONS = ("approve", "decline")
PHOTO_CAPTIONS = {
    "subscriber": _("Photo on the ID card"),
    "representative": _("Photo on the ID card of the person acting"),
    "live": _("Photo taken at the counter"),
}


def _photo_pairs(photos: dict[str, Photo]) -> list[tuple[Photo, str]]:
    """The photos to compare, side by side, with their captions (the ones that exist)."""
    return [(photo, str(PHOTO_CAPTIONS[key])) for key, photo in photos.items() if photo.uri or photo.hidden]


@counter_page
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, registration_id: int) -> HttpResponse:
    """The decision page, for the supervisors the process allows (a compliance officer over the outlet, or a
    counter clerk above it; never the one who started the registration). Others who see the registration get 403,
    everybody else 404."""
    user = current_user(request)
    registration = access_registration_by_id(user, registration_id)
    view = registration_view(registration, user)
    if not any(action in view.actions for action in DECISION_ACTIONS):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            evidence = form.cleaned_data.get("evidence")
            try:
                registration_decide(
                    actor=user,
                    registration=registration,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    reason=form.cleaned_data.get("reason") or "someone_elses_id",
                    evidence=evidence.read(max_document_bytes() + 1) if evidence is not None else None,
                )
            except RegistrationRefused as refused:
                show_refusal(form, refused)
                status = refused.status or 422
            else:
                if form.cleaned_data["decision"] == "approve":
                    messages.success(request, _("Approved: the counter may complete the registration."))
                else:
                    messages.info(request, _("Declined: the registration is refused."))
                return HttpResponseRedirect(reverse("subscribers_counter:review"))
    context = {
        "registration": registration,
        "view": view,
        "display": display_of(registration, view),
        "form": form,
        "photo_pairs": _photo_pairs(registration_photos(user, registration, view, live=True)),
    }
    return render(request, "subscribers/counter/decide.html", context, status=status)
