"""Automatic deactivation of idle agents (design §1): every active agent with no transaction in the last
`idle_months` whole months before a day is marked inactive (reason `idle`), in one set-based pass.

What counts as an agent's transaction, and where it is read (each an indexed look-up per agent, in one query):
- anything the agent's login did that the audit trail records as a registration, a package start, a payment or a
  cash collection (`AuditEvent.actor`, event types in TRANSACTION_EVENTS: participants' registration and file
  import, billing's package start and payment, agents' collections), at or after the window's first moment. An
  offline submission is not one by itself: one that went through left the registration's or payment's own row,
  and one refused is no transaction;
- a deposit of its cash made in the window (`agents.Deposit.agent`: the branch records it, so the audit row names
  the branch officer);
- a payment that names it as the agent who collected it (`billing.Payment.agent`), received in the window, even
  when a clerk recorded it;
- a package started in the window that names it as its collecting agent (`billing.Membership.agent`).

The window: the `idle_months` whole calendar months before the month of `on`, and the days of that month up to
`on` (rules in force on `on`). An agent active since a day after the window's first day (recorded or reactivated
less than `idle_months` months ago) is not idle yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from jamsosdesa.billing.models import Membership, Payment
from jamsosdesa.core import clock
from jamsosdesa.core.audit import AuditBatch
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.months import add_months

from .models_cash import Deposit
from .models_wadah import Agent, AgentStatus, DeactivationReason
from .rules import rules_on

TRANSACTION_EVENTS = (
    AuditEventType.PARTICIPANT_REGISTERED, AuditEventType.MEMBERSHIP_STARTED, AuditEventType.PAYMENT_RECORDED,
    AuditEventType.COLLECTION_RECORDED,
)


@dataclass
class IdleOutcome:
    on: date
    window_from: date
    idle_months: int
    checked: int  # active agents old enough to be idle
    deactivated: list[int]  # agent ids

    def as_dict(self) -> dict:
        return {"on": self.on.isoformat(), "window_from": self.window_from.isoformat(),
                "idle_months": self.idle_months, "checked": self.checked, "deactivated": self.deactivated}


def idle_window_start(on: date) -> date:
    """The first day of the window in which an agent must have a transaction on `on`."""
    return add_months(on.replace(day=1), -rules_on(on).idle_months)


def idle_agents(on: date):
    """Active agents with no transaction since the window's first day (a queryset, nothing written)."""
    start = idle_window_start(on)
    moment = timezone.make_aware(datetime.combine(start, time.min))
    acted = AuditEvent.objects.filter(actor_id=OuterRef("user_id"), at__gte=moment,
                                      event_type__in=[e.value for e in TRANSACTION_EVENTS])
    collected = Payment.objects.filter(agent_id=OuterRef("user_id"), received_at__gte=moment)
    started = Membership.objects.filter(agent_id=OuterRef("user_id"), created_at__gte=moment)
    deposited = Deposit.objects.filter(agent_id=OuterRef("user_id"), deposited_on__gte=start)
    return (Agent.objects.filter(status=AgentStatus.ACTIVE, active_since__lte=start)
            .exclude(Exists(acted)).exclude(Exists(collected)).exclude(Exists(started)).exclude(Exists(deposited)))


@transaction.atomic
def agents_deactivate_idle(*, on: date | None = None, actor=None) -> IdleOutcome:
    """Mark inactive (reason idle, from `on`) every active agent idle on `on` (today by default), with one audit row
    each (actor: the system, or who ran the command)."""
    on = on or clock.today()
    rules = rules_on(on)
    start = idle_window_start(on)
    checked = Agent.objects.filter(status=AgentStatus.ACTIVE, active_since__lte=start).count()
    rows = list(idle_agents(on).select_for_update().values_list("pk", "kab_code"))
    ids = [pk for pk, _kab in rows]
    if ids:
        Agent.objects.filter(pk__in=ids, status=AgentStatus.ACTIVE).update(
            status=AgentStatus.INACTIVE, deactivated_on=on, deactivation_reason=DeactivationReason.IDLE,
            updated_at=clock.now())
        note = f"tanpa transaksi sejak {start:%d-%m-%Y} ({rules.idle_months} bulan)"
        AuditBatch(actor=actor, event=AuditEventType.AGENT_DEACTIVATED, note=note).write(
            [(pk, kab, {"status": AgentStatus.ACTIVE.value},
              {"status": AgentStatus.INACTIVE.value, "deactivated_on": on.isoformat(),
               "reason": DeactivationReason.IDLE.value}) for pk, kab in rows])
    return IdleOutcome(on=on, window_from=start, idle_months=rules.idle_months, checked=checked, deactivated=ids)


def periodic_deactivate_idle() -> None:
    """`jamsosdesa serve`'s periodic work: today's idle agents (a no-op when none is)."""
    if idle_agents(clock.today()).exists():
        agents_deactivate_idle(on=clock.today())
