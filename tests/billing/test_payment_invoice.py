"""A payer paying a collective invoice: lines oldest month first, then desa, then name; whole lines only; the rest
is the payer's credit (H3)."""

import pytest

from jamsosdesa.billing.live import live
from jamsosdesa.billing.models import Allocation
from jamsosdesa.billing.services.allocation import credit_balance
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.participants.models import Participant
from tests.billing.conftest import DESA_A, DESA_B, enrol, month, people
from tests.billing.payment_fixtures import assert_ledger_ok, due, invoice, pay

pytestmark = pytest.mark.django_db


def _named(desa, name):
    [p] = people(1, desa)
    Participant.objects.filter(pk=p.pk).update(full_name=name)
    return p


def test_invoice_lines_are_paid_oldest_month_then_desa_then_name(make_scheme, branch):
    scheme = make_scheme(start_month=month(-1))
    zaenal_b, budi_b, agus_a = _named(DESA_B, "Zaenal"), _named(DESA_B, "Budi"), _named(DESA_A, "Agus")
    # DESA_B (…2001) sorts before DESA_A (…2004)
    enrolments = {e.participant_id: e for e in enrol(scheme, [zaenal_b, budi_b, agus_a], start=month(-1))}
    later = invoice(scheme, month(0), [due(p, month(0), enrolment=enrolments[p.pk]) for p in (agus_a, budi_b)])
    invoice(scheme, month(-1), [due(p, month(-1), enrolment=enrolments[p.pk]) for p in (agus_a, zaenal_b, budi_b)])
    outcome = pay(branch, invoice_number=later.number, amount=4 * 16_800 + 5_000, channel="bank")
    paid = list(live(Allocation.objects.filter(payment=outcome.payment), "allocation").order_by("id")
                .values_list("due__month", "due__participant_id"))
    assert paid == [(month(-1), budi_b.pk), (month(-1), zaenal_b.pk), (month(-1), agus_a.pk), (month(0), budi_b.pk)]
    assert credit_balance("S", scheme.pk) == 5_000 and outcome.credit == 5_000
    assert_ledger_ok()


def test_an_unknown_invoice_number_is_404_naming_the_field(branch):
    with pytest.raises(ServiceError) as refused:
        pay(branch, invoice_number="INV/2026-12/S999-1", amount=16_800)
    assert refused.value.code == ErrorCode.NOT_FOUND and "invoice" in refused.value.fields


def test_an_invoice_outside_the_users_region_answers_as_an_unknown_one(make_scheme, branch_gianyar):
    scheme = make_scheme()
    [p] = people(1)
    [e] = enrol(scheme, [p])
    bill = invoice(scheme, month(0), [due(p, month(0), enrolment=e)])
    answers = []
    for number in (bill.number, "INV/0000-00/S0-1"):
        with pytest.raises(ServiceError) as refused:
            pay(branch_gianyar, invoice_number=number, amount=16_800)
        answers.append((refused.value.code, refused.value.message.replace(number, "X")))
    assert answers[0] == answers[1] and answers[0][0] == ErrorCode.NOT_FOUND


def test_a_district_pays_a_large_invoice_at_once_beyond_one_persons_cap(make_scheme, branch, settings):
    """A person's payment above PAYMENT_MAX_AMOUNT is a typing mistake; a district paying thousands of lines is not:
    an invoice payment has the payer's own ceiling."""
    settings.PAYMENT_MAX_AMOUNT = 30_000  # one person's cap, made small so three lines pass it
    scheme = make_scheme()
    crowd = people(3)
    enrolments = enrol(scheme, crowd)
    bill = invoice(scheme, month(0), [due(p, month(0), enrolment=e) for p, e in zip(crowd, enrolments, strict=True)])
    outcome = pay(branch, invoice_number=bill.number, amount=3 * 16_800, channel="bank")
    assert live(Allocation.objects.filter(payment=outcome.payment), "allocation").count() == 3
    with pytest.raises(ServiceError) as refused:
        pay(branch, nik=crowd[0].nik, amount=3 * 16_800)
    assert refused.value.code == ErrorCode.INVALID and "amount" in refused.value.fields
    settings.PAYMENT_MAX_PAYER_AMOUNT = 40_000
    with pytest.raises(ServiceError) as refused:
        pay(branch, invoice_number=bill.number, amount=50_400, reference="LAGI")
    assert "amount" in refused.value.fields
    assert_ledger_ok()
