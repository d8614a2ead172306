from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "regdesk.accounts"
    label = "accounts"

    def ready(self) -> None:
        from regdesk.accounts.services import secret_associated_data
        from regdesk.privacy.rotation import register_sealed_column

        # TOTP secrets are sealed by the accounts services themselves; key rotation must re-seal them too.
        register_sealed_column(
            "accounts.TotpDevice", "secret_sealed", lambda device: secret_associated_data(device.user_id)
        )
