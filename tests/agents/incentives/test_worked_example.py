"""DOMAIN.md's worked example: 50 new three-programme participants at Rp1,000,000 paying Rp1,840,000 in their first
month earn the agent 50 × Rp15,000 + 15 % × Rp1,840,000 = Rp1,026,000, and the wadah Rp102,600 on top."""

import pytest

from jamsosdesa.agents.models import IncentiveKind
from jamsosdesa.core.models import AuditEvent, AuditEventType
from tests.agents.incentives.conftest import at, lines_of, month, receive, run, total, workers

pytestmark = pytest.mark.django_db


def test_fifty_new_participants_paying_their_first_month(admin_user, agent, wadah):
    when = month(-1)
    for ms in workers(50, agent, first=when):
        receive(ms, when, on=at(when, 12))

    done = run(admin_user, when)

    assert total(when, agent=agent.user) == 1_026_000
    assert total(when, agent=agent.user, kind=IncentiveKind.ACQUISITION) == 750_000
    assert total(when, agent=agent.user, kind=IncentiveKind.SHARE_1_24) == 276_000
    assert sum(lines_of(when, kind=IncentiveKind.SHARE_1_24).values_list("base", flat=True)) == 1_840_000
    (wadah_line,) = lines_of(when, kind=IncentiveKind.WADAH)
    assert (wadah_line.wadah_id, wadah_line.agent_id, wadah_line.base, wadah_line.amount) == (
        wadah.pk, None, 1_026_000, 102_600)
    assert (done.total_agents, done.total_wadah, done.agents) == (1_026_000, 102_600, 1)
    event = AuditEvent.objects.get(event_type=AuditEventType.INCENTIVE_RUN_FINISHED)
    assert event.new["total_agents"] == 1_026_000 and event.new["month"] == f"{when:%Y-%m}"
