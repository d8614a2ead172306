"""Desk pages of real-name registration, mounted at /desk/subscribers/ (the counter pages come later)."""

from django.urls import URLPattern

app_name = "subscribers"

urlpatterns: list[URLPattern] = []
