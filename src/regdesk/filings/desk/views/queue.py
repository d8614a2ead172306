"""The work queue (/desk/filings/) and "fetch the regulator's results now"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regdesk.accounts.models import User
from regdesk.accounts.permissions import has_role
from regdesk.accounts.roles import Role
from regdesk.filings.desk.access import is_desk_user
from regdesk.filings.desk.forms import IdentifierForm, QueueFilterForm
from regdesk.filings.desk.queue import (
    IDENTIFIER_RESULTS_LIMIT,
    PAGE_SIZE,
    filings_by_identifier,
    queue_filings,
    queue_lines,
)
from regdesk.filings.desk.views.common import LOGIN_URL, back_to, current_user, no_store
from regdesk.filings.services import filings_poll
from regdesk.miit.codec.errors import CodecError
from regdesk.miit.services import MiitError
from regdesk.miit.transport import TransportError


@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    """The filings of the user's units, the nearest deadline first; filter by state, search by reference or
    organisation name (GET), or look up an exact certificate, ID or mobile number (POST, never in the URL)."""
    user = current_user(request)
    if not is_desk_user(user):
        raise PermissionDenied
    filters = QueueFilterForm(request.GET or None)
    identifier = IdentifierForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and identifier.is_valid():
        found = list(filings_by_identifier(user, identifier.cleaned_data["number"])[:IDENTIFIER_RESULTS_LIMIT])
        context = {
            "filters": QueueFilterForm(),
            "identifier": IdentifierForm(),
            "lines": queue_lines(found),
            "page": None,
            "identifier_search": True,
            "query": "",
        }
        # The answer to a search by a personal number is not kept by the browser (its history re-posts nothing).
        return no_store(render(request, "filings/desk/queue.html", _base(context, user)))
    filings = queue_filings(user, state=filters.state_value(), text=filters.text_value())
    page = Paginator(filings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "identifier": identifier,
        "lines": queue_lines(list(page.object_list)),
        "page": page,
        "identifier_search": False,
        "query": query.urlencode(),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "filings/desk/queue.html", _base(context, user), status=status)


def _base(context: dict[str, object], user: User) -> dict[str, object]:
    return {**context, "can_fetch": has_role(user, Role.SPECIALIST)}


@login_required(login_url=LOGIN_URL)
@require_POST
def fetch_results(request: HttpRequest) -> HttpResponse:
    """Fetch the province's waiting downloads now (what the periodic task does), for a specialist; the results
    are recorded on their filings as they are stored."""
    user = current_user(request)
    if not has_role(user, Role.SPECIALIST):
        raise PermissionDenied
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = reverse("filings_desk:queue")
    try:
        count = filings_poll(actor=user)
    except (MiitError, TransportError, CodecError) as error:
        return back_to(
            request,
            target,
            error=_("The province's results could not be fetched: %(reason)s") % {"reason": str(error)},
        )
    if count:
        message = _("%(count)d result files arrived from the province and were recorded.") % {"count": count}
    else:
        message = _("The province has no new results.")
    return back_to(request, target, success=message)
