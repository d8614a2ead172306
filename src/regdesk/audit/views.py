"""The audit trail desk pages (/desk/audit/), read-only, for auditors and compliance officers.

The verification page checks the trail against its signed checkpoints on request (POST: a whole walk of the trail
is too costly for every page view) and, like ``regdesk audit verify``, signs a new checkpoint when it is intact.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from regdesk.audit.forms import AuditFilterForm
from regdesk.audit.keys import CheckpointKeyError
from regdesk.audit.models import AuditEvent
from regdesk.audit.permissions import require_audit_reader
from regdesk.audit.selectors import audit_event_by_sequence, audit_events, last_audit_checkpoint
from regdesk.audit.services import audit_checkpoint_sign
from regdesk.audit.verification import VerificationResult, verify_chain

PAGE_SIZE = 50


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """Events filtered by actor, action, object and date range, newest first, 50 a page."""
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET or None)
    events = audit_events(form.to_filter()) if form.is_valid() else AuditEvent.objects.none()
    if not form.is_bound:
        events = audit_events()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/event_list.html", context)


@login_required
@require_GET
def event_detail(request: HttpRequest, sequence: int) -> HttpResponse:
    """One event with its recorded changes and hashes."""
    require_audit_reader(request.user)
    event = audit_event_by_sequence(sequence)
    changes = sorted(event.changes.items()) if isinstance(event.changes, dict) else []
    return render(request, "audit/event_detail.html", {"event": event, "changes": changes})


@login_required
@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest) -> HttpResponse:
    """The last signed checkpoint; on POST, the verification of the whole trail and its finding."""
    require_audit_reader(request.user)
    result: VerificationResult | None = None
    key_error = False
    if request.method == "POST":
        try:
            result = verify_chain()
            if result.intact:
                audit_checkpoint_sign(
                    actor=request.user,  # type: ignore[arg-type]  # require_audit_reader let only users in
                    event_count=result.count,
                    head_sequence=result.count,
                    head_hash=result.head_hash,
                    head_occurred_at=result.head_occurred_at,
                )
        except CheckpointKeyError:
            result, key_error = None, True
    context = {"result": result, "key_error": key_error, "checkpoint": last_audit_checkpoint()}
    return render(request, "audit/verification.html", context, status=503 if key_error else 200)
