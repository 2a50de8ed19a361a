"""The programme's numbers are effective-dated rows with their source: a national admin adds a row from a day on
(audited, old and new); the day before keeps the old numbers."""

from datetime import timedelta

import pytest

from jamsosdesa.agents.rules import rules_on
from jamsosdesa.agents.services_wadah import agent_rules_set
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_new_row_applies_from_its_day_and_is_audited(admin_user):
    day = clock.today() + timedelta(days=10)
    before = rules_on(day).idle_months
    row = agent_rules_set(actor=admin_user, valid_from=day, source="Perdir 2027", idle_months=4)
    assert rules_on(day).idle_months == 4 and rules_on(day - timedelta(days=1)).idle_months == before
    assert row.min_active_agents == rules_on(day - timedelta(days=1)).min_active_agents  # the rest carried on
    event = AuditEvent.objects.get(event_type="agent_rules.changed")
    assert event.old["idle_months"] == before and event.new["idle_months"] == 4 and event.actor == admin_user


def test_only_the_national_admin_sets_them(branch):
    with pytest.raises(ServiceError) as refused:
        agent_rules_set(actor=branch, valid_from=clock.today(), source="x")
    assert refused.value.code == "forbidden"


def test_bad_numbers_a_missing_source_and_a_taken_day_are_named(admin_user):
    agent_rules_set(actor=admin_user, valid_from=clock.today(), source="A")
    with pytest.raises(ServiceError) as refused:
        agent_rules_set(actor=admin_user, valid_from=clock.today(), source="", min_active_agents=0, pks_max_months="x")
    assert {"valid_from", "source", "min_active_agents", "pks_max_months"} <= set(refused.value.fields)
