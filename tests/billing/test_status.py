"""Status from real rows: dues and allocations in the database, reversals, the registry's end, the arrears policy
per kabupaten and date, one query per person, and the set-based table agreeing with the one-person answer."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jamsosdesa.billing.models import ArrearsPolicy, Due
from jamsosdesa.billing.policy import policy_for
from jamsosdesa.billing.status import ACTIVE, ARREARS, ENDED, NON_ACTIVE, NOT_STARTED, status_of, status_rows
from jamsosdesa.core import clock
from jamsosdesa.participants import services
from tests.billing.conftest import DESA_A, DESA_C, enrol, month, people
from tests.billing.status_fixtures import fresh_policy_cache, history, pay, scheme_due, self_due, unpay, void  # noqa: F401

pytestmark = pytest.mark.django_db


def day(offset: int, day_of_month: int):
    return month(offset).replace(day=day_of_month)


def test_a_paid_package_month_is_active_and_its_reversal_makes_it_arrears():
    person, = people(1)
    dues = history(person, paid=[month(-2), month(-1)])
    assert status_of(person, day(0, 16)).status == ARREARS  # this month has no due yet: unpaid, late after the 15th
    current = self_due(person, month(0))
    allocation = pay(current)
    s = status_of(person, day(0, 16))
    assert (s.status, s.paid_through, s.owed, s.covered) == (ACTIVE, month(0), 0, True)
    unpay(allocation)
    s = status_of(person, day(0, 16))
    assert (s.status, s.paid_through, s.owed, s.covered) == (ARREARS, month(-1), 16_800, False)
    pay(current)  # paid again (seq 1): active again
    assert status_of(person, day(0, 16)).status == ACTIVE
    assert len(dues) == 2


def test_a_voided_due_is_not_owed():
    person, = people(1)
    history(person, paid=[month(-1)], unpaid=[month(0)])
    assert status_of(person, day(0, 20)).owed == 16_800
    void(Due.objects.get(participant=person, month=month(0)))
    assert status_of(person, day(0, 20)).owed == 0


def test_a_scheme_month_then_nothing_is_arrears_then_non_active(make_scheme):
    person, = people(1)
    scheme = make_scheme()
    enrolment, = enrol(scheme, [person], start=month(-3), end=month(-2))
    for when in (month(-3), month(-2)):
        pay(scheme_due(person, when, enrolment))
    s = status_of(person, day(0, 16))
    assert (s.status, s.paid_through, s.owed, s.owed_scheme) == (ARREARS, month(-2), 0, 0)
    assert status_of(person, day(1, 16)).status == NON_ACTIVE


def test_scheme_and_own_dues_of_one_month_are_owed_by_payer(make_scheme):
    person, = people(1)
    enrolment, = enrol(make_scheme(), [person], start=month(-1), end=month(0))
    pay(scheme_due(person, month(-1), enrolment))
    scheme_due(person, month(0), enrolment)
    self_due(person, month(0), amount=20_000)
    s = status_of(person, day(0, 20))
    assert (s.status, s.owed, s.owed_self, s.owed_scheme) == (ARREARS, 36_800, 20_000, 16_800)


def test_not_started_until_a_month_is_paid():
    person, = people(1)
    assert status_of(person, day(0, 20)).status == NOT_STARTED
    history(person, unpaid=[month(-1), month(0)])
    s = status_of(person, day(0, 20))
    assert (s.status, s.paid_through, s.owed, s.covered) == (NOT_STARTED, None, 33_600, False)


def test_deactivated_is_ended_from_the_day_of_deactivation_not_before(operator_a):
    person, = people(1)
    history(person, paid=[month(-1), month(0)])
    services.participant_deactivate(actor=operator_a, participant=person, reason="died")
    person.refresh_from_db()
    today = clock.today()
    assert status_of(person, today).status == ENDED
    assert status_of(person, today).covered is False
    assert status_of(person, today - timedelta(days=1)).status == ACTIVE


def test_moved_to_pu_is_ended():
    person, = people(1, segment="PU")
    history(person, paid=[month(-1), month(0)])
    assert status_of(person, day(0, 20)).status == ENDED


def test_status_of_one_person_is_one_query_once_the_policy_is_cached():
    person, = people(1)
    history(person, paid=[month(n) for n in range(-11, 1)])
    status_of(person, day(0, 20))  # fills the policy cache
    with CaptureQueriesContext(connection) as queries:
        s = status_of(person, day(0, 20))
    assert s.status == ACTIVE and len(queries) == 1


# --- the arrears policy ---------------------------------------------------------------------------------------


def test_the_policy_is_the_kabupatens_else_the_national_row_else_the_settings(settings):
    settings.BILLING_ARREARS_MODE, settings.BILLING_GRACE_MONTHS = "strict", 3
    assert policy_for("33.11", day(0, 1)).as_dict() == {"mode": "strict", "grace_months": 3, "source": "settings"}
    ArrearsPolicy.objects.create(kab_code="", valid_from=month(-12), mode="lenient", grace_months=2,
                                 source="Keputusan Direksi 1/2026")
    assert policy_for("33.11", day(0, 1)).source == "Keputusan Direksi 1/2026"
    ArrearsPolicy.objects.create(kab_code="33.11", valid_from=month(-1), mode="strict", grace_months=0,
                                 source="Surat Cabang Sukoharjo 4/2026")
    assert policy_for("33.11", day(0, 1)).source == "Surat Cabang Sukoharjo 4/2026"
    assert policy_for("33.11", day(-2, 28)).source == "Keputusan Direksi 1/2026"  # before the kabupaten's row
    assert policy_for("51.04", day(0, 1)).source == "Keputusan Direksi 1/2026"  # another kabupaten: national
    assert policy_for("33.11", day(-13, 1)).source == "settings"  # before any row


def test_a_policy_change_mid_year_changes_coverage_from_its_month(make_scheme):
    """Strict (national) until the kabupaten's lenient letter takes effect next month: the same arrears are not
    covered this month and covered next month."""
    person, = people(1)
    history(person, paid=[month(-1)], unpaid=[month(0), month(1)])
    ArrearsPolicy.objects.create(kab_code="", valid_from=month(-6), mode="strict", grace_months=3, source="nasional")
    ArrearsPolicy.objects.create(kab_code=person.kab_code, valid_from=month(1), mode="lenient", grace_months=3,
                                 source="Surat Cabang 9/2026")
    now = status_of(person, day(0, 20))
    assert (now.status, now.covered, now.policy.source) == (ARREARS, False, "nasional")
    later = status_of(person, day(1, 10))
    assert (later.status, later.covered, later.policy.source) == (ARREARS, True, "Surat Cabang 9/2026")
    assert later.covered_if_paid_by == day(3, 15)


def test_saving_a_policy_clears_the_cache():
    assert policy_for("33.11", day(0, 1)).source == "settings"
    ArrearsPolicy.objects.create(kab_code="33.11", valid_from=month(0), mode="lenient", grace_months=1, source="baru")
    assert policy_for("33.11", day(0, 1)).source == "baru"


# --- the set-based table ----------------------------------------------------------------------------------------


def test_status_table_agrees_with_status_of_for_every_kind_of_person(make_scheme, operator_a):
    active, arrears, non_active, not_started, nothing, ahead, ended, scheme_gone = people(8)
    history(active, paid=[month(-1), month(0)])
    history(arrears, paid=[month(-2), month(-1)], unpaid=[month(0)])
    history(non_active, paid=[month(-5)], unpaid=[month(-4), month(-3)])
    history(not_started, unpaid=[month(-1), month(0)])
    history(ahead, paid=[month(n) for n in range(0, 5)])
    history(ended, paid=[month(-1), month(0)])
    services.participant_deactivate(actor=operator_a, participant=ended, reason="moved")
    enrolment, = enrol(make_scheme(), [scheme_gone], start=month(-2), end=month(-2))
    pay(scheme_due(scheme_gone, month(-2), enrolment))
    elsewhere, = people(1, DESA_C)
    history(elsewhere, paid=[month(0)])
    for on in (day(0, 14), day(0, 16), day(1, 14), day(1, 16), day(-1, 20), clock.today()):
        rows = {r["participant_id"]: r for r in status_rows("33.11", on)}
        assert elsewhere.pk not in rows  # another kabupaten
        for person in (active, arrears, non_active, not_started, nothing, ahead, ended, scheme_gone):
            person.refresh_from_db()
            one = status_of(person, on)
            row = rows[person.pk]
            assert (row["status"], row["owed"]) == (one.status, one.owed), (person.pk, on)
            assert row["last_paid"] == one.last_paid and row["first_unpaid"] == one.first_unpaid
    rows = {r["participant_id"]: r["status"] for r in status_rows("33.11", day(0, 16))}
    assert [rows[p.pk] for p in (active, arrears, non_active, not_started, nothing, ahead, scheme_gone)] == [
        ACTIVE, ARREARS, NON_ACTIVE, NOT_STARTED, NOT_STARTED, ACTIVE, ARREARS]
    assert {r["participant_id"] for r in status_rows(DESA_A, day(0, 16))} == {
        p.pk for p in (active, arrears, non_active, not_started, nothing, ahead, ended, scheme_gone)}
    assert status_rows("99.99", day(0, 16)) == []  # an unknown code: nobody, never everyone


def _moved(person, desa: str):
    person.desa_id = desa
    person.fill_derived()
    person.save()
    return person


def test_status_table_reads_the_dues_billed_before_a_move_and_months_paid_by_one_payer_of_two(make_scheme):
    """The region's table reads dues by their own kabupaten (the payer row's) and aggregates once per person; it
    must still answer as status_of for people who moved between kabupaten since they were billed (their dues keep
    the old kabupaten), and for months with two dues of which one is paid (the month is unpaid)."""
    moved_in, = people(1, DESA_C)
    history(moved_in, paid=[month(-2), month(-1), month(0)])
    moved_out, = people(1, DESA_A)
    history(moved_out, paid=[month(-1), month(0)])
    half, late_scheme, half_only, stays = people(4, DESA_A)
    scheme = make_scheme()
    history(half, paid=[month(-3), month(-2), month(-1), month(0)])
    enrolment_half, enrolment_late, enrolment_only = enrol(scheme, [half, late_scheme, half_only],
                                                           start=month(-3), end=month(0))
    scheme_due(half, month(0), enrolment_half)  # this month: the package is paid, the scheme's due is not
    history(late_scheme, unpaid=[month(-3), month(-2)])  # the worker's own months unpaid, then the scheme paid
    pay(scheme_due(late_scheme, month(-1), enrolment_late))
    pay(scheme_due(late_scheme, month(0), enrolment_late))
    history(half_only, paid=[month(-1)])
    scheme_due(half_only, month(-1), enrolment_only)  # its only month is half paid: nothing is fully paid
    history(stays, paid=[month(-1)], unpaid=[month(0)])
    _moved(moved_in, DESA_A)
    _moved(moved_out, DESA_C)
    everyone = (moved_in, moved_out, half, late_scheme, half_only, stays)
    for on in (day(0, 16), day(1, 16), day(-1, 20)):
        for region in ("33.11", "51.04", "33", "51", DESA_A, "33.11.11", ""):
            rows = {r["participant_id"]: r for r in status_rows(region, on)}
            for person in everyone:
                inside = region == "" or person.desa_id.startswith(region)
                assert (person.pk in rows) == inside, (region, person.pk)
                if not inside:
                    continue
                one, row = status_of(person, on), rows[person.pk]
                assert (row["status"], row["owed"], row["owed_self"]) == (one.status, one.owed, one.owed_self), (
                    region, person.pk, on)
                assert (row["last_paid"], row["first_unpaid"]) == (one.last_paid, one.first_unpaid), (region, on)
    rows = {r["participant_id"]: r for r in status_rows("33.11", day(0, 16))}
    assert [rows[p.pk]["status"] for p in (moved_in, half, late_scheme, half_only, stays)] == [
        ACTIVE, ARREARS, ACTIVE, NOT_STARTED, ARREARS]
    assert (rows[half.pk]["last_paid"], rows[late_scheme.pk]["first_paid"]) == (month(-1), month(-1))
