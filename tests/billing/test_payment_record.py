"""Recording a person's payment: oldest month first, whole months only, the rest is credit; bad input refused
with a message naming the field; nothing outside the user's region (H3)."""

import pytest
from django.conf import settings

from jamsosdesa.billing.models import Allocation, Credit, Due, Payment
from jamsosdesa.billing.services.allocation import apply_credit_to_new_dues, credit_balance
from jamsosdesa.billing.services.dues import membership_price
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.money import rupiah
from tests.billing.conftest import DESA_C, month, package, people
from tests.billing.payment_fixtures import assert_ledger_ok, due, pay

pytestmark = pytest.mark.django_db


def paid_months(person) -> list:
    from jamsosdesa.billing.live import live

    return sorted(live(Allocation.objects.filter(due__participant_id=person.pk), "allocation")
                  .values_list("due__month", flat=True))


def test_it_pays_the_oldest_whole_months_first_and_keeps_the_rest_as_credit(operator_a):
    [p] = people(1)
    pkg = package(p, first=month(-2))
    for offset in (0, -2, -1):  # created out of order: the month decides, not the id
        due(p, month(offset), membership=pkg)
    outcome = pay(operator_a, nik=p.nik, amount=40_000)
    assert outcome.months == [month(-2), month(-1)]
    assert paid_months(p) == [month(-2), month(-1)]
    assert outcome.credit == 40_000 - 2 * 16_800 == credit_balance("P", p.pk)
    assert list(Credit.objects.values_list("kind", "amount")) == [("remainder", 6_400)]
    event = AuditEvent.objects.get(event_type="payment.recorded")
    assert event.actor_id == operator_a.pk and event.new["months"] == [f"{month(-2):%Y-%m}", f"{month(-1):%Y-%m}"]
    assert_ledger_ok()


def test_a_cheaper_later_month_is_not_paid_before_an_older_one(operator_a):
    [p] = people(1)
    pkg = package(p, first=month(-1))
    due(p, month(-1), membership=pkg, amount=16_800)
    due(p, month(0), membership=pkg, amount=8_400)
    outcome = pay(operator_a, nik=p.nik, amount=10_000)
    assert outcome.months == [] and outcome.credit == 10_000
    assert_ledger_ok()


def test_credit_is_carried_and_pays_the_next_due(operator_a):
    [p] = people(1)
    pkg = package(p, first=month(-1), last=month(0))  # closed: nothing is billed ahead
    due(p, month(-1), membership=pkg)
    pay(operator_a, nik=p.nik, amount=20_000)
    assert credit_balance("P", p.pk) == 3_200
    due(p, month(0), membership=pkg)
    outcome = pay(operator_a, nik=p.nik, amount=13_600)  # with the 3,200 credit: exactly one month
    assert outcome.months == [month(0)] and outcome.credit == 0
    assert Credit.objects.order_by("id").last().amount == -3_200  # the remainder is signed: earlier credit used
    assert_ledger_ok()


def test_a_billing_runs_new_due_is_paid_from_credit(operator_a):
    [p] = people(1)
    pkg = package(p, first=month(-1), last=month(0))
    due(p, month(-1), membership=pkg)
    pay(operator_a, nik=p.nik, amount=40_000)  # 23,200 left
    new = due(p, month(0), membership=pkg)
    applied = apply_credit_to_new_dues(run=None, kab_code=p.kab_code)
    assert applied == 16_800
    allocation = Allocation.objects.get(due=new)
    assert allocation.origin == "credit" and allocation.payment_id is None
    assert credit_balance("P", p.pk) == 40_000 - 2 * 16_800
    assert_ledger_ok()


def test_an_open_package_is_billed_ahead_as_far_as_the_money_goes(operator_a):
    [p] = people(1)
    pkg = package(p, first=month(0))
    prices = [membership_price(pkg, month(i)).total for i in range(3)]
    outcome = pay(operator_a, nik=p.nik, amount=sum(prices) + 100)
    assert outcome.months == [month(0), month(1), month(2)]
    assert outcome.credit == 100
    dues = list(Due.objects.filter(participant=p).order_by("month"))
    assert [d.amount for d in dues] == prices and all(d.run_id is None for d in dues)
    assert_ledger_ok()


