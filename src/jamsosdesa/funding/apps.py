from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _demo_schemes() -> None:
    from .demo import demo_schemes

    demo_schemes()


class FundingConfig(AppConfig):
    name = "jamsosdesa.funding"
    verbose_name = _("skema pembiayaan")

    def ready(self) -> None:
        """Add funding's rules and page parts to the packages below it (which never import funding)."""
        from jamsosdesa.participants.access import change_grants
        from jamsosdesa.participants.demo import demo_steps
        from jamsosdesa.participants.panels import Panel, participant_panels

        from .access import participants_in_own_schemes
        from .panels import participant_schemes

        change_grants.register("funding.own_schemes", participants_in_own_schemes)
        participant_panels.register("funding.schemes", Panel(template="funding/_participant_panel.html",
                                                             data=participant_schemes))
        demo_steps.register("funding.schemes", _demo_schemes)
