"""The counted-toward-target figure of a region in SQL (`counts`) agrees with the sum of the pure weights of its
people (`weight_of`), on generated ledgers, for each basis and several rules and days; and its protected figure is
the number of people whose status is active (billing.status)."""

import random
from datetime import timedelta
from fractions import Fraction

import pytest
from django.db import connection

from jamsosdesa.billing.models import Standing
from jamsosdesa.billing.standing import payer_mask
from jamsosdesa.billing.status import ACTIVE, status_rows
from jamsosdesa.core import clock
from jamsosdesa.core.months import add_months
from jamsosdesa.coverage.models_rules import CountingBasis
from jamsosdesa.coverage.rules import DEFAULT_RULE, Rule, counted_table, counts, rule_for, weight_of
from tests.conftest import DESA_A, DESA_B
from tests.coverage.rules_fixtures import due
from tests.funding.conftest import month, people

PAYERS = ("self", "apbdes", "apbd", "apbn", "csr")


def generated(seed: int, count: int = 40):
    rng = random.Random(seed)
    persons = people(count // 2, DESA_A) + people(count - count // 2, DESA_B)
    for person in persons:
        start = rng.randint(-14, 0)
        switch = rng.randint(start, 2)
        first_payer, later_payer = rng.choice(PAYERS), rng.choice(PAYERS)
        for offset in range(start, rng.randint(start, 3) + 1):
            payer = first_payer if offset < switch else later_payer
            due(person, month(offset), payer_type=payer, paid=rng.random() < 0.8)
            second = rng.choice(PAYERS)
            if rng.random() < 0.08 and second != payer:  # a second payer in the same month, sometimes unpaid
                due(person, month(offset), payer_type=second, paid=rng.random() < 0.5)
    return persons


def variant(**changes) -> Rule:
    return Rule(**{**DEFAULT_RULE.__dict__, **changes})


RULES = [DEFAULT_RULE, variant(basis=CountingBasis.SINCE_FIRST_PAID.value), variant(full_after_months=3),
         variant(full_after_months=0), variant(pro_rata_payers=frozenset({"self", "csr"})),
         variant(pro_rata_payers=frozenset())]


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_counts_agree_with_the_pure_weights(seed):
    persons = generated(seed)
    today = clock.today()
    partial = 0
    cached = {True: 0, False: 0}  # protected people answered from the standing cache / from their dues
    last_paid = dict(Standing.objects.values_list("participant_id", "last_paid"))
    for day in (today, today - timedelta(days=40), today - timedelta(days=100), today + timedelta(days=70)):
        active = {r["participant_id"] for r in status_rows("33.11", day) if r["status"] == ACTIVE}
        for pk in active:
            cached[last_paid[pk] <= day.replace(day=1)] += 1
        for rule in RULES:
            got = counts("33.11", day, rule=rule)
            expected = sum((weight_of(p, day, rule=rule) for p in persons), Fraction(0))
            assert got.counted == expected, (seed, day, rule)
            assert got.protected == len(active)
            partial += got.counted != got.protected
        # the desa figures add up to the kecamatan's
        for rule in RULES[:2]:
            parts = counts(DESA_A, day, rule=rule).counted + counts(DESA_B, day, rule=rule).counted
            assert parts == counts("33.11.11", day, rule=rule).counted
    assert partial, "the generated ledgers must hold someone who counts only in part"
    assert cached[True] and cached[False], "both ways of counted_table must be exercised"


@pytest.mark.django_db
def test_the_counting_rule_reads_the_standing_cache_unless_a_later_month_is_paid():
    """The cache is what counts up to the day's month when nothing after it is paid; a person paid ahead is read
    from their dues. A cache altered on purpose shows which was read (and `ledger check` would name it)."""
    cached, ahead = people(2, DESA_A)
    for person in (cached, ahead):
        for offset in (-2, -1, 0):
            due(person, month(offset), payer_type="apbdes")
    due(ahead, month(1), payer_type="apbdes")  # next month already paid
    day = clock.today()
    rule = DEFAULT_RULE
    assert counts(DESA_A, day, rule=rule).counted == Fraction(3, 6) + Fraction(3, 6)
    Standing.objects.filter(participant__in=[cached, ahead]).update(paid_months=5)
    assert counts(DESA_A, day, rule=rule).counted == Fraction(5, 6) + Fraction(3, 6)
    Standing.objects.filter(participant=cached).update(last_paid_payers=payer_mask(["self"]))
    assert counts(DESA_A, day, rule=rule).counted == 1 + Fraction(3, 6)  # the last month no longer a scheme's
    # late next month (the other person is in arrears by then): the ahead person's last paid month is the day's
    # month, so the cache answers for them too
    later = add_months(day.replace(day=1), 1) + timedelta(days=27)
    assert counts(DESA_A, later, rule=rule).counted == Fraction(5, 6)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [4, 5])
def test_the_cache_and_the_dues_agree_for_each_person_on_past_and_later_days(seed):
    """Per person (not only per region): the counting rule's units equal the pure weight's, on every day from a year
    back to three months ahead, for people who paid ahead, stopped, or switched payer."""
    persons = generated(seed, count=24)
    by_pk = {p.pk: p for p in persons}
    today = clock.today()
    for back in range(-12, 4, 3):
        day = add_months(today.replace(day=1), back) + timedelta(days=16)
        for rule in RULES[:3]:
            sql, params = counted_table(DESA_A, day, rule=rule)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                got = {pk: Fraction(int(units), rule.denominator) for pk, units in cursor.fetchall() if units}
            expected = {pk: weight_of(p, day, rule=rule) for pk, p in by_pk.items() if p.desa_id == DESA_A}
            assert got == {pk: w for pk, w in expected.items() if w}, (seed, day, rule)


@pytest.mark.django_db
def test_village_paid_workers_count_pro_rata_and_self_paid_fully_in_a_region():
    village = people(4, DESA_A)
    own = people(2, DESA_A)
    for person in village:  # three paid months each: the one before last, last and this
        for offset in (-2, -1, 0):
            due(person, month(offset), payer_type="apbdes")
    for person in own:
        due(person, month(0), payer_type="self")
    day = clock.today()
    got = counts(DESA_A, day)
    assert got.protected == 6
    assert got.counted == 4 * Fraction(3, 6) + 2
    assert got.counted_whole == 4
    body = got.as_dict()
    assert body["protected"] == 6 and body["counted"] == 4 and body["counted_exact"] == "4/1"
    assert body["protected_name"] == rule_for(day).protected_name


@pytest.mark.django_db
def test_the_rule_in_force_is_the_latest_row_valid_by_the_days_month(admin_user):
    from jamsosdesa.coverage.models_rules import CountingRule

    default = rule_for(clock.today())
    assert default.full_after_months == 6 and "PROBIS" in default.source  # the migration's row
    assert sorted(default.pro_rata_payers) == ["apbd", "apbdes", "apbn"]
    CountingRule.objects.create(valid_from=month(2), full_after_months=12, pro_rata_payers=["apbd"],
                                basis="paid_months", protected_name="Aktif", protected_name_en="Active",
                                counted_name="Capaian", counted_name_en="Achieved", source="Surat Deputi 9/2027")
    assert rule_for(clock.today()).full_after_months == 6
    assert rule_for(month(2)).full_after_months == 12
    assert rule_for(month(40)).source == "Surat Deputi 9/2027"
    assert rule_for(month(0).replace(year=2000, day=1)).source_text() == "aturan bawaan sistem"
