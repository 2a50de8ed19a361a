from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgentsConfig(AppConfig):
    name = "jamsosdesa.agents"
    verbose_name = _("agen PERISAI")

    def ready(self) -> None:
        # Each part of issue 14 registers its hooks (demo steps, periodic tasks, status overlays, panels) in its own
        # block below; a lower package never imports this one.
        # --- H-A wadah and agents
        from jamsosdesa.core.access import actor_refusals
        from jamsosdesa.core.periodic import periodic_tasks
        from jamsosdesa.participants.demo import demo_steps

        from .rules import agent_refusal
        from .services_wadah import wadah_manager_refusal

        # participants' registration and import, billing's package start and payment ask these before acting
        actor_refusals.register("agents.may_act", agent_refusal)
        actor_refusals.register("agents.wadah_manager_reads_only", wadah_manager_refusal)
        periodic_tasks.register("agents.deactivate_idle", _periodic_deactivate_idle)
        # before billing's ledger: its demo packages and payments are the demo agent's, who may act only once it is
        # an agent of a wadah with a PKS in force
        demo_steps.register("agents.wadah", _demo_wadah, before="billing.ledger")
        # --- end H-A
        # --- H-B collections and deposits
        from jamsosdesa.billing.overlays import (
            StatusEvents,
            held_candidates,
            held_months,
            ledger_invariants,
            payment_reversed_hooks,
            receipt_checks,
            status_events,
            status_overlays,
        )
        from jamsosdesa.core.models import AuditEventType as E

        from .cash import collection_payment_reversed
        from .check_cash import cash_failures
        from .status_cash import (
            at_risk_overlays,
            cash_event_kabupaten,
            held_candidates_sql,
            held_collection_sql,
            receipt_answer,
        )

        status_overlays.register("agents.at_risk", at_risk_overlays)  # collected, not deposited in time
        receipt_checks.register("agents.receipt", receipt_answer)  # the public page's receipt code check
        ledger_invariants.register("agents.cash", cash_failures)  # no rupiah of an agent's cash lost or doubled
        payment_reversed_hooks.register("agents.collection", collection_payment_reversed)  # marks it reversed
        # coverage: months paid only by an at-risk collection are not paid for "protected"; a deposit, its
        # reversal or new days refresh the kabupaten concerned
        held_months.register("agents.at_risk", held_collection_sql)
        held_candidates.register("agents.at_risk", held_candidates_sql)  # the few people the check above probes
        status_events.register("agents.cash", StatusEvents(
            event_types=(E.DEPOSIT_RECORDED, E.DEPOSIT_REVERSED, E.AGENT_RULES_CHANGED),
            kabupaten=cash_event_kabupaten))
        _register_cash_demo()
        # --- end H-B
        # --- H-C incentives
        from . import admin_incentives  # noqa: F401 (the rules in the admin site)
        # --- end H-C
        # --- H-D offline field app
        # --- end H-D
        pass


# --- H-A wadah and agents
def _periodic_deactivate_idle() -> None:
    from .idle import periodic_deactivate_idle

    periodic_deactivate_idle()


def _demo_wadah() -> None:
    from .demo_wadah import demo_wadah

    demo_wadah()
# --- end H-A


# --- H-B collections and deposits
def _register_cash_demo() -> None:
    from jamsosdesa.participants.demo import demo_steps

    # after billing's ledger (the demo agent's packages) and the wadah step (the agent's Agent row)
    demo_steps.register("agents.cash", _demo_cash)


def _demo_cash() -> None:
    from .demo_cash import demo_cash

    demo_cash()
# --- end H-B
