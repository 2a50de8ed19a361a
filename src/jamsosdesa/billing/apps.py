from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "jamsosdesa.billing"
    verbose_name = _("iuran dan pembayaran")

    def ready(self) -> None:
        """Add billing's rules and page parts to the packages below it (which never import billing)."""
        # H4 status: the badge panel on the participant page and the protection filter of the participant list.
        from jamsosdesa.participants.listfilters import ListFilter, list_filters
        from jamsosdesa.participants.panels import Panel, participant_panels

        from . import policy  # noqa: F401 (connects the cache's clearing to policy saves)
        from .status_panel import PROTECTION_CHOICES, PROTECTION_PARAM, participant_status_panel, protection_filter

        participant_panels.register("billing.status", Panel(template="billing/_status_panel.html",
                                                            data=participant_status_panel))
        list_filters.register("billing.protection", ListFilter(
            name=PROTECTION_PARAM, label=_("Status perlindungan"), choices=PROTECTION_CHOICES,
            apply=protection_filter, all_label=_("Semua perlindungan")))
        # end H4 status
        # H2 billing run: serve's periodic tick queues this month's run when it has none.
        from jamsosdesa.core.periodic import periodic_tasks

        from .services.run import billing_schedule

        periodic_tasks.register("billing.schedule", billing_schedule)
        # end H2 billing run
        # H3 payments: ending an enrolment voids its later dues.
        from jamsosdesa.funding.hooks import enrolment_ended_hooks

        from .services.reversals import enrolment_ended_hook

        enrolment_ended_hooks.register("billing.void_dues_after", enrolment_ended_hook)
        # end H3 payments
        # H1 packages: the worker's own package (iuran mandiri) on the participant page.
        from jamsosdesa.participants.panels import Panel as PackagePanel
        from jamsosdesa.participants.panels import participant_panels as package_panels

        from .views_packages import participant_package_panel

        package_panels.register("billing.package", PackagePanel(template="billing/_package_panel.html",
                                                                data=participant_package_panel))
        # end H1 packages
        # H6 statements: a link to the participant's statement on the participant page.
        from jamsosdesa.participants.panels import Panel as StatementPanel
        from jamsosdesa.participants.panels import participant_panels as statement_panels

        from .statements import participant_statement_panel

        statement_panels.register("billing.statement", StatementPanel(template="billing/_statement_panel.html",
                                                                      data=participant_statement_panel))
        # end H6 statements
        # Lead: the demo's packages, billing runs and payments.
        from jamsosdesa.participants.demo import demo_steps

        demo_steps.register("billing.ledger", _demo_ledger)
        # H3 payments: the payment panel ("Catat pembayaran") on the participant page.
        from jamsosdesa.participants.panels import Panel as PaymentPanel
        from jamsosdesa.participants.panels import participant_panels as payment_panels

        from .views_payments import participant_payments_panel

        payment_panels.register("billing.payments", PaymentPanel(template="billing/_payments_panel.html",
                                                                 data=participant_payments_panel))
        # end H3 payment panel


def _demo_ledger() -> None:
    from .demo import demo_ledger

    demo_ledger()
