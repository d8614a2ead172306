"""URL map: /portal/ for owners, /desk/ for staff, /api/v1/ for integrations, /admin/ for configuration only."""

from django.contrib import admin
from django.urls import include, path, re_path

from regdesk.config.api import api_urls, unknown_endpoint

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api_urls()),
    # [\s\S] rather than ".": a path with an encoded line break is still an API path.
    re_path(r"^api/(?P<path>[\s\S]*)$", unknown_endpoint),
    path("accounts/", include("regdesk.accounts.urls")),
    path("desk/audit/", include("regdesk.audit.urls")),
    path("desk/privacy/", include("regdesk.privacy.urls")),
    path("desk/calendar/", include("regdesk.calendars.urls")),
    path("desk/cases/", include("regdesk.cases.urls")),
    path("desk/filings/", include("regdesk.filings.desk.urls")),
    path("desk/subscribers/", include("regdesk.subscribers.urls")),
    path("gateways/", include("regdesk.gateways.urls")),
    path("verify/", include("regdesk.filings.urls")),
    path("self-service/lines/", include("regdesk.subscribers.counter.self_service_urls")),
    path("portal/filings/", include("regdesk.filings.portal.urls")),
    path("", include("regdesk.web.urls")),
]
