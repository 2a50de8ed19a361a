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
        demo_steps.register("coverage.figures", _demo_figures)  # the demo's targets and denominators
        demo_steps.register("coverage.snapshot", _demo_snapshot)  # today's snapshot, last: it reads everything above

        from jamsosdesa.core.periodic import periodic_tasks

        periodic_tasks.register("coverage.refresh", _periodic_refresh)  # snapshots of changed kabupaten

        from jamsosdesa.core.links import RegionLink, region_links

        region_links.register("coverage.dashboard", RegionLink(label=_coverage_label, url=_coverage_url))


def _coverage_label() -> str:
    return _("Cakupan kepesertaan di wilayah ini")


def _coverage_url(user, code: str) -> str | None:
    """The coverage dashboard of the region, for a user who may see it."""
    from django.urls import reverse

    from .access import can_see_region, region_code_text

    return reverse("coverage:dashboard", args=[region_code_text(code)]) if can_see_region(user, code) else None


def _demo_outreach() -> None:  # H3: the demo's outreach event
    from .demo_events import demo_outreach

    demo_outreach()


def _demo_figures() -> None:  # H-public: the demo's targets and denominators
    from .demo_figures import demo_figures

    demo_figures()


def _demo_snapshot() -> None:  # H-refresh: today's snapshot (and the past months' ends) of the demo
    from .refresh import demo_snapshot

    demo_snapshot()


def _periodic_refresh() -> None:  # H-refresh: refresh the snapshots of kabupaten whose people or money changed
    from .refresh import periodic_refresh

    periodic_refresh()
