from django.apps import AppConfig


class MiitConfig(AppConfig):
    name = "regdesk.miit"
    label = "miit"
