"""The acquisition fee: only in a month the agent has at least the rule's minimum (25) of new participants; Rp15,000
on three programmes, Rp10,000 on two; a participant whose NIK was a BPU participant before is not new."""

import pytest

from jamsosdesa.agents.models import IncentiveKind
from tests.agents.incentives.conftest import TWO, at, make_agent, month, receive, run, total, workers

pytestmark = pytest.mark.django_db
ACQ = IncentiveKind.ACQUISITION


def test_twenty_four_new_participants_earn_no_fee(admin_user, agent):
    when = month(-1)
    workers(24, agent, first=when)

    run(admin_user, when)

    assert total(when, kind=ACQ) == 0


def test_twenty_five_earn_the_fee_each_by_programmes(admin_user, agent):
    when = month(-1)
    workers(20, agent, first=when)
    workers(5, agent, first=when, programmes=TWO)

    run(admin_user, when)

    assert total(when, agent=agent.user, kind=ACQ) == 20 * 15_000 + 5 * 10_000


def test_the_minimum_counts_per_agent(admin_user, agent, wadah):
    when = month(-1)
    other = make_agent("agen_lain", wadah)
    workers(25, agent, first=when)
    workers(24, other, first=when)

    run(admin_user, when)

    assert total(when, agent=agent.user, kind=ACQ) == 25 * 15_000
    assert total(when, agent=other.user, kind=ACQ) == 0


def test_a_nik_already_bpu_before_is_not_new(admin_user, agent):
    """25 packages start, but one worker had a BPU due two months before (another package, since ended): only 24
    are new, under the minimum, so no fee at all."""
    when = month(-1)
    packages = workers(25, agent, first=when)
    from tests.billing.conftest import package

    earlier = package(packages[0].participant, first=month(-3), last=month(-3), programmes=TWO)
    receive(earlier, month(-3), on=at(month(-3)))  # a package without an agent: the worker was BPU before

    run(admin_user, when)

    assert total(when, kind=ACQ) == 0


def test_an_old_nik_gets_no_fee_when_the_others_reach_the_minimum(admin_user, agent):
    when = month(-1)
    packages = workers(26, agent, first=when)
    from tests.billing.conftest import package

    package(packages[0].participant, first=month(-5), last=month(-4), programmes=TWO)

    run(admin_user, when)

    assert total(when, agent=agent.user, kind=ACQ) == 25 * 15_000
    assert not total(when, participant=packages[0].participant, kind=ACQ)
