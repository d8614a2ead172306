"""The customers' own one-ID lookup (一证通查), public: no account, the proof is an SMS code sent to one of the
lines registered under the ID (``lookup_challenge_start`` → ``lookup_challenge_verify``). The page answers alike
whether or not the number belongs to the ID, so it tells an outsider nothing. The challenge and the grant are kept
in the session (ids and the grant's token, never the document number); the grant lasts
``REGDESK_LOOKUP_GRANT_MINUTES``.

Meant to be mounted at ``/self-service/lines/`` (``self_service_urls``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from regdesk.accounts.models import User
from regdesk.accounts.rate_limits import LOOKUP, limit_posts
from regdesk.subscribers.counter.forms import ChallengeForm, CodeForm, DisputeForm
from regdesk.subscribers.counter.lookup import line_rows
from regdesk.subscribers.models import Line
from regdesk.subscribers.process import DISPUTE_WORKING_DAYS
from regdesk.subscribers.selectors import lines_for_identity
from regdesk.subscribers.services import (
    IdentityProof,
    LookupRefused,
    line_dispute,
    lookup_challenge_start,
    lookup_challenge_verify,
    proof_from_grant,
)

SESSION_KEY = "subscribers_self_service"
CHALLENGE_FIELDS = {"document_type", "document_number", "line_number"}


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _state(request: HttpRequest) -> dict[str, str]:
    value = request.session.get(SESSION_KEY, {})
    return dict(value) if isinstance(value, dict) else {}


def _proof(request: HttpRequest) -> IdentityProof | None:
    token = _state(request).get("token", "")
    if not token:
        return None
    try:
        return proof_from_grant(token=token)
    except LookupRefused:
        return None


@limit_posts(LOOKUP)
@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Name the ID and one of its numbers; a code goes by SMS to that number if it is one of the ID's lines."""
    form = ChallengeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                challenge = lookup_challenge_start(
                    actor=_actor(request),
                    document_type=form.cleaned_data["document_type"],
                    document_number=form.cleaned_data["document_number"],
                    line_number=form.cleaned_data["line_number"],
                )
            except LookupRefused as refused:
                form.add_error(refused.field if refused.field in CHALLENGE_FIELDS else None, refused.message)
                status = refused.status or 422
            else:
                request.session[SESSION_KEY] = {"challenge": challenge.public_id}
                return HttpResponseRedirect(reverse("subscribers_self_service:code"))
    return render(request, "subscribers/counter/self_service_start.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """Enter the code from the SMS."""
    public_id = _state(request).get("challenge", "")
    if not public_id:
        return HttpResponseRedirect(reverse("subscribers_self_service:start"))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                _grant, token = lookup_challenge_verify(
                    actor=_actor(request), public_id=public_id, code=form.cleaned_data["code"]
                )
            except LookupRefused as refused:
                if refused.code == "code_invalid":
                    form.add_error("code", refused.message)
                else:
                    # Expired, used or too many wrong codes: start again with a new code.
                    request.session.pop(SESSION_KEY, None)
                    messages.error(request, refused.message)
                    return HttpResponseRedirect(reverse("subscribers_self_service:start"))
                status = refused.status or 422
            else:
                request.session.cycle_key()
                request.session[SESSION_KEY] = {"token": token}
                return HttpResponseRedirect(reverse("subscribers_self_service:lines"))
    return render(request, "subscribers/counter/self_service_code.html", {"form": form}, status=status)


def _lines_page(
    request: HttpRequest, proof: IdentityProof, forms: dict[int, DisputeForm] | None = None, status: int = 200
) -> HttpResponse:
    lines = lines_for_identity(actor=_actor(request), proof=proof)
    return render(
        request,
        "subscribers/counter/self_service_lines.html",
        {"rows": line_rows(lines, forms), "days": DISPUTE_WORKING_DAYS},
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
def lines(request: HttpRequest) -> HttpResponse:
    """Every line registered under the verified ID, numbers masked, each with a dispute form."""
    proof = _proof(request)
    if proof is None:
        request.session.pop(SESSION_KEY, None)
        return HttpResponseRedirect(reverse("subscribers_self_service:start"))
    return _lines_page(request, proof)


@never_cache
@require_POST
def dispute(request: HttpRequest) -> HttpResponse:
    """The customer does not know one of the lines: a dispute goes to compliance."""
    proof = _proof(request)
    if proof is None:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, _("The verification has expired: ask for a new code."))
        return HttpResponseRedirect(reverse("subscribers_self_service:start"))
    form = DisputeForm(request.POST)
    if not form.is_valid():
        line_id = form.cleaned_data.get("line")
        return _lines_page(request, proof, {line_id: form} if line_id else None, status=422)
    line = Line.objects.filter(pk=form.cleaned_data["line"]).first()
    try:
        if line is None:
            raise LookupRefused("line_not_found", _("No such line is registered under this ID."), status=404)
        opened = line_dispute(actor=_actor(request), proof=proof, line=line, statement=form.cleaned_data["statement"])
    except LookupRefused as refused:
        if refused.field in form.fields:
            form.add_error(refused.field, refused.message)
            return _lines_page(request, proof, {form.cleaned_data["line"]: form}, status=refused.status or 422)
        messages.error(request, refused.message)
        return HttpResponseRedirect(reverse("subscribers_self_service:lines"))
    messages.success(
        request,
        _("Your dispute %(reference)s is recorded: we answer within %(days)s working days.")
        % {"reference": opened.case.reference, "days": DISPUTE_WORKING_DAYS},
    )
    return HttpResponseRedirect(reverse("subscribers_self_service:lines"))


@require_POST
def finish(request: HttpRequest) -> HttpResponse:
    """End the verification (on a shared computer, nobody else sees the lines afterwards)."""
    request.session.pop(SESSION_KEY, None)
    return HttpResponseRedirect(reverse("subscribers_self_service:start"))
