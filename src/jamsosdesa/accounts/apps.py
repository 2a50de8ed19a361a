from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jamsosdesa.accounts"
    label = "accounts"
    verbose_name = _("Pengguna")

    def ready(self):
        from . import signals  # noqa: F401  (connects the login receiver)
