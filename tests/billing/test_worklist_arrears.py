"""Arrears this month (last paid month = c − 1) and non-active next month (last paid = c − 2), c being the latest
month whose deadline (the 15th) has passed. "Today" is the 20th of this month here, so c is this month."""

from datetime import datetime, timedelta

import pytest

from jamsosdesa.billing.worklists import arrears_this_month, cutoff_month, non_active_next_month, present

from .conftest import DESA_A, DESA_B, enrol, month, package, people
from .status_fixtures import unpay
from .worklist_fixtures import MONTHLY, due, pay

pytestmark = pytest.mark.django_db


def the_20th():
    return month(0) + timedelta(days=19)


@pytest.fixture
def paying():
    """Four self-payers of desa A billed from 4 months ago to this month, paid through month −1, −2, −3 and none."""
    workers = people(4, DESA_A)
    for paid_through, worker in zip((-1, -2, -3, None), workers, strict=True):
        own = package(worker, first=month(-4))
        dues = [due(own, month(k)) for k in range(-4, 1)]
        if paid_through is not None:
            pay([d for d in dues if d.month <= month(paid_through)])
    return workers


def ids(rows):
    return [r["participant_id"] for r in rows]


def test_the_cutoff_is_this_month_from_its_15th_and_last_month_before():
    assert cutoff_month(month(0) + timedelta(days=14)) == month(0)
    assert cutoff_month(month(0) + timedelta(days=13)) == month(-1)


def test_who_falls_into_arrears_this_month_and_who_lapses_next(paying):
    one, two, three, never = paying
    assert ids(arrears_this_month("33.11", the_20th())) == [one.pk]
    assert ids(non_active_next_month("33.11", the_20th())) == [two.pk]
    # before the 15th the cut-off is last month: the one paid through −2 is the one falling into arrears
    before = month(0) + timedelta(days=9)
    assert ids(arrears_this_month("33.11", before)) == [two.pk]
    assert ids(non_active_next_month("33.11", before)) == [three.pk]


def test_the_row_says_what_is_owed_from_the_first_unpaid_month(paying, operator_a):
    one, two, *_rest = paying
    rows = present(non_active_next_month("33.11", the_20th(), user=operator_a), user=operator_a, kind="non_active")
    assert [(r.participant_id, r.owed, r.next_month) for r in rows] == [(two.pk, 2 * MONTHLY, month(-1))]
    assert "Rp33.600" in rows[0].reminder and two.full_name in rows[0].reminder


def test_a_reversed_allocation_makes_the_month_unpaid_again(paying):
    one, two, *_rest = paying
    from jamsosdesa.billing.models import Allocation

    last = Allocation.objects.filter(due__participant_id=one.pk, due__month=month(-1)).get()
    unpay(last)  # a reversal row, and the standing refreshed as the reversal services do
    assert ids(arrears_this_month("33.11", the_20th())) == []
    assert set(ids(non_active_next_month("33.11", the_20th()))) == {one.pk, two.pk}


def test_others_areas_and_deactivated_people_are_left_out(paying, operator_b):
    one, two, *_rest = paying
    assert ids(arrears_this_month("33.11", the_20th(), user=operator_b)) == []
    assert ids(arrears_this_month(DESA_B, the_20th())) == []
    one.is_active = False
    one.save(update_fields=["is_active"])
    assert ids(arrears_this_month("33.11", the_20th())) == []


def test_the_arrears_tab_lists_the_operators_people_with_what_they_owe(paying, operator_a, operator_b):
    import time_machine
    from django.test import Client

    from tests.conftest import JAKARTA, TEST_TIME_OF_DAY

    one, two, *_rest = paying
    client = Client()
    with time_machine.travel(datetime.combine(the_20th(), TEST_TIME_OF_DAY, tzinfo=JAKARTA)):
        client.force_login(operator_a)
        page = client.get("/tagihan/daftar-kerja/?jenis=non_active").content.decode()
        assert two.full_name in page and "Rp33.600" in page and one.full_name not in page
        page = client.get("/tagihan/daftar-kerja/?jenis=arrears").content.decode()
        assert one.full_name in page and "Rp16.800" in page and two.full_name not in page
        client.force_login(operator_b)
        assert two.full_name not in client.get("/tagihan/daftar-kerja/?jenis=non_active").content.decode()


def test_the_lists_agree_with_the_status_table(paying):
    """The worklists read only the dues from the last paid month on; H4's status_table reads the whole history.
    Both must name the same people."""
    from jamsosdesa.billing.status import ARREARS, status_rows

    rows = status_rows("33.11", the_20th())
    c = cutoff_month(the_20th())
    in_arrears = {r["participant_id"]: r["last_paid"] for r in rows if r["status"] == ARREARS}
    from jamsosdesa.core.months import add_months

    assert set(ids(arrears_this_month("33.11", the_20th()))) == {
        p for p, last in in_arrears.items() if last == add_months(c, -1)}
    assert set(ids(non_active_next_month("33.11", the_20th()))) == {
        p for p, last in in_arrears.items() if last == add_months(c, -2)}



def test_a_new_due_in_a_fully_paid_month_unpays_it_for_the_lists(paying, make_scheme):
    """The billing run's refresh: a due added to a month that was fully paid (a scheme paying for that month too)
    makes the month unpaid, so the person's last paid month moves back and the lists follow."""
    from jamsosdesa.billing.models import Due, Standing
    from jamsosdesa.billing.standing import refresh_after_new_dues

    one, *_rest = paying
    assert Standing.objects.get(participant_id=one.pk).last_paid == month(-1)
    [enrolment] = enrol(make_scheme(start_month=month(-1)), [one], start=month(-1))
    Due.objects.create(participant=one, kab_code=one.kab_code, desa_code=one.desa_id, month=month(-1),
                       enrolment=enrolment, scheme_id=enrolment.scheme_id, payer_type="apbd", segment="BPU",
                       programme_mask=3, income=1_000_000, jkk=10_000, jkm=6_800, amount=16_800)  # as the run writes
    assert refresh_after_new_dues(kab_code=one.kab_code, month=month(-1)) == 1
    assert Standing.objects.get(participant_id=one.pk).last_paid == month(-2)
    assert one.pk in ids(non_active_next_month("33.11", the_20th()))
