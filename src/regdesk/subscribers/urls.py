"""Desk pages of real-name registration, mounted at /desk/subscribers/ (config/urls.py).

Each part carries its own namespace: the real-name-rate report (``subscribers_reports``) at ``reports/``.
"""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/", include("regdesk.subscribers.reports.urls")),
]
