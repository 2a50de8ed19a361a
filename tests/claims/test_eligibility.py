"""Eligibility on the event day from billing's status under the arrears policy in force, in plain words: active,
arrears under the strict and the lenient policy, non-active, not started, ended; the contribution months, the wage
and the months paid beyond the event month."""

import pytest

from jamsosdesa.billing.models import ArrearsPolicy
from jamsosdesa.claims.eligibility import eligibility_on, event_date_problem, month_words
from jamsosdesa.core import clock
from tests.claims.engine_fixtures import day, fresh_param_cache, month, people, worker  # noqa: F401

pytestmark = pytest.mark.django_db


def test_active_names_the_month_paid_through_and_counts_the_paid_months():
    person = worker(paid=[month(-3), month(-2), month(-1)], wage=2_500_000)
    e = eligibility_on(person, day(-1, 20), "jkm")
    assert (e.eligible, e.held, e.status) == (True, False, "active")
    assert e.reason == f"aktif: iuran terbayar sampai {month_words(month(-1))}"
    assert (e.contribution_months, e.wage, e.refund, e.arrears) == (3, 2_500_000, 0, 0)
    assert e.as_dict()["reason"] == e.reason and e.as_dict()["eligible"] is True


def test_arrears_under_the_strict_policy_is_not_covered_and_says_since_when():
    person = worker(paid=[month(-4), month(-3)], unpaid=[month(-2), month(-1)])
    e = eligibility_on(person, day(-1, 20), "jkm")
    assert (e.eligible, e.held, e.status) == (False, False, "arrears")
    assert e.reason.startswith(f"menunggak sejak {month_words(month(-2))}: 2 bulan iuran tidak dibayar;")
    assert "ketat" in e.reason
    assert e.arrears == 33_600 and e.pay_by is None


def test_arrears_under_a_lenient_policy_is_held_with_the_amount_and_the_day_to_pay_by():
    ArrearsPolicy.objects.create(kab_code="", valid_from=month(-12), mode="lenient", grace_months=3,
                                 source="Keputusan Direksi 1/2026")
    person = worker(paid=[month(-4), month(-3)], unpaid=[month(-2), month(-1)])
    e = eligibility_on(person, day(-1, 20), "jkk_death")
    assert (e.eligible, e.held, e.arrears) == (False, True, 33_600)
    assert e.pay_by is not None and e.pay_by > day(-1, 20)
    assert "Rp33.600" in e.reason and "longgar" in e.reason
    assert e.as_dict()["pay_by"] == e.pay_by.isoformat()


def test_the_lenient_policy_of_the_kabupaten_on_the_event_day_decides_not_todays():
    ArrearsPolicy.objects.create(kab_code="33.11", valid_from=month(0), mode="lenient", grace_months=3,
                                 source="Surat Cabang Sukoharjo 4/2026")
    person = worker(paid=[month(-4), month(-3)], unpaid=[month(-2), month(-1)])
    assert eligibility_on(person, day(-1, 20), "jkm").held is False  # the policy starts after the event


def test_non_active_says_since_when_and_how_many_months():
    person = worker(paid=[month(-6)])
    e = eligibility_on(person, day(-1, 20), "jkm")
    assert (e.eligible, e.held, e.status) == (False, False, "non_active")
    assert e.reason == f"tidak aktif sejak {month_words(month(-5))}: 5 bulan iuran tidak dibayar"
    assert e.contribution_months == 1


def test_not_started_when_nothing_was_paid():
    person = worker(unpaid=[month(-2), month(-1)])
    e = eligibility_on(person, day(-1, 20), "jkm")
    assert (e.eligible, e.status) == (False, "not_started")
    assert e.reason == "belum mulai: belum ada iuran yang dibayar sampai bulan kejadian"


def test_ended_in_the_registry_is_not_covered():
    person = worker(paid=[month(-3), month(-2), month(-1)])
    person.segment = "PU"
    person.save(update_fields=["segment"])
    e = eligibility_on(person, day(-1, 20), "jkm")
    assert (e.eligible, e.status) == (False, "ended")
    assert e.reason.startswith("berakhir: ")


def test_months_paid_beyond_the_event_month_are_the_refund_with_the_months_named():
    person = worker(paid=[month(-3), month(-2), month(-1), month(0), month(1)])
    e = eligibility_on(person, day(-1, 20), "jkm")
    assert e.refund == 2 * 16_800
    assert e.refund_months == (month(0), month(1))
    assert e.as_dict()["refund_months"] == [f"{month(0):%Y-%m}", f"{month(1):%Y-%m}"]
    assert e.contribution_months == 3  # up to and including the event month


def test_the_wage_is_the_event_months_income_else_the_registry_s_declared_income():
    person = worker(paid=[month(-2), month(-1)], wage=4_000_000)
    assert eligibility_on(person, day(-1, 20), "jkk_death").wage == 4_000_000
    nobody, = people(1)
    nobody.declared_income = 1_500_000
    nobody.save(update_fields=["declared_income"])
    assert eligibility_on(nobody, day(-1, 20), "jkk_death").wage == 1_500_000


def test_an_event_day_in_the_future_or_before_registration_is_refused_in_words():
    person = worker(paid=[month(-2), month(-1)])
    tomorrow = clock.today().replace(day=1).replace(year=clock.today().year + 1)
    assert "belum tiba" in event_date_problem(person, tomorrow)
    assert "sebelum peserta terdaftar" in event_date_problem(person, day(-3, 28))
    assert event_date_problem(person, day(-2, 1)) == ""
