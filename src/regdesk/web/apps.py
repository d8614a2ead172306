from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "regdesk.web"
    label = "web"
