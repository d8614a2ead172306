from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "regdesk.privacy"
    label = "privacy"
