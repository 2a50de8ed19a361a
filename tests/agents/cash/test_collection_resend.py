"""A resend with the same client token answers the first outcome; the same token with another body is a conflict."""

import pytest

from jamsosdesa.agents.models import Collection
from jamsosdesa.billing.models import Payment
from jamsosdesa.core.errors import ErrorCode, ServiceError
from tests.agents.cash.conftest import assert_ledger_ok, collect, worker

pytestmark = pytest.mark.django_db

TOKEN = "7d3f3a2e-1111-4c7e-9a55-0a1b2c3d4e5f"


def test_a_resend_returns_the_first_collection_and_pays_nothing_twice(agent):
    person = worker(agent)
    first = collect(agent, person, 2, client_token=TOKEN)
    again = collect(agent, person, 2, client_token=TOKEN)
    assert again.duplicate and again.collection.pk == first.collection.pk
    assert (Collection.objects.count(), Payment.objects.count()) == (1, 1)
    assert_ledger_ok()


def test_the_same_token_with_another_body_is_a_conflict(agent):
    person = worker(agent)
    collect(agent, person, 2, client_token=TOKEN)
    with pytest.raises(ServiceError) as refused:
        collect(agent, person, 1, client_token=TOKEN)
    assert refused.value.code == ErrorCode.IDEMPOTENCY_CONFLICT and "client_token" in refused.value.fields
    assert Payment.objects.count() == 1


def test_a_resend_still_answers_after_the_months_were_paid_and_the_agent_was_stopped(agent):
    person = worker(agent)
    first = collect(agent, person, 1, client_token=TOKEN)
    agent.status = "inactive"
    agent.save()
    agent.user._perisai_agent = False
    assert collect(agent, person, 1, client_token=TOKEN).collection.pk == first.collection.pk
