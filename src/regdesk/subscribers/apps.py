from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscribersConfig(AppConfig):
    name = "regdesk.subscribers"
    label = "subscribers"
    verbose_name = _("real-name registration")

    def ready(self) -> None:
        # The processes are registered with the case kernel once the models are loaded.
        from regdesk.subscribers import process  # noqa: F401
        from regdesk.subscribers.campaigns import process as campaign_process  # noqa: F401
        from regdesk.subscribers.inspection import process as inspection_process  # noqa: F401
