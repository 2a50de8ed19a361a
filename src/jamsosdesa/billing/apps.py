from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "jamsosdesa.billing"
    verbose_name = _("iuran dan pembayaran")

    def ready(self) -> None:
        """Add billing's rules and page parts to the packages below it (which never import billing)."""
        from jamsosdesa.core.periodic import periodic_tasks
        from jamsosdesa.funding.hooks import enrolment_ended_hooks
        from jamsosdesa.participants.demo import demo_steps
        from jamsosdesa.participants.listfilters import ListFilter, list_filters
        from jamsosdesa.participants.panels import Panel, participant_panels

        from . import policy  # noqa: F401 (connects the cache's clearing to policy saves)
        from .services.reversals import enrolment_ended_hook
        from .services.run import billing_schedule
        from .statements import participant_statement_panel
        from .status_panel import PROTECTION_CHOICES, PROTECTION_PARAM, participant_status_panel, protection_filter
        from .views_packages import participant_package_panel
        from .views_payments import participant_payments_panel

        # The participant page, top to bottom: protection status, the worker's own package, payments, statement.
        for name, template, data in (
                ("billing.status", "billing/_status_panel.html", participant_status_panel),
                ("billing.package", "billing/_package_panel.html", participant_package_panel),
                ("billing.payments", "billing/_payments_panel.html", participant_payments_panel),
                ("billing.statement", "billing/_statement_panel.html", participant_statement_panel)):
            participant_panels.register(name, Panel(template=template, data=data))
        # The participant list's filter by protection status (and its export).
        list_filters.register("billing.protection", ListFilter(
            name=PROTECTION_PARAM, label=_("Status perlindungan"), choices=PROTECTION_CHOICES,
            apply=protection_filter, all_label=_("Semua perlindungan")))
        # serve's periodic tick queues this month's billing run when it has none.
        periodic_tasks.register("billing.schedule", billing_schedule)
        # Ending an enrolment voids the dues billed for months after its new end.
        enrolment_ended_hooks.register("billing.void_dues_after", enrolment_ended_hook)
        # The demo's packages, billing runs and payments (after funding's demo schemes).
        demo_steps.register("billing.ledger", _demo_ledger)


def _demo_ledger() -> None:
    from .demo import demo_ledger

    demo_ledger()
