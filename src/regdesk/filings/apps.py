from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "regdesk.filings"
    label = "filings"
    verbose_name = _("ICP filing")

    def ready(self) -> None:
        # The process definition and the handlers of downloaded review results are registered once the models
        # are loaded: both refer to them.
        from regdesk.filings.mapping import register_handlers
        from regdesk.filings.process import register

        register()
        register_handlers()
