from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgentsConfig(AppConfig):
    name = "jamsosdesa.agents"
    verbose_name = _("agen PERISAI")

    def ready(self) -> None:
        # Each part of issue 14 registers its hooks (demo steps, periodic tasks, status overlays, panels) in its own
        # block below; a lower package never imports this one.
        # --- H-A wadah and agents
        # --- end H-A
        # --- H-B collections and deposits
        from jamsosdesa.billing.overlays import ledger_invariants, receipt_checks, status_overlays

        from .check_cash import cash_failures
        from .status_cash import at_risk_overlays, receipt_answer

        status_overlays.register("agents.at_risk", at_risk_overlays)  # collected, not deposited in time
        receipt_checks.register("agents.receipt", receipt_answer)  # the public page's receipt code check
        ledger_invariants.register("agents.cash", cash_failures)  # no rupiah of an agent's cash lost or doubled
        _register_cash_demo()
        # --- end H-B
        # --- H-C incentives
        from . import admin_incentives  # noqa: F401 (the rules in the admin site)
        # --- end H-C
        # --- H-D offline field app
        # --- end H-D
        pass


# --- H-B collections and deposits
def _register_cash_demo() -> None:
    from jamsosdesa.participants.demo import demo_steps

    # after billing's ledger (the demo agent's packages) and the wadah step (the agent's Agent row)
    demo_steps.register("agents.cash", _demo_cash)


def _demo_cash() -> None:
    from .demo_cash import demo_cash

    demo_cash()
# --- end H-B
