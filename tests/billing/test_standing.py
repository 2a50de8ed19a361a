"""The standing cache's cheap updates: what the statement bulk path decides is fully paid, and the widening upsert."""

import pytest

from jamsosdesa.billing.models import Standing
from jamsosdesa.billing.services.bulk import _Due, _now_fully_paid
from jamsosdesa.billing.standing import standing_widen

from .conftest import enrol, month, package, people
from .payment_fixtures import due

pytestmark = pytest.mark.django_db


def test_a_month_a_scheme_still_owes_is_not_fully_paid_by_the_workers_own_due(make_scheme):
    worker, other = people(2)
    own = package(worker, first=month(-1), programmes=("JHT",))
    paid = due(worker, month(-1), membership=own)  # the worker's JHT, paid by the statement line
    [enrolment] = enrol(make_scheme(start_month=month(-1)), [worker], start=month(-1))
    due(worker, month(-1), enrolment=enrolment)  # the scheme's JKK+JKM of the same month, not paid
    alone = due(other, month(-1), membership=package(other, first=month(-1)))
    chosen = [(worker.pk, [_Due(paid.pk, paid.month, paid.amount, paid.kab_code)]),
              (other.pk, [_Due(alone.pk, alone.month, alone.amount, alone.kab_code)])]
    assert _now_fully_paid(chosen) == [(other.pk, month(-1), month(-1))]


def test_widening_never_narrows_a_row():
    [worker] = people(1)
    Standing.objects.create(participant=worker, first_paid=month(-3), last_paid=month(-1))
    standing_widen([(worker.pk, month(-2), month(-2))])  # inside: unchanged
    row = Standing.objects.get(participant=worker)
    assert (row.first_paid, row.last_paid) == (month(-3), month(-1))
    standing_widen([(worker.pk, month(0), month(0))])
    row = Standing.objects.get(participant=worker)
    assert (row.first_paid, row.last_paid) == (month(-3), month(0))
    [new] = people(1)
    standing_widen([(new.pk, month(-1), month(0))])  # no row yet: written
    row = Standing.objects.get(participant=new)
    assert (row.first_paid, row.last_paid) == (month(-1), month(0))
