from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "regdesk.cases"
    label = "cases"
