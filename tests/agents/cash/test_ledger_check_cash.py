"""`ledger check` covers the agents' cash: a planted inconsistency in settlements, deposits or a collection's
payment is caught."""

import pytest

from jamsosdesa.agents.models import Collection, DepositSettlement
from jamsosdesa.billing.check import ledger_check
from jamsosdesa.billing.models import Payment, Reversal
from tests.agents.cash.conftest import assert_ledger_ok, collect, deposit, worker

pytestmark = pytest.mark.django_db


def _names() -> set[str]:
    return {f.name for f in ledger_check()}


@pytest.fixture
def world(agent, branch):
    one = collect(agent, worker(agent), 2).collection
    two = collect(agent, worker(agent), 1).collection
    made = deposit(branch, agent, one.amount).deposit
    assert_ledger_ok()
    return one, two, made


def test_a_settlement_beyond_its_collection_is_caught(world):
    one, two, made = world
    DepositSettlement.objects.filter(deposit=made).update(amount=one.amount + 1)
    assert {"agent_settlements_within_collections", "agent_deposits_settled"} <= _names()


def test_a_deposit_not_fully_settled_is_caught(world):
    _one, two, made = world
    DepositSettlement.objects.create(deposit=made, collection=two, amount=1)
    assert "agent_deposits_settled" in _names()


def test_a_collection_whose_payment_was_reversed_or_differs_is_caught(world, branch):
    one, two, _made = world
    Reversal.objects.create(target_type="payment", target_id=two.payment_id, amount=two.amount, reason="mistake",
                            created_by=branch)
    assert "agent_collections_paid" in _names()
    Collection.objects.filter(pk=one.pk).update(amount=one.amount + 5)
    found = next(f for f in ledger_check() if f.name == "agent_collections_paid")
    assert {r["collection_id"] for r in found.rows} == {one.pk, two.pk}


def test_a_collection_naming_another_agents_payment_is_caught(world):
    one, _two, _made = world
    Payment.objects.filter(pk=one.payment_id).update(agent=None)
    assert "agent_collections_paid" in _names()
