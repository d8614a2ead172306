from django.urls import URLPattern, URLResolver, path

from regdesk.audit import views

app_name = "audit"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.event_list, name="event_list"),
    path("<int:sequence>/", views.event_detail, name="event_detail"),
    path("verification/", views.verification, name="verification"),
]
