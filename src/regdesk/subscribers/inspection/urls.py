from django.urls import URLPattern, path

from regdesk.subscribers.inspection import views

app_name = "subscribers_inspection"
urlpatterns: list[URLPattern] = [
    path("", views.inspection_list, name="list"),
    path("run", views.inspection_run, name="run"),
    path("<int:inspection_id>/", views.inspection_detail, name="detail"),
    path("findings/<int:finding_id>/action", views.finding_action, name="finding_action"),
]
