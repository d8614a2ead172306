from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "regdesk.audit"
    label = "audit"
