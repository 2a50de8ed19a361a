"""Coverage does not count as protected what an agent collected and did not deposit in time (issue 14 "at risk",
docs/design/coverage.md §8): a month paid only by such a collection is not paid for the snapshot, so a worker whose
only paid months are at risk is not protected there (and not in `coverage_figures`), while billing's derived status
and the participant's page stay as they are (with the at-risk badge). A deposit, and the calendar, reach the
snapshot through the incremental pass. Days count from the suite's clock."""

from datetime import datetime, timedelta

import pytest
import time_machine

from jamsosdesa.billing.status import Deadline, status_by_last_paid, status_of
from jamsosdesa.core import clock
from jamsosdesa.core.jobs import JobStatus
from jamsosdesa.coverage.refresh import refresh_run
from jamsosdesa.coverage.snapshot import coverage_figures, snapshot_counts
from tests.agents.cash.conftest import collect, deposit, make_agent, worker
from tests.billing.conftest import package, unpaid_due
from tests.conftest import DESA_A, JAKARTA, TEST_TIME_OF_DAY
from tests.funding.conftest import month, people

pytestmark = pytest.mark.django_db

SKH = "33.11"


@pytest.fixture
def agent(db):
    return make_agent()


@pytest.fixture
def branch(db):
    from jamsosdesa.core.roles import Role
    from tests.conftest import make_user

    return make_user("cabang_skh", Role.BRANCH_OFFICER, [SKH])


def changed_pass():
    job = refresh_run(actor=None, changed=True)
    assert job.status == JobStatus.DONE, job.message
    return job


def protected(user) -> int:
    return coverage_figures(user=user, region=SKH)["protected"]


def days_ago(n: int):
    return clock.today() - timedelta(days=n)


def test_a_worker_paid_only_by_an_undeposited_collection_is_not_protected(agent, branch, admin_user):
    good = worker(agent)  # collected, then deposited: protected
    deposit(branch, agent, collect(agent, good, 2, collected_on=days_ago(4)).collection.amount)
    risky = worker(agent)  # collected three days ago (the rules' days are 2), never deposited
    collect(agent, risky, 2, collected_on=days_ago(3))
    assert status_of(risky).status == "active"  # billing's status is unchanged (the page adds the badge)
    refresh_run(actor=None)
    # the agent's own registration has no package: not started, as the at-risk worker now is
    assert snapshot_counts(DESA_A, clock.today())["active"] == 1
    assert snapshot_counts(DESA_A, clock.today())["not_started"] == 2
    figures = coverage_figures(user=admin_user, region=SKH)
    assert figures["protected"] == 1 and figures["registered"] == 3


def test_a_deposit_is_counted_by_the_next_incremental_pass(agent, branch, admin_user):
    risky = worker(agent)
    c = collect(agent, risky, 2, collected_on=days_ago(3)).collection
    changed_pass()
    assert protected(admin_user) == 0
    deposit(branch, agent, c.amount)  # no payment event: only the deposit's
    assert changed_pass().kab_done == [SKH]
    assert protected(admin_user) == 1


def test_a_deposit_reversed_takes_the_worker_out_again(agent, branch, admin_user):
    from jamsosdesa.agents.cash import deposit_reverse

    risky = worker(agent)
    c = collect(agent, risky, 2, collected_on=days_ago(3)).collection
    made = deposit(branch, agent, c.amount).deposit
    changed_pass()
    assert protected(admin_user) == 1
    deposit_reverse(actor=branch, deposit=made, reason="cek kosong")
    assert changed_pass().kab_done == [SKH]
    assert protected(admin_user) == 0


def test_a_collection_ageing_past_the_deadline_without_any_event_is_noticed(agent, admin_user):
    risky = worker(agent)
    collect(agent, risky, 2, collected_on=days_ago(2))  # two days: not yet past the rules' 2
    changed_pass()
    assert protected(admin_user) == 1
    tomorrow = datetime.combine(clock.today() + timedelta(days=1), TEST_TIME_OF_DAY, tzinfo=JAKARTA)
    with time_machine.travel(tomorrow, tick=False):
        changed_pass()  # nothing was written meanwhile: the calendar alone put the cash past the deadline
        assert protected(admin_user) == 0


def test_earlier_deposited_months_still_count_by_billing_s_rule(agent, branch):
    """Only the months the at-risk collection paid are taken out: the status is read from the months before."""
    (person,) = people(1, DESA_A)
    m = package(person, first=month(-2), agent=agent.user)
    unpaid_due(m, month(-2))
    unpaid_due(m, month(-1))
    first = collect(agent, person, 1, collected_on=days_ago(5)).collection  # month(-2)
    deposit(branch, agent, first.amount)
    late = collect(agent, person, 2, collected_on=days_ago(3)).collection  # month(-1) and month(0)
    assert (first.first_month, late.first_month, late.last_month) == (month(-2), month(-1), month(0))
    assert status_of(person).status == "active"
    refresh_run(actor=None)
    today = clock.today()
    expected, _k = status_by_last_paid(month(-2), month(-2), today, Deadline.from_settings().cutoff(today), ended=False)
    assert expected != "active"
    counts = snapshot_counts(DESA_A, today)
    assert counts[expected] == 1 and counts["active"] == 0 and counts["not_started"] == 1  # + the agent itself


def test_only_the_people_with_money_at_risk_are_probed_and_a_kabupaten_without_any_is_not(agent, branch):
    """The snapshot asks the collections' side first (billing.overlays.held_candidates): a kabupaten where nobody
    holds undeposited money costs no probe per person, and the candidates are exactly the at-risk workers."""
    from jamsosdesa.billing.overlays import held_candidate_ids

    good = worker(agent)
    deposit(branch, agent, collect(agent, good, 2, collected_on=days_ago(4)).collection.amount)
    fresh = worker(agent)  # collected today: not at risk yet
    collect(agent, fresh, 1, collected_on=clock.today())
    risky = worker(agent)
    collect(agent, risky, 2, collected_on=days_ago(3))
    assert held_candidate_ids(clock.today(), SKH) == [risky.pk]
    assert held_candidate_ids(clock.today(), "33.10") == []
