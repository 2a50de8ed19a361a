"""A reversal made in a later month of money that earned a share is a negative line of that later month; the month
it was earned in keeps its figures, also when it is run again."""

import pytest

from jamsosdesa.agents.models import IncentiveKind
from tests.agents.incentives.conftest import TWO, at, lines_of, month, receive, reverse, run, total, workers

pytestmark = pytest.mark.django_db


def test_reversal_next_month_is_a_correction_of_next_month(admin_user, agent, wadah):
    earned, later = month(-2), month(-1)
    (ms,) = workers(1, agent, first=earned, programmes=TWO)
    allocation = receive(ms, earned, on=at(earned))
    run(admin_user, earned)
    reverse(allocation, on=at(later, 3))

    run(admin_user, later)
    run(admin_user, earned)  # run again after the reversal: the closed month does not change

    assert total(earned, agent=agent.user) == 2_520
    (line,) = lines_of(later, agent=agent.user)
    assert (line.kind, line.base, line.amount, line.contribution_month, line.month_index, line.allocation_id) == (
        IncentiveKind.CORRECTION, -16_800, -2_520, earned, 1, allocation.pk)
    assert line.reversal_id is not None
    assert total(later, kind=IncentiveKind.WADAH) == -252  # the wadah's share follows its agents' lines


def test_money_reversed_in_the_same_month_earns_nothing(admin_user, agent):
    when = month(-1)
    (ms,) = workers(1, agent, first=when, programmes=TWO)
    reverse(receive(ms, when, on=at(when, 2)), on=at(when, 20))

    run(admin_user, when)

    assert not lines_of(when).exists()
