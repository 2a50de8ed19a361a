from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "jamsosdesa.claims"
    verbose_name = _("klaim JKM dan JKK")

    def ready(self) -> None:
        # Each part of issue 15 registers its hooks (demo steps, periodic tasks, panels, dashboard blocks) in its own
        # block below; a lower package never imports this one.
        # --- C1 benefit engine
        # --- end C1
        # --- C2 claim file
        from jamsosdesa.participants.panels import Panel, participant_panels

        from .views_file import participant_panel

        participant_panels.register("claims.file", Panel(template="claims/_participant_panel.html",
                                                         data=participant_panel))
        # --- end C2
        # --- C3 decision, payment and clock
        from jamsosdesa.participants.demo import demo_steps

        # after funding's schemes and billing's ledger (Krajan's RT/RW heads covered, Sanggung's lapsed workers),
        # before coverage's snapshot of today (it reads the deaths the claims record)
        demo_steps.register("claims.decision", _demo_claims, before="coverage.snapshot")
        # --- end C3
        # --- C4 links between the dashboards of a region
        from jamsosdesa.core.links import RegionLink, region_links

        region_links.register("claims.dashboard", RegionLink(label=_claims_label, url=_claims_url))
        # --- end C4


# --- C3 decision, payment and clock
def _demo_claims() -> None:
    from .demo import demo_claims

    demo_claims()
# --- end C3


# --- C4 links between the dashboards of a region
def _claims_label() -> str:
    return _("Klaim JKM dan JKK di wilayah ini")


def _claims_url(user, code: str) -> str | None:
    """The claims dashboard of the region, for a user who sees claims there."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from jamsosdesa.core.errors import NotFound

    from .access import sees_claims
    from .dashboard import region_or_404

    if not sees_claims(user):
        return None
    try:
        found, _name = region_or_404(user, code or "ID")
    except NotFound:
        return None
    return reverse("claims:dashboard") + "?" + urlencode({"wilayah": found})
# --- end C4
