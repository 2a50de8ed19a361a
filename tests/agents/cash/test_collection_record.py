"""An agent's cash collection is a billing payment of whole months of the worker's own package, with a receipt."""

import re

import pytest

from jamsosdesa.agents.cash import CashRefusal, CollectionRequest, collection_record
from jamsosdesa.agents.models import Collection
from jamsosdesa.billing.models import Membership, Payment
from jamsosdesa.billing.services.dues import membership_price
from jamsosdesa.billing.status import status_of
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.agents.cash.conftest import assert_ledger_ok, collect, month, worker

pytestmark = pytest.mark.django_db


def price(person, months: int) -> int:
    package = Membership.objects.get(participant=person)
    return sum(membership_price(package, month(k)).total for k in range(months))


def test_three_months_make_one_agent_payment_and_a_receipt(agent):
    person = worker(agent)
    outcome = collect(agent, person, 3)
    c = outcome.collection
    assert not outcome.duplicate
    assert (c.months, c.first_month, c.last_month, c.amount) == (3, month(0), month(2), price(person, 3))
    payment = Payment.objects.get(pk=c.payment_id)
    assert (payment.channel, payment.agent_id, payment.amount, payment.paid_on) == (
        "agent", agent.user_id, c.amount, c.collected_on)
    assert re.fullmatch(rf"KW-3311-{c.collected_on:%Y%m}-00001", c.receipt_number)
    assert re.fullmatch(r"[34679ACDEFGHJKMNPQRTUVWXY]{8}", c.verification_code)
    assert status_of(person).paid_through == month(2)
    event = AuditEvent.objects.get(event_type="collection.recorded")
    assert event.new["receipt_number"] == c.receipt_number and event.actor_id == agent.user_id
    assert collect(agent, worker(agent), 1).collection.receipt_number.endswith("-00002")
    assert_ledger_ok()


def test_the_exact_amount_given_is_accepted_and_any_other_refused(agent):
    person = worker(agent)
    exact = price(person, 2)
    with pytest.raises(ServiceError) as refused:
        collect(agent, person, 2, amount=exact + 1_000)
    assert refused.value.code == CashRefusal.NOT_WHOLE_MONTHS and "amount" in refused.value.fields
    assert Payment.objects.count() == 0
    assert collect(agent, person, 2, amount=exact).collection.amount == exact


@pytest.mark.parametrize("amount", [0, -16_800, "0"])
def test_zero_or_negative_amount_is_refused_naming_the_field(agent, amount):
    person = worker(agent)
    with pytest.raises(ServiceError) as refused:
        collect(agent, person, 1, amount=amount)
    assert "amount" in refused.value.fields and "lebih dari nol" in refused.value.message
    assert Collection.objects.count() == 0


@pytest.mark.parametrize("months", [0, -1, 25, "x"])
def test_a_month_count_outside_one_to_24_is_refused(agent, months):
    with pytest.raises(ServiceError) as refused:
        collect(agent, worker(agent), months)
    assert "months" in refused.value.fields


def test_months_already_paid_are_refused(agent, settings):
    settings.BILLING_MAX_MONTHS_AHEAD = 2
    person = worker(agent)
    collect(agent, person, 2)
    with pytest.raises(ServiceError) as refused:
        collect(agent, person, 1)
    assert refused.value.code == ErrorCode.MONTH_PAID and "months" in refused.value.fields
    assert Collection.objects.count() == 1 and Payment.objects.count() == 1


def test_more_months_than_are_payable_says_how_many_are(agent, settings):
    settings.BILLING_MAX_MONTHS_AHEAD = 3
    with pytest.raises(ServiceError) as refused:
        collect(agent, worker(agent), 5)
    assert refused.value.code == ErrorCode.MONTH_PAID and "Hanya 3 bulan" in refused.value.message


def test_a_participant_of_another_agent_is_not_found(agent):
    from tests.agents.cash.conftest import make_agent

    other = make_agent("agen_lain")
    person = worker(other)  # same desa, but the package is collected by the other agent
    with pytest.raises(ServiceError) as refused:
        collect(agent, person, 1)
    assert refused.value.code == ErrorCode.NOT_FOUND
    assert Payment.objects.count() == 0


def test_a_participant_outside_the_agents_desa_is_not_found_like_an_unknown_nik(agent):
    from tests.agents.cash.conftest import DESA_C

    far = worker(None, DESA_C)
    answers = []
    for nik in (far.nik, "3311119999990001"):
        with pytest.raises(ServiceError) as refused:
            collection_record(actor=agent.user, request=CollectionRequest(participant=nik, months=1))
        answers.append((refused.value.code, refused.value.message))
    assert answers[0] == answers[1] and answers[0][0] == ErrorCode.NOT_FOUND


def test_a_worker_without_a_running_package_is_told_to_start_one(agent):
    from tests.agents.cash.conftest import people

    (person,) = people(1)
    with pytest.raises(ServiceError) as refused:
        collect(agent, person, 1)
    assert refused.value.code == ErrorCode.NO_PACKAGE


def test_only_an_agent_collects(agent, branch):
    person = worker(agent)
    with pytest.raises(ServiceError) as refused:
        collection_record(actor=branch, request=CollectionRequest(participant=person.nik, months=1))
    assert refused.value.code == ErrorCode.FORBIDDEN


def test_a_collection_dated_tomorrow_is_refused(agent):
    from datetime import timedelta

    from jamsosdesa.core import clock

    with pytest.raises(ServiceError) as refused:
        collect(agent, worker(agent), 1, collected_on=clock.today() + timedelta(days=1))
    assert "collected_on" in refused.value.fields
