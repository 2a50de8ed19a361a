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
        pass


# --- C3 decision, payment and clock
def _demo_claims() -> None:
    from .demo import demo_claims

    demo_claims()
# --- end C3
