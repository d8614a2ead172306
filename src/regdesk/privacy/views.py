"""Desk pages of the personal-data vault."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from regdesk.privacy.permissions import can_read_dictionary
from regdesk.privacy.selectors import dictionary_entries


@login_required
@require_GET
def data_dictionary(request: HttpRequest) -> HttpResponse:
    """The data dictionary (数据字典) for compliance officers and auditors; others see "not found"."""
    if not can_read_dictionary(request.user):
        raise Http404
    return render(request, "privacy/dictionary.html", {"entries": dictionary_entries()})
