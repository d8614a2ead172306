from django.urls import URLPattern, path

from regdesk.subscribers.agents import views

app_name = "subscribers_agents"
urlpatterns: list[URLPattern] = [
    path("", views.agent_list, name="list"),
    path("<int:agent_id>/", views.agent_detail, name="detail"),
    path("<int:agent_id>/status", views.agent_status, name="status"),
    path("<int:agent_id>/agreements", views.agreement_create, name="agreement_create"),
    path("<int:agent_id>/audits", views.audit_create, name="audit_create"),
    path("agreements/<int:agreement_id>/document", views.agreement_document, name="agreement_document"),
    path("audits/<int:audit_id>/", views.audit_detail, name="audit"),
]
