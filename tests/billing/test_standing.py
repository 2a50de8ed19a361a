"""The standing cache's cheap updates: what the statement bulk path decides is fully paid, and the widening upsert;
the facts it keeps for the coverage counting rule (how many months are fully paid, the payers of the last one)."""

import pytest
from django.db import connection

from jamsosdesa.billing.models import Allocation, AllocationOrigin, Standing
from jamsosdesa.billing.services.bulk import _Due, _now_fully_paid
from jamsosdesa.billing.standing import (
    PAYER_BITS,
    payer_mask,
    standing_after_payment,
    standing_check_sql,
    standing_refresh,
    standing_widen,
)
from jamsosdesa.contributions.models import PayerType

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
    assert _now_fully_paid(chosen) == [(other.pk, month(-1), month(-1), 1)]


def facts(person) -> tuple:
    row = Standing.objects.get(participant=person)
    return row.first_paid, row.last_paid, row.paid_months, row.last_paid_payers


def test_widening_never_narrows_a_row_and_counts_each_new_month():
    [worker] = people(1)
    due(worker, month(0), membership=package(worker, first=month(0)))
    Standing.objects.filter(participant=worker).update(first_paid=month(-3), last_paid=month(-1), paid_months=2,
                                                       last_paid_payers=PAYER_BITS["apbdes"])
    standing_widen([(worker.pk, month(-2), month(-2), 1)])  # a month inside: counted, the months and payers kept
    assert facts(worker) == (month(-3), month(-1), 3, PAYER_BITS["apbdes"])
    standing_widen([(worker.pk, month(0), month(0), 1)])  # a new last month: its payers read from its dues
    assert facts(worker) == (month(-3), month(0), 4, PAYER_BITS["self"])
    [new] = people(1)
    standing_widen([(new.pk, month(-1), month(0), 2)])  # no row yet: written (no due of month(0): no payer)
    assert facts(new) == (month(-1), month(0), 2, 0)


def assert_standing_matches_the_ledger() -> None:  # `ledger check` invariant 8 alone (these dues share programmes)
    sql, params = standing_check_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchall() == []


def _paid(row) -> None:
    holder_type, holder_id = row.holder
    Allocation.objects.create(due=row, seq=0, amount=row.amount, holder_type=holder_type, holder_id=holder_id,
                              kab_code=row.kab_code, origin=AllocationOrigin.CREDIT)


def test_the_cache_counts_fully_paid_months_and_names_the_payers_of_the_last(make_scheme):
    [worker] = people(1)
    own = package(worker, first=month(-3), programmes=("JHT",))
    [enrolment] = enrol(make_scheme(start_month=month(-3), end_month=month(2)), [worker], start=month(-3))  # APBD
    early = due(worker, month(-3), membership=own)  # unpaid for now
    for when in (-2, -1):  # both payers each month, both paid
        _paid(due(worker, month(when), membership=own))
        _paid(due(worker, month(when), enrolment=enrolment))
    half = due(worker, month(0), enrolment=enrolment)
    _paid(half)
    mine = due(worker, month(0), membership=own)  # this month: the scheme's share paid, the worker's not
    standing_refresh([worker.pk])
    both = payer_mask(["self", "apbd"])
    assert facts(worker) == (month(-2), month(-1), 2, both)
    assert_standing_matches_the_ledger()
    _paid(mine)
    standing_after_payment([mine.pk])  # the month is now whole: one more, the last, paid by both
    assert facts(worker) == (month(-2), month(0), 3, both)
    _paid(early)
    standing_after_payment([early.pk])  # an old month paid late: counted, the last month's payers kept
    assert facts(worker) == (month(-3), month(0), 4, both)
    assert_standing_matches_the_ledger()


def test_every_payer_kind_has_its_own_bit():
    assert set(PAYER_BITS) == set(PayerType.values)
    bits = list(PAYER_BITS.values())
    assert len(set(bits)) == len(bits) and all(b & (b - 1) == 0 for b in bits)
