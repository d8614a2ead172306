"""Desk pages of remediation campaigns (``campaigns/``) and subscriber-base imports (``imports/``)."""

from django.urls import URLPattern, path

from regdesk.subscribers.campaigns import views

app_name = "subscribers_campaigns"
urlpatterns: list[URLPattern] = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/edit", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_id>/progress", views.campaign_progress_partial, name="campaign_progress"),
    path("campaigns/<int:campaign_id>/launch", views.campaign_launch_view, name="campaign_launch"),
    path("campaigns/<int:campaign_id>/close", views.campaign_close_view, name="campaign_close"),
    path("campaigns/groups/<str:group>/", views.group_lines, name="group_lines"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:job_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:job_id>/progress", views.import_progress, name="import_progress"),
]
