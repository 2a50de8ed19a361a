from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "jamsosdesa.billing"
    verbose_name = _("iuran dan pembayaran")

    def ready(self) -> None:
        """Add billing's rules and page parts to the packages below it (which never import billing)."""
