from django.apps import AppConfig


class GatewaysConfig(AppConfig):
    name = "regdesk.gateways"
    label = "gateways"
