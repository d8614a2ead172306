"""Desk pages of real-name registration, mounted at /desk/subscribers/ (config/urls.py).

Each part carries its own namespace: the counter (``subscribers_counter``) at ``counter/``.
"""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("counter/", include("regdesk.subscribers.counter.urls")),
    path("reports/", include("regdesk.subscribers.reports.urls")),
    path("agents/", include("regdesk.subscribers.agents.urls")),
    path("inspections/", include("regdesk.subscribers.inspection.urls")),
    # Remediation campaigns at campaigns/ and subscriber-base imports at imports/ (``subscribers_campaigns``).
    path("", include("regdesk.subscribers.campaigns.urls")),
]
