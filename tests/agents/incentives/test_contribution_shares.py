"""Shares of contributions received: 15 % for the participant's contribution months 1–24, 5 % for 25–60, nothing
beyond 60, counted from the (re-)acquisition month; a change of package with the same agent keeps counting."""

import pytest

from jamsosdesa.agents.models import IncentiveKind
from tests.agents.incentives.conftest import TWO, at, lines_of, month, receive, run, workers
from tests.billing.conftest import package

pytestmark = pytest.mark.django_db


def _one_line(when):
    return list(lines_of(when).exclude(kind__in=[IncentiveKind.WADAH, IncentiveKind.ACQUISITION])
                .values_list("kind", "month_index", "base", "amount"))


@pytest.mark.parametrize(("started", "expected"), [
    (-1, [(IncentiveKind.SHARE_1_24, 1, 16_800, 2_520)]),
    (-24, [(IncentiveKind.SHARE_1_24, 24, 16_800, 2_520)]),
    (-25, [(IncentiveKind.SHARE_25_60, 25, 16_800, 840)]),
    (-60, [(IncentiveKind.SHARE_25_60, 60, 16_800, 840)]),
    (-61, []),
])
def test_the_due_month_index_decides_the_share(admin_user, agent, started, expected):
    when = month(-1)
    (ms,) = workers(1, agent, first=month(started), programmes=TWO)
    receive(ms, when, on=at(when))

    run(admin_user, when)

    assert _one_line(when) == expected


def test_money_received_for_a_package_that_starts_next_month_earns_its_share(admin_user, agent):
    """Signed up in month −2 for a package from month −1, whose first due is paid at once in month −2: month 1 of
    that package, 15 % in month −2's run (the month the money came in)."""
    when = month(-2)
    (ms,) = workers(1, agent, first=month(-1), programmes=TWO)
    receive(ms, month(-1), on=at(when))

    run(admin_user, when)

    assert _one_line(when) == [(IncentiveKind.SHARE_1_24, 1, 16_800, 2_520)]


def test_money_for_an_earlier_month_counts_by_that_months_index(admin_user, agent):
    """Arrears of month 24 paid in month 26: the due's month is what is counted (15 %)."""
    when = month(-1)
    (ms,) = workers(1, agent, first=month(-26), programmes=TWO)
    receive(ms, month(-3), on=at(when))

    run(admin_user, when)

    assert _one_line(when) == [(IncentiveKind.SHARE_1_24, 24, 16_800, 2_520)]


def test_reacquisition_after_a_lapse_restarts_the_count(admin_user, agent):
    """A package from month −40 that ended at −31, then a new one with the agent from −3 after the lapse: the
    month −1 due is month 3 of the re-acquisition, so 15 % again."""
    when = month(-1)
    (old,) = workers(1, agent, first=month(-40), last=month(-31), programmes=TWO)
    new = package(old.participant, first=month(-3), programmes=TWO, agent=agent.user)
    receive(new, when, on=at(when))

    run(admin_user, when)

    assert _one_line(when) == [(IncentiveKind.SHARE_1_24, 3, 16_800, 2_520)]


def test_a_change_of_package_keeps_counting(admin_user, agent):
    when = month(-1)
    (old,) = workers(1, agent, first=month(-30), last=month(-11), programmes=TWO)
    changed = package(old.participant, first=month(-10), programmes=TWO, agent=agent.user)
    receive(changed, when, on=at(when))

    run(admin_user, when)

    assert _one_line(when) == [(IncentiveKind.SHARE_25_60, 30, 16_800, 840)]


def test_money_received_in_another_month_or_for_a_package_without_agent_earns_nothing(admin_user, agent):
    when = month(-1)
    (ms,) = workers(1, agent, first=month(-3), programmes=TWO)
    receive(ms, month(-3), on=at(month(-2)))  # received the month before
    (stranger,) = workers(1, agent, first=month(-3), programmes=TWO)
    stranger.agent = None
    stranger.save()
    receive(stranger, when, on=at(when))

    run(admin_user, when)

    assert _one_line(when) == []
