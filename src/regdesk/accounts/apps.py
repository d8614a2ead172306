from typing import TYPE_CHECKING, cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db import models


class AccountsConfig(AppConfig):
    name = "regdesk.accounts"
    label = "accounts"
    verbose_name = _("organisation and staff")

    def ready(self) -> None:
        from regdesk.accounts.models import TotpDevice
        from regdesk.accounts.services import secret_associated_data
        from regdesk.privacy.rotation import register_sealed_column

        def totp_associated_data(device: "models.Model") -> bytes:
            return secret_associated_data(cast(TotpDevice, device).user_id)

        # TOTP secrets are sealed by the accounts services themselves; key rotation must re-seal them too.
        register_sealed_column("accounts.TotpDevice", "secret_sealed", totp_associated_data)