def test_it_refuses_more_than_twelve_months_ahead_and_names_the_maximum(operator_a):
    [p] = people(1)
    pkg = package(p, first=month(0))
    most = sum(membership_price(pkg, month(i)).total for i in range(settings.BILLING_MAX_MONTHS_AHEAD))
    after = membership_price(pkg, month(settings.BILLING_MAX_MONTHS_AHEAD)).total
    with pytest.raises(ServiceError) as refused:
        pay(operator_a, nik=p.nik, amount=most + after)
    assert refused.value.code == ErrorCode.TOO_FAR_AHEAD
    assert rupiah(most) in refused.value.message and "amount" in refused.value.fields
    assert not Payment.objects.exists() and not Due.objects.exists()
    outcome = pay(operator_a, nik=p.nik, amount=most)  # exactly twelve months is fine
    assert len(outcome.months) == settings.BILLING_MAX_MONTHS_AHEAD
    assert_ledger_ok()


@pytest.mark.parametrize("amount", [0, -16_800, 25_000_001, 10**15, "dua puluh ribu", "1.000,00", 16_800.5, None,
                                    True])
def test_a_zero_negative_or_absurd_amount_is_refused_naming_the_field(operator_a, amount):
    [p] = people(1)
    with pytest.raises(ServiceError) as refused:
        pay(operator_a, nik=p.nik, amount=amount)
    assert refused.value.code == ErrorCode.INVALID
    assert refused.value.fields["amount"] == [f"Jumlah harus bilangan bulat rupiah antara 1 dan {rupiah(25_000_000)}."]
    assert not Payment.objects.exists()


def test_a_date_in_the_future_or_far_past_and_a_bad_reference_are_refused(operator_a):
    from datetime import timedelta

    from jamsosdesa.core import clock
    from jamsosdesa.core.months import add_years

    [p] = people(1)
    for paid_on, reference, field in ((clock.today() + timedelta(days=1), "R1", "paid_on"),
                                      (add_years(clock.today(), -6), "R1", "paid_on"),
                                      ("03-10-2026", "R1", "paid_on"),
                                      (clock.today(), "", "reference"), (clock.today(), "R\x07", "reference"),
                                      (clock.today(), "R" * 65, "reference")):
        with pytest.raises(ServiceError) as refused:
            pay(operator_a, nik=p.nik, amount=16_800, paid_on=paid_on, reference=reference)
        assert field in refused.value.fields, (paid_on, reference)
    with pytest.raises(ServiceError) as refused:
        pay(operator_a, nik=p.nik, amount=16_800, channel="cash")
    assert "channel" in refused.value.fields
    assert not Payment.objects.exists()


def test_an_unknown_nik_and_one_outside_the_region_get_the_same_404(operator_a):
    [outside] = people(1, DESA_C)
    unknown = "3311110101900999"
    answers = []
    for nik in (unknown, outside.nik):
        with pytest.raises(ServiceError) as refused:
            pay(operator_a, nik=nik, amount=16_800)
        answers.append((refused.value.code, refused.value.message.replace(nik, "N")))
    assert answers[0] == answers[1] and answers[0][0] == ErrorCode.NOT_FOUND
    assert "di luar wilayah Anda" in answers[0][1]
    assert not Payment.objects.exists()


def test_a_role_that_sees_the_person_but_does_not_collect_is_refused(official):
    [p] = people(1)
    with pytest.raises(ServiceError) as refused:
        pay(official, nik=p.nik, amount=16_800)
    assert refused.value.code == ErrorCode.FORBIDDEN


def test_the_billing_runs_new_month_is_paid_from_credit_left_by_a_payment(operator_a, admin_user):
    from jamsosdesa.billing.services.run import billing_run

    [p] = people(1)
    pay(operator_a, nik=p.nik, amount=50_000)  # no package yet: all of it is credit
    assert credit_balance("P", p.pk) == 50_000 and not Due.objects.exists()
    pkg = package(p, first=month(0))
    billing_run(actor=admin_user, month=month(0))  # bills the month, then pays it from the credit
    [billed] = Due.objects.filter(participant=p)
    assert billed.run_id is not None
    allocation = Allocation.objects.get(due=billed)
    assert allocation.origin == "credit" and allocation.run_id == billed.run_id
    assert credit_balance("P", p.pk) == 50_000 - membership_price(pkg, month(0)).total
    assert_ledger_ok()
