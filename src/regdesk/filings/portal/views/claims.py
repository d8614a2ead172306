"""The owner's side of a claim to an owner on file under another account: sending the request.

The claims and their states are listed on the portal's list of filings (``filing_list``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regdesk.cases.services import CaseRefused
from regdesk.filings.portal.views.common import current_user
from regdesk.filings.services import owner_claim_request
from regdesk.web.views import owner_page


@owner_page
@require_POST
def claim_request(request: HttpRequest) -> HttpResponse:
    """Ask to become the portal user of the owner on file with the certificate sent (POST: type and number)."""
    try:
        owner_claim_request(
            actor=current_user(request),
            certificate_type=request.POST.get("certificate_type", "")[:10] or None,
            certificate_number=request.POST.get("certificate_number", "")[:100] or None,
        )
    except CaseRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Your request has been sent. The serving unit's specialist contacts you to check who you are."),
        )
    return HttpResponseRedirect(reverse("filings_portal:list") + "#claims")
