"""Public pages: certificate verification and the confirmation of a contact e-mail link.

Neither needs a login. The verification page shows the record number, the website, its domains and its current
status, nothing personal. The contact page changes nothing on GET (link scanners and previews open links): it
shows a button, and only the POST confirms.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from regdesk.filings.documents.certificate import CONTENT_TYPE, FILE_NAME
from regdesk.filings.errors import FilingRefused
from regdesk.filings.selectors import certificate_file, certificate_public_view
from regdesk.filings.services.contacts import contact_email_link_confirm, contact_email_link_inspect


@require_GET
def certificate_verify(request: HttpRequest, serial: str) -> HttpResponse:
    certificate = certificate_public_view(serial)
    return render(
        request,
        "filings/verify.html",
        {"certificate": certificate, "serial": serial},
        status=200 if certificate is not None else 404,
    )


@require_GET
def certificate_download(request: HttpRequest, serial: str) -> HttpResponse:
    content = certificate_file(serial)
    if content is None:
        return render(request, "filings/verify.html", {"certificate": None, "serial": serial}, status=404)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{FILE_NAME}"'
    return response


@require_http_methods(["GET", "POST"])
def contact_confirm(request: HttpRequest, token: str) -> HttpResponse:
    context: dict[str, object] = {"token": token, "confirmed": False, "error": ""}
    status = 200
    try:
        if request.method == "POST":
            user = request.user if request.user.is_authenticated else None
            check = contact_email_link_confirm(token=token, actor=user)
            context["confirmed"] = True
        else:
            check = contact_email_link_inspect(token)
        context["reference"] = str(check.filing)
    except FilingRefused as refused:
        context["error"] = refused.message
        status = 410 if refused.code in ("link_expired", "link_used", "link_replaced") else 404
    return render(request, "filings/contact_confirm.html", context, status=status)
