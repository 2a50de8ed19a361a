"""An agent with no transaction in the rules' whole months before a day is deactivated (reason idle) by the periodic
task or `jamsosdesa agents deactivate-idle`; its wadah reactivates it only after the rules' months. On a frozen
clock: the window is the idle months before this month, and the days of this month."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from jamsosdesa.agents.idle import agents_deactivate_idle, idle_window_start
from jamsosdesa.agents.models import Agent, Deposit
from jamsosdesa.agents.services_wadah import agent_reactivate, reactivate_from
from jamsosdesa.billing.services.payments import PaymentRequest, payment_record
from jamsosdesa.core import clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.months import add_months
from jamsosdesa.core.periodic import periodic_tasks

from .conftest import on_day

pytestmark = pytest.mark.django_db


def _long_ago(agent: Agent) -> Agent:
    """An agent recorded half a year ago."""
    Agent.objects.filter(pk=agent.pk).update(active_since=clock.today() - timedelta(days=200))
    agent.refresh_from_db()
    return agent


def test_the_window_is_the_idle_months_before_this_month():
    today = clock.today()
    assert idle_window_start(today) == add_months(today.replace(day=1), -3)


def test_an_agent_without_a_transaction_is_deactivated_with_its_audit_row(agent):
    _long_ago(agent)
    outcome = agents_deactivate_idle(on=clock.today())
    agent.refresh_from_db()
    assert outcome.deactivated == [agent.pk]
    assert (agent.status, agent.deactivation_reason, agent.deactivated_on) == ("inactive", "idle", clock.today())
    event = AuditEvent.objects.get(event_type="agent.deactivated", object_id=str(agent.pk))
    assert event.new["reason"] == "idle" and event.old == {"status": "active"}
    assert agents_deactivate_idle(on=clock.today()).deactivated == []  # again: nothing more


def test_a_registration_in_the_window_keeps_the_agent_active_one_before_it_does_not(agent, make_agent):
    _long_ago(agent)
    other = _long_ago(make_agent())
    start = idle_window_start(clock.today())
    with on_day(start):  # the window's first day: inside
        audit_record(actor=agent.user, event=AuditEventType.PARTICIPANT_REGISTERED, object_type="participant",
                     object_id="1")
    with on_day(start - timedelta(days=1)):  # the day before: outside
        audit_record(actor=other.user, event=AuditEventType.PARTICIPANT_REGISTERED, object_type="participant",
                     object_id="2")
    assert agents_deactivate_idle(on=clock.today()).deactivated == [other.pk]


def test_a_payment_a_clerk_recorded_naming_the_agent_counts(agent, operator_a, register):
    _long_ago(agent)
    worker = register(operator_a)
    payment_record(actor=operator_a, request=PaymentRequest(amount=16_800, paid_on=clock.today(), reference="KW-9",
                                                            nik=worker.nik, agent=agent.user))
    assert agents_deactivate_idle(on=clock.today()).deactivated == []


def test_a_deposit_of_its_cash_counts_though_the_branch_recorded_it(agent, make_agent, branch):
    _long_ago(agent)
    other = _long_ago(make_agent())
    Deposit.objects.create(agent=agent.user, kab_code=agent.kab_code, channel="bank", reference="SETOR-1",
                           amount=16_800, deposited_on=clock.today(), recorded_by=branch)
    # a submission from the phone that was refused is no transaction
    audit_record(actor=other.user, event=AuditEventType.OFFLINE_SUBMISSION_RECEIVED, object_type="offline_submission",
                 object_id="1")
    assert agents_deactivate_idle(on=clock.today()).deactivated == [other.pk]


def test_an_agent_recorded_less_than_the_idle_months_ago_is_not_idle(agent):
    Agent.objects.filter(pk=agent.pk).update(active_since=idle_window_start(clock.today()) + timedelta(days=1))
    assert agents_deactivate_idle(on=clock.today()).deactivated == []


def test_the_wadah_reactivates_an_idle_agent_only_after_the_rules_months(agent, manager):
    _long_ago(agent)
    agents_deactivate_idle(on=clock.today())
    agent.refresh_from_db()
    with pytest.raises(ServiceError) as refused:
        agent_reactivate(actor=manager, agent=agent)
    earliest = reactivate_from(agent)
    assert "6 bulan" in refused.value.message and f"{earliest:%d-%m-%Y}" in refused.value.message
    assert add_months(clock.today(), 6) <= earliest <= add_months(clock.today(), 7)
    with on_day(earliest - timedelta(days=1)), pytest.raises(ServiceError):
        agent_reactivate(actor=manager, agent=agent)
    with on_day(earliest):
        agent_reactivate(actor=manager, agent=agent, note="kembali bertugas")
        agent.refresh_from_db()
        assert agent.status == "active" and agent.active_since == earliest
    assert AuditEvent.objects.filter(event_type="agent.reactivated", object_id=str(agent.pk)).exists()


def test_the_command_and_the_periodic_task(agent):
    _long_ago(agent)
    assert any(getattr(task, "__name__", "") == "_periodic_deactivate_idle" for task in periodic_tasks)
    out = StringIO()
    call_command("agents", "deactivate-idle", "--on", clock.today().isoformat(), "--json", stdout=out)
    assert json.loads(out.getvalue())["deactivated"] == [agent.pk]
    out = StringIO()
    call_command("agents", "deactivate-idle", stdout=out)
    assert "0 dinonaktifkan" in out.getvalue()
