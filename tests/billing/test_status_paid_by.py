"""`status_of(..., paid_by=day)` and `due_lines(..., paid_by=day)`: only the money that had reached the dues by the
end of that day counts, a payment by its `paid_on`, an allocation from credit by when it was made; without
`paid_by`, all money counts (issue 15, claims eligibility on the event day)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from jamsosdesa.billing.models import Allocation
from jamsosdesa.billing.services.payments import PaymentRequest, payment_record
from jamsosdesa.billing.status import due_lines, status_of
from jamsosdesa.core import clock
from tests.billing.conftest import month, people
from tests.billing.status_fixtures import history

pytestmark = pytest.mark.django_db


def _paid(lines):
    return sorted(line.month for line in lines if line.paid)


def test_a_payment_counts_from_the_day_it_was_paid(branch):
    person, = people(1)
    history(person, unpaid=[month(-3), month(-2), month(-1)])
    paid_on = clock.today() - timedelta(days=3)
    payment_record(actor=branch, request=PaymentRequest(amount=3 * 16_800, paid_on=paid_on, reference="TRF-1",
                                                        participant_id=person.pk))
    assert _paid(due_lines(person.pk)) == [month(-3), month(-2), month(-1)]
    assert _paid(due_lines(person.pk, paid_by=paid_on)) == [month(-3), month(-2), month(-1)]
    assert _paid(due_lines(person.pk, paid_by=paid_on - timedelta(days=1))) == []
    day = paid_on - timedelta(days=1)
    assert status_of(person, day, paid_by=day).status == "not_started"
    assert status_of(person, day).status != "not_started"


def test_an_allocation_from_credit_counts_from_the_moment_it_was_made():
    person, = people(1)
    history(person, paid=[month(-2), month(-1)])
    made = clock.today() - timedelta(days=10)
    Allocation.objects.filter(due__participant=person, due__month=month(-1)).update(
        created_at=timezone.make_aware(datetime.combine(made, time(23, 59))))
    Allocation.objects.filter(due__participant=person, due__month=month(-2)).update(
        created_at=timezone.make_aware(datetime.combine(made - timedelta(days=30), time(8))))
    assert _paid(due_lines(person.pk, paid_by=made)) == [month(-2), month(-1)]
    assert _paid(due_lines(person.pk, paid_by=made - timedelta(days=1))) == [month(-2)]
    assert _paid(due_lines(person.pk)) == [month(-2), month(-1)]
