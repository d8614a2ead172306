from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkersConfig(AppConfig):
    name = "regdesk.workers"
    label = "workers"
    verbose_name = _("Background workers")

    def ready(self) -> None:
        from regdesk.workers import heartbeat

        heartbeat.connect()
