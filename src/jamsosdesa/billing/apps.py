from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "jamsosdesa.billing"
    verbose_name = _("iuran dan pembayaran")

    def ready(self) -> None:
        """Add billing's rules and page parts to the packages below it (which never import billing)."""
        # H2 billing run: serve's periodic tick queues this month's run when it has none.
        from jamsosdesa.core.periodic import periodic_tasks

        from .services.run import billing_schedule

        periodic_tasks.register("billing.schedule", billing_schedule)
        # end H2 billing run
