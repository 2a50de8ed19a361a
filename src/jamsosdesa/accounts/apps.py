from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jamsosdesa.accounts"
    label = "accounts"
    verbose_name = "Pengguna"

    def ready(self):
        from . import signals  # noqa: F401  (connects the login receiver)
