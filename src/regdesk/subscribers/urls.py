"""Desk pages of real-name registration, mounted at /desk/subscribers/ (the counter pages come later)."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "subscribers"

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/", include("regdesk.subscribers.reports.urls")),
]
