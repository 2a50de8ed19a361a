"""Running a month again replaces only that month's lines, with the same figures."""

import pytest

from jamsosdesa.agents.models import IncentiveLine
from tests.agents.incentives.conftest import TWO, at, month, receive, run, workers

pytestmark = pytest.mark.django_db

FIGURES = ("agent_id", "wadah_id", "participant_id", "kind", "contribution_month", "month_index", "base", "rate_bp",
           "amount", "allocation_id", "reversal_id")


def _figures(when):
    return sorted(IncentiveLine.objects.filter(month=when).values_list(*FIGURES), key=repr)


def test_rerun_gives_identical_lines_and_leaves_other_months(admin_user, agent):
    before, when = month(-2), month(-1)
    packages = workers(30, agent, first=before) + workers(26, agent, first=when, programmes=TWO)
    for ms in packages[:30]:
        receive(ms, before, on=at(before))
        receive(ms, when, on=at(when))
    for ms in packages[30:]:
        receive(ms, when, on=at(when))
    run(admin_user, before)
    first = run(admin_user, when)
    figures, kept = _figures(when), _figures(before)
    other_ids = set(IncentiveLine.objects.filter(month=before).values_list("pk", flat=True))

    second = run(admin_user, when)

    assert figures and _figures(when) == figures
    assert (second.total_agents, second.total_wadah, second.lines) == (first.total_agents, first.total_wadah,
                                                                       first.lines)
    assert second.summary["replaced"] == first.lines
    assert _figures(before) == kept
    assert set(IncentiveLine.objects.filter(month=before).values_list("pk", flat=True)) == other_ids
    assert not IncentiveLine.objects.filter(month=when, run_id=first.pk).exists()
