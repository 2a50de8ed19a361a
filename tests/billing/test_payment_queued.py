"""A statement line that matched nothing is recorded as a payment with no holder and an open queue item (H3's door
for H5's import): nothing allocated or guessed, the ledger still whole, the same line twice recorded once."""

import pytest

from jamsosdesa.billing.models import Allocation, Credit, Payment, ReconciliationItem
from jamsosdesa.billing.services.payments import PaymentRequest, payment_record_queued
from jamsosdesa.billing.services.reversals import payment_reverse
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from tests.billing.payment_fixtures import assert_ledger_ok

pytestmark = pytest.mark.django_db


def queued(actor, **more):
    request = PaymentRequest(amount=16_800, paid_on=clock.today(), reference="BANK-Q1", channel="bank",
                             source="mt940", **more)
    return payment_record_queued(actor=actor, request=request, reason="unknown_nik", raw={"text": "IURAN ?"},
                                 kab_code="33.11")


def test_a_line_that_matched_nothing_waits_in_the_queue(branch):
    outcome = queued(branch)
    payment = outcome.payment
    assert payment.holder_type == "" and payment.holder_id is None and payment.target_kind == "none"
    item = ReconciliationItem.objects.get(payment=payment)
    assert item.status == "open" and item.reason == "unknown_nik" and item.kab_code == "33.11"
    assert not Allocation.objects.exists() and not Credit.objects.exists()
    assert_ledger_ok()
    again = queued(branch)
    assert again.duplicate and Payment.objects.count() == 1


def test_a_queued_payment_refunded_leaves_the_ledger_whole(branch):
    outcome = queued(branch)
    payment_reverse(actor=branch, payment=outcome.payment, reason="refund")
    assert_ledger_ok()


def test_a_queued_line_with_a_bad_amount_or_reason_is_refused(branch):
    with pytest.raises(ServiceError) as refused:
        payment_record_queued(actor=branch, request=PaymentRequest(amount=0, paid_on=clock.today(),
                                                                   reference="X", channel="bank"),
                              reason="unknown_nik")
    assert "amount" in refused.value.fields
    with pytest.raises(ServiceError) as reason:
        payment_record_queued(actor=branch, request=PaymentRequest(amount=5, paid_on=clock.today(),
                                                                   reference="X", channel="bank"), reason="guess")
    assert "reason" in reason.value.fields
    assert not Payment.objects.exists()
