from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "regdesk.accounts"
    label = "accounts"
