from django.urls import URLPattern, path

from regdesk.subscribers.reports import views

app_name = "subscribers_reports"
urlpatterns: list[URLPattern] = [
    path("", views.rate_report_page, name="rate"),
    path("export.<str:file_format>", views.rate_report_download, name="download"),
]
