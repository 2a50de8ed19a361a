"""A deactivated agent, an inactive wadah or a PKS out of force cannot collect (agents.rules.agent_refusal)."""

from datetime import timedelta

import pytest

from jamsosdesa.agents.models import AgentStatus
from jamsosdesa.billing.models import Payment
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from tests.agents.cash.conftest import collect, worker

pytestmark = pytest.mark.django_db


def _refused(agent, person) -> ServiceError:
    agent.user._perisai_agent = False  # the cached Agent row: read it again
    with pytest.raises(ServiceError) as refused:
        collect(agent, person, 1)
    assert Payment.objects.count() == 0
    return refused.value


def test_a_deactivated_agent_cannot_collect(agent):
    person = worker(agent)
    agent.status, agent.deactivated_on, agent.deactivation_reason = AgentStatus.INACTIVE, clock.today(), "idle"
    agent.save()
    error = _refused(agent, person)
    assert error.code == "actor_refused" and "nonaktif" in error.message  # the one check, core.access.actor_refusals


def test_an_inactive_wadah_cannot_collect(agent):
    person = worker(agent)
    agent.wadah.is_active = False
    agent.wadah.save()
    assert "tidak aktif" in _refused(agent, person).message


def test_a_pks_past_its_end_stops_collections(agent):
    person = worker(agent)
    agent.wadah.pks_end = clock.today() - timedelta(days=1)
    agent.wadah.save()
    assert "PKS" in _refused(agent, person).message


def test_cash_taken_while_the_pks_was_in_force_is_recorded_after_its_end(agent):
    """The day that counts is the day the cash was taken (billing's payment asks the same check on its paid day),
    so an entry sent late from the phone is not refused."""
    person = worker(agent)
    agent.wadah.pks_end = clock.today() - timedelta(days=1)
    agent.wadah.save()
    agent.user._perisai_agent = False
    outcome = collect(agent, person, 1, collected_on=clock.today() - timedelta(days=2))
    assert outcome.collection.payment.paid_on == clock.today() - timedelta(days=2)
