from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "jamsosdesa.coverage"
    verbose_name = _("cakupan kepesertaan")

    def ready(self) -> None:
        # --- H3 outreach events: participants checks a registration's event code through this lookup (it sits
        # below coverage and never imports it; see coverage.event_services).
        from jamsosdesa.participants.demo import demo_steps
        from jamsosdesa.participants.outreach import outreach_code_lookups

        from .event_services import existing_event_codes

        outreach_code_lookups.register("coverage.events", existing_event_codes)
        demo_steps.register("coverage.outreach", _demo_outreach)  # after billing's ledger (its packages)
        # --- end H3 outreach events


def _demo_outreach() -> None:  # H3: the demo's outreach event
    from .demo_events import demo_outreach

    demo_outreach()
