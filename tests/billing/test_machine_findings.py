"""What the ledger state machine (test_ledger_machine.py) found, each as a small plain test.

A test here that is marked xfail(strict=True) is a bug still open in the code it names: when it is fixed the
test passes, strict xfail turns that into a failure, and the mark is removed."""

import pytest

from jamsosdesa.billing.live import live
from jamsosdesa.billing.models import Allocation, Due, ReversalTarget
from jamsosdesa.billing.services.payments import PaymentRequest, payment_record
from jamsosdesa.billing.services.run import billing_run
from jamsosdesa.core import clock
from tests.billing.conftest import month, package, people


def _paid_months(person) -> list:
    paid = live(Allocation.objects.filter(due__participant=person), ReversalTarget.ALLOCATION)
    return sorted(paid.values_list("due__month", flat=True))


@pytest.mark.django_db
def test_a_payment_pays_this_month_before_a_month_billed_early(admin_user):
    worker = people(1)[0]
    package(worker, first=month(0))
    billing_run(actor=admin_user, month=month(1))  # next month billed before this month's run
    next_due = Due.objects.get(participant=worker, month=month(1))
    payment_record(actor=admin_user, request=PaymentRequest(amount=next_due.amount, paid_on=clock.today(),
                                                            reference="H7-F1", channel="bank", nik=worker.nik))
    assert month(0) in _paid_months(worker)  # the oldest month first (issue 12: "pays the oldest unpaid month first")


@pytest.mark.django_db
def test_a_payment_for_a_deactivated_worker_bills_no_month_after_the_deactivation(admin_user):
    """Found by the ledger machine's `deactivate` rule. The run bills a person's month only when they were still
    registered at its start (services/run.py, PERSON_OK), and a statement queues an ended person's money for the
    branch officer; a payment recorded directly must not bill and pay the months after the person left either (the
    money beyond the months billed stays credit, to be refunded)."""
    from jamsosdesa.participants.services import participant_deactivate

    worker = people(1)[0]
    package(worker, first=month(0))
    worker = participant_deactivate(actor=admin_user, participant=worker, reason="died")
    payment_record(actor=admin_user, request=PaymentRequest(amount=60_000, paid_on=clock.today(),
                                                            reference="H4-F2", channel="bank", nik=worker.nik))
    assert list(live(Due.objects.filter(participant=worker, month__gt=month(0)), ReversalTarget.DUE)) == []
