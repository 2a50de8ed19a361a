"""Undoing a payment or a due by reversal rows: nothing is edited or deleted, the ledger stays whole (H3)."""

import pytest

from jamsosdesa.billing.live import live
from jamsosdesa.billing.models import Allocation, Credit, Due, Payment, Reversal
from jamsosdesa.billing.services.allocation import credit_balance
from jamsosdesa.billing.services.reversals import due_void, payment_reverse, reversal_reverse, void_dues_after
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.billing.conftest import enrol, month, package, people
from tests.billing.payment_fixtures import assert_ledger_ok, due, invoice, pay

pytestmark = pytest.mark.django_db


def paid(person) -> list:
    return sorted(live(Allocation.objects.filter(due__participant_id=person.pk), "allocation")
                  .values_list("due__month", flat=True))


def _person_with_dues(n=3, first=-2):
    [p] = people(1)
    pkg = package(p, first=month(first), last=month(first + n - 1))
    for i in range(n):
        due(p, month(first + i), membership=pkg)
    return p


def test_reversing_a_payment_unpays_its_months_and_withdraws_its_credit(operator_a, branch):
    p = _person_with_dues()
    outcome = pay(operator_a, nik=p.nik, amount=40_000)
    root = payment_reverse(actor=branch, payment=outcome.payment, reason="bounced", note="giro ditolak")
    assert paid(p) == [] and credit_balance("P", p.pk) == 0
    children = Reversal.objects.filter(parent=root)
    assert children.count() == 2 and all(r.target_type == "allocation" for r in children)
    assert Payment.objects.filter(pk=outcome.payment.pk).exists()  # never deleted
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"payment.reversed", "allocation.reversed"} <= events
    assert_ledger_ok()


def test_reversing_twice_is_refused_and_a_reversal_cannot_be_reversed(operator_a, branch):
    p = _person_with_dues()
    outcome = pay(operator_a, nik=p.nik, amount=16_800)
    root = payment_reverse(actor=branch, payment=outcome.payment, reason="mistake")
    with pytest.raises(ServiceError) as twice:
        payment_reverse(actor=branch, payment=outcome.payment, reason="mistake")
    assert twice.value.code == ErrorCode.ALREADY_REVERSED
    with pytest.raises(ServiceError) as of_reversal:
        reversal_reverse(actor=branch, reversal_id=root.pk)
    assert of_reversal.value.code == ErrorCode.REVERSAL_OF_REVERSAL
    assert Reversal.objects.count() == 2  # the payment's and its one allocation's
    assert_ledger_ok()


def test_the_same_reference_recorded_again_after_a_reversal_is_a_reinstatement(operator_a, branch):
    p = _person_with_dues()
    first = pay(operator_a, nik=p.nik, amount=16_800, reference="KW-5")
    payment_reverse(actor=branch, payment=first.payment, reason="wrong_person")
    again = pay(operator_a, nik=p.nik, amount=16_800, reference="KW-5")
    assert not again.duplicate and again.payment.reinstatement_no == 1
    assert paid(p) == [month(-2)]
    assert_ledger_ok()


def test_when_the_remainder_was_spent_the_newest_allocation_is_released(operator_a, branch):
    p = _person_with_dues()
    first = pay(operator_a, nik=p.nik, amount=2 * 16_800 + 10_000)  # two months, 10,000 credit
    pay(operator_a, nik=p.nik, amount=6_800)  # with the credit: the third month
    assert paid(p) == [month(-2), month(-1), month(0)]
    payment_reverse(actor=branch, payment=first.payment, reason="bounced")
    # the first payment's months are unpaid; its 10,000 was spent on the third month, which is released; the
    # 6,800 of the second payment stays as credit (too little for a month)
    assert paid(p) == []
    assert credit_balance("P", p.pk) == 6_800
    assert_ledger_ok()


def test_released_credit_is_applied_again_oldest_month_first(operator_a, branch):
    p = _person_with_dues()
    pay(operator_a, nik=p.nik, amount=16_800)  # month -2
    second = pay(operator_a, nik=p.nik, amount=2 * 16_800)  # months -1 and 0
    due_void(actor=branch, due=Due.objects.get(participant=p, month=month(-2)), reason="mistake")
    # month -2's money is released and pays nothing older; it stays credit
    assert credit_balance("P", p.pk) == 16_800
    payment_reverse(actor=branch, payment=second.payment, reason="mistake")
    # the credit now pays the oldest unpaid month again
    assert paid(p) == [month(-1)] and credit_balance("P", p.pk) == 0
    assert_ledger_ok()


def test_only_a_branch_officer_reverses_and_outside_the_region_it_is_404(operator_a, branch, branch_gianyar):
    p = _person_with_dues()
    outcome = pay(operator_a, nik=p.nik, amount=16_800)
    with pytest.raises(ServiceError) as operator:
        payment_reverse(actor=operator_a, payment=outcome.payment, reason="mistake")
    assert operator.value.code == ErrorCode.FORBIDDEN
    with pytest.raises(ServiceError) as outside:
        payment_reverse(actor=branch_gianyar, payment=outcome.payment, reason="mistake")
    assert outside.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(ServiceError) as reason:
        payment_reverse(actor=branch, payment=outcome.payment, reason="karena")
    assert "reason" in reason.value.fields
    assert not Reversal.objects.exists()


def test_ending_an_enrolment_voids_its_later_dues_and_releases_their_money(make_scheme, official, branch):
    from jamsosdesa.funding.services.ending import enrolment_end

    scheme = make_scheme(start_month=month(-1))
    [p] = people(1)
    [e] = enrol(scheme, [p], start=month(-1), end=month(2))
    dues = [due(p, month(i), enrolment=e) for i in range(-1, 3)]
    bills = [invoice(scheme, d.month, [d]) for d in dues]
    pay(branch, invoice_number=bills[0].number, amount=4 * 16_800, channel="bank")  # all four months
    enrolment_end(actor=official, enrolment=e, last_month=month(0), reason="moved")
    voided = Reversal.objects.filter(target_type="due").values_list("target_id", flat=True)
    assert sorted(voided) == [dues[2].pk, dues[3].pk]
    assert AuditEvent.objects.filter(event_type="due.voided").count() == 2
    assert credit_balance("S", scheme.pk) == 2 * 16_800  # the two months after the end go back to the payer
    assert void_dues_after(actor=official, enrolment=e) == 0  # run again: nothing more
    assert_ledger_ok()


def test_a_voided_paid_due_gives_its_money_to_the_payers_next_line(make_scheme, branch):
    scheme = make_scheme(start_month=month(-1))
    [p, q] = people(2)
    es = {e.participant_id: e for e in enrol(scheme, [p, q], start=month(-1))}
    d1, d2 = due(p, month(-1), enrolment=es[p.pk]), due(q, month(-1), enrolment=es[q.pk])
    bill = invoice(scheme, month(-1), [d1, d2])
    pay(branch, invoice_number=bill.number, amount=16_800, channel="bank")
    first_paid = live(Allocation.objects.all(), "allocation").get().due_id
    due_void(actor=branch, due=Due.objects.get(pk=first_paid), reason="mistake")
    now_paid = live(Allocation.objects.all(), "allocation").get().due_id
    assert now_paid != first_paid and credit_balance("S", scheme.pk) == 0
    assert Credit.objects.filter(kind="released").count() == 1
    assert_ledger_ok()
