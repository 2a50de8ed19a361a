"""The benefit to the rupiah from the parameters in force (DOMAIN.md's figures): JKM's three parts, JKK death with
its minimum, total disability, temporary incapacity split at the 12-month boundary, the refund, and the sum of the
parts always being the total."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsosdesa.claims.benefits import Facts, compute, plus_months
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.months import add_years
from tests.claims.engine_fixtures import fresh_param_cache, month  # noqa: F401

pytestmark = pytest.mark.django_db


def amounts(benefit) -> dict[str, int]:
    return {p.code: p.amount for p in benefit.parts}


def test_jkm_is_42_million_in_three_parts_each_with_its_rule():
    b = compute("jkm", Facts(wage=1_000_000), clock.today())
    assert amounts(b) == {"jkm_lump_sum": 20_000_000, "jkm_periodic": 12_000_000, "jkm_funeral": 10_000_000}
    assert b.total == 42_000_000
    assert all("PP 82/2019" in p.rule for p in b.parts)
    assert b.words == "Empat puluh dua juta rupiah"


def test_jkk_death_on_a_1_million_wage_is_48_million_plus_22_million():
    # 48 × 1 000 000 = 48 000 000 is above the 20 000 000 minimum (the brief's "20M min + 22M = 42M" for this wage
    # contradicts max(48 × wage, 20M); the minimum binds below a wage of 416 667: see the next test)
    b = compute("jkk_death", Facts(wage=1_000_000), clock.today())
    assert amounts(b) == {"jkk_death": 48_000_000, "jkk_funeral": 10_000_000, "jkk_periodic": 12_000_000}
    assert b.total == 70_000_000
    assert b.parts[0].rule == ("48 × upah Rp1.000.000 = Rp48.000.000; paling sedikit Rp20.000.000 "
                               "(PP 44/2015 jo. PP 82/2019)")


def test_jkk_death_on_a_small_wage_is_the_20_million_minimum_plus_22_million():
    b = compute("jkk_death", Facts(wage=300_000), clock.today())
    assert b.total == 42_000_000
    death = b.parts[0]
    assert death.rule == ("48 × upah Rp300.000 = Rp14.400.000; paling sedikit Rp20.000.000 "
                          "(PP 44/2015 jo. PP 82/2019)")
    assert death.amount == 20_000_000


def test_jkk_death_on_a_5_million_wage_is_240_million_plus_22_million():
    b = compute("jkk_death", Facts(wage=5_000_000), clock.today())
    assert amounts(b)["jkk_death"] == 240_000_000
    assert b.total == 262_000_000


def test_total_disability_is_56_times_the_wage_plus_the_periodic():
    b = compute("jkk_disability_total", Facts(wage=2_000_000), clock.today())
    assert amounts(b) == {"jkk_disability": 112_000_000, "jkk_disability_periodic": 12_000_000}
    assert b.total == 124_000_000


def test_temporary_incapacity_within_the_first_12_months_is_the_full_wage_by_days():
    start = clock.today() - timedelta(days=40)
    b = compute("jkk_temporary", Facts(wage=3_000_000, incapacity_from=start,
                                       incapacity_to=start + timedelta(days=29)), start)
    assert amounts(b) == {"temporary_full": 3_000_000}  # 30 days of 100 000 a day
    assert "30 hari" in b.parts[0].rule and "100%" in b.parts[0].rule


def test_temporary_incapacity_across_the_12_month_boundary_is_100_then_50_percent():
    start = month(-14).replace(day=10)
    boundary = plus_months(start, 12)
    end = boundary + timedelta(days=9)  # ten days after the first 12 months
    full_days = (boundary - start).days
    b = compute("jkk_disease", Facts(wage=3_000_000, incapacity_from=start, incapacity_to=end), start)
    assert amounts(b) == {"temporary_full": full_days * 100_000, "temporary_after": 10 * 50_000}
    assert b.total == full_days * 100_000 + 500_000


def test_temporary_incapacity_rounds_each_part_half_up_to_the_rupiah():
    start = clock.today() - timedelta(days=10)
    b = compute("jkk_temporary", Facts(wage=1_000_001, incapacity_from=start, incapacity_to=start), start)
    assert b.total == 33_333  # 1 000 001 / 30 = 33 333.37
    b = compute("jkk_temporary", Facts(wage=1_000_005, incapacity_from=start, incapacity_to=start), start)
    assert b.total == 33_334  # 33 333.5 rounds up


def test_temporary_incapacity_without_its_days_is_refused_with_the_field():
    with pytest.raises(ServiceError) as caught:
        compute("jkk_temporary", Facts(wage=1_000_000), clock.today())
    assert "incapacity_from" in caught.value.fields
    start = clock.today()
    with pytest.raises(ServiceError) as caught:
        compute("jkk_temporary", Facts(wage=1_000_000, incapacity_from=start,
                                       incapacity_to=start - timedelta(days=1)), start)
    assert "incapacity_to" in caught.value.fields


def test_months_paid_beyond_a_death_are_refunded_and_a_living_worker_keeps_them():
    facts = Facts(wage=1_000_000, refund=33_600, refund_months=(month(1), month(2)),
                  incapacity_from=clock.today(), incapacity_to=clock.today())
    jkm = compute("jkm", facts, clock.today())
    assert amounts(jkm)["refund"] == 33_600 and jkm.total == 42_033_600
    assert "PROBIS" in jkm.parts[-1].rule
    assert "refund" not in amounts(compute("jkk_temporary", facts, clock.today()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["jkm", "jkk_death", "jkk_disability_total", "jkk_temporary", "jkk_disease"]),
       wage=st.integers(min_value=1, max_value=50_000_000), refund=st.integers(min_value=0, max_value=2_000_000),
       start_back=st.integers(min_value=0, max_value=900), length=st.integers(min_value=0, max_value=900))
def test_the_total_is_the_sum_of_whole_rupiah_parts(kind, wage, refund, start_back, length):
    start = clock.today() - timedelta(days=start_back)
    b = compute(kind, Facts(wage=wage, refund=refund, refund_months=(month(1),), incapacity_from=start,
                            incapacity_to=start + timedelta(days=length)), start)
    assert b.total == sum(p.amount for p in b.parts)
    assert all(isinstance(p.amount, int) and p.amount >= 0 for p in b.parts)
    assert b.parts and all(p.rule and p.name for p in b.parts)


def test_incapacity_before_the_event_or_in_an_impossible_year_is_refused_in_words():
    on = clock.today()
    with pytest.raises(ServiceError) as caught:
        compute("jkk_temporary", Facts(wage=1_000_000, incapacity_from=on - timedelta(days=1), incapacity_to=on), on)
    assert "sebelum tanggal kejadian" in caught.value.message and "incapacity_from" in caught.value.fields
    far = add_years(on, 9999 - on.year)
    with pytest.raises(ServiceError) as caught:
        compute("jkk_temporary", Facts(wage=1_000_000, incapacity_from=far, incapacity_to=far), on)
    assert "9999" in caught.value.message


@pytest.mark.parametrize("kind", ["jkk_death", "jkk_disability_total", "jkk_temporary", "jkk_disease"])
def test_a_jkk_benefit_with_no_wage_known_is_refused_naming_the_wage_not_paid_as_a_minimum(kind):
    """Every JKK benefit is a multiple of the wage: without one (no due with an income, no declared income) the
    engine asks for it instead of quietly paying the death minimum or 56 × 0."""
    start = clock.today() - timedelta(days=10)
    with pytest.raises(ServiceError) as caught:
        compute(kind, Facts(wage=0, incapacity_from=start, incapacity_to=start + timedelta(days=5)), start)
    assert "Upah peserta tidak diketahui" in caught.value.message and list(caught.value.fields) == ["wage"]
    assert compute("jkm", Facts(wage=0), start).total == 42_000_000  # JKM does not depend on the wage
