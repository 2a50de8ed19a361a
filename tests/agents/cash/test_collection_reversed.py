"""When the branch reverses a collection's billing payment (a mistake, the wrong person), the collection is marked
reversed (audited): it no longer counts as cash the agent owes, and the ledger check stays clean."""

import pytest

from jamsosdesa.agents.cash import cash_in_transit, undeposited
from jamsosdesa.agents.models import Collection
from jamsosdesa.billing.models import Payment
from jamsosdesa.billing.services.reversals import payment_reverse
from jamsosdesa.core.models import AuditEvent
from tests.agents.cash.conftest import assert_ledger_ok, collect, worker

pytestmark = pytest.mark.django_db


def test_a_reversed_payment_marks_its_collection_reversed(agent, branch):
    wrong = collect(agent, worker(agent), 2).collection
    kept = collect(agent, worker(agent), 1).collection
    payment_reverse(actor=branch, payment=Payment.objects.get(pk=wrong.payment_id), reason="wrong_person",
                    note="salah orang")
    assert Collection.objects.get(pk=wrong.pk).reversed_at is not None
    assert undeposited(agent.user_id) == kept.amount
    assert [r.undeposited for r in cash_in_transit(branch)] == [kept.amount]
    event = AuditEvent.objects.get(event_type="collection.reversed")
    assert event.object_id == str(wrong.pk) and event.new["reason"] == "wrong_person"
    assert_ledger_ok()
