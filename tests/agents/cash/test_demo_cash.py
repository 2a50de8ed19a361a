"""The demo's cash step: a few collections by agen.krajan (one flagged) and one deposit by the branch; again adds
nothing; without agen.krajan's Agent row it skips."""

import pytest

from jamsosdesa.agents.cash import cash_in_transit
from jamsosdesa.agents.demo_cash import demo_cash
from jamsosdesa.agents.models import Collection, Deposit
from jamsosdesa.core.roles import Role
from tests.agents.cash.conftest import make_agent, worker
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_collects_deposits_once_and_shows_flagged_cash(db):
    agent = make_agent("agen.krajan")
    for _i in range(5):
        worker(agent)
    branch = make_user("cabang.solo", Role.BRANCH_OFFICER, ["33.11"])
    assert demo_cash() == 4
    assert demo_cash() == 0
    assert Collection.objects.count() == 4 and Deposit.objects.count() == 1
    (row,) = cash_in_transit(branch)
    assert row.flagged and row.age_days == 4  # the deposit settled the oldest (five days)


def test_without_the_agent_row_the_step_skips(db):
    make_user("agen.krajan", Role.PERISAI_AGENT, ["33.11.11.2004"])
    assert demo_cash() == 0 and not Collection.objects.exists()
