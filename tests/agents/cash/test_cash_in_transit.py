"""Cash in transit per agent: undeposited total, the oldest unsettled day and its age, flagged past the rules' days;
scoped (an agent itself, a wadah its agents, a branch its kabupaten)."""

from datetime import timedelta

import pytest

from jamsosdesa.agents.cash import cash_in_transit
from jamsosdesa.agents.models import AgentRules
from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from tests.agents.cash.conftest import collect, deposit, make_agent, worker
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_each_agents_total_age_and_flag(agent, branch):
    today = clock.today()
    old = collect(agent, worker(agent), 1, collected_on=today - timedelta(days=3)).collection
    new = collect(agent, worker(agent), 2, collected_on=today).collection
    other = make_agent("agen_lain", wadah=agent.wadah)
    fresh = collect(other, worker(other), 1).collection
    rows = cash_in_transit(branch, on=today)
    assert [(r.agent.pk, r.undeposited, r.oldest, r.age_days, r.flagged) for r in rows] == [
        (agent.pk, old.amount + new.amount, old.collected_on, 3, True),
        (other.pk, fresh.amount, today, 0, False)]
    deposit(branch, agent, old.amount)
    (row,) = [r for r in cash_in_transit(branch, on=today) if r.agent.pk == agent.pk]
    assert (row.undeposited, row.age_days, row.flagged) == (new.amount, 0, False)


def test_the_flag_follows_the_rules_in_force(agent, branch):
    today = clock.today()
    collect(agent, worker(agent), 1, collected_on=today - timedelta(days=3))
    assert cash_in_transit(branch, on=today)[0].flagged
    AgentRules.objects.create(valid_from=today - timedelta(days=10), deposit_due_days=5, source="Surat cabang uji")
    assert not cash_in_transit(branch, on=today)[0].flagged


def test_who_sees_whose_cash(agent, branch):
    collect(agent, worker(agent), 1)
    other = make_agent("agen_lain")  # another wadah of the same kabupaten
    collect(other, worker(other), 1)
    manager = make_user("pengelola", Role.WADAH_MANAGER)
    agent.wadah.managers.add(manager)
    klaten = make_user("cabang_klaten", Role.BRANCH_OFFICER, ["33.10"])
    seen = {name: {r.agent.pk for r in cash_in_transit(u, on=clock.today())}
            for name, u in (("agent", agent.user), ("manager", manager), ("branch", branch), ("klaten", klaten))}
    assert seen == {"agent": {agent.pk}, "manager": {agent.pk}, "branch": {agent.pk, other.pk}, "klaten": set()}
