"""The audit trail desk page (/desk/audit/), read-only, for auditors and compliance officers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from regdesk.audit.forms import AuditFilterForm
from regdesk.audit.models import AuditEvent
from regdesk.audit.permissions import require_audit_reader
from regdesk.audit.selectors import audit_event_by_sequence, audit_events

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
