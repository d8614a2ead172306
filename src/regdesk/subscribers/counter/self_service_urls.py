"""The customers' self-service one-ID lookup (一证通查), public, meant to be mounted at /self-service/lines/:
``path("self-service/lines/", include("regdesk.subscribers.counter.self_service_urls"))`` in config/urls.py."""

from django.urls import URLPattern, URLResolver, path

from regdesk.subscribers.counter import self_service

app_name = "subscribers_self_service"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", self_service.start, name="start"),
    path("code/", self_service.code, name="code"),
    path("mine/", self_service.lines, name="lines"),
    path("mine/disputes", self_service.dispute, name="dispute"),
    path("finish", self_service.finish, name="finish"),
]
