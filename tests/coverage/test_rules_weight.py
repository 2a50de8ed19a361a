"""The counting rule's weight of one person (pure): self-paid counts fully when protected; a government- or
village-paid worker counts k/6 before 6 paid months and fully from then; nobody unprotected counts."""

from datetime import date
from fractions import Fraction

import pytest

from jamsosdesa.coverage.models_rules import CountingBasis
from jamsosdesa.coverage.rules import DEFAULT_RULE, PaidFacts, PaidLine, facts_from_lines, target_weight


def facts(payer="apbdes", paid=3, since=3, protected=True) -> PaidFacts:
    return PaidFacts(protected=protected, payer_type=payer, paid_months=paid, months_since_first_paid=since)


def test_it_counts_a_self_paid_worker_fully_from_the_first_month():
    assert target_weight(facts(payer="self", paid=1, since=1), DEFAULT_RULE) == 1


@pytest.mark.parametrize("paid,weight", [(1, Fraction(1, 6)), (3, Fraction(1, 2)), (5, Fraction(5, 6)), (6, 1),
                                         (30, 1)])
def test_it_counts_a_village_paid_worker_pro_rata_before_six_paid_months(paid, weight):
    assert target_weight(facts(payer="apbdes", paid=paid, since=paid), DEFAULT_RULE) == weight


def test_a_thousand_workers_paid_three_months_count_as_five_hundred():
    """DOMAIN.md's worked example: 1,000 workers × 3 months count as 500."""
    assert sum(target_weight(facts(payer="apbd", paid=3), DEFAULT_RULE) for _ in range(1000)) == 500


def test_nobody_unprotected_counts_however_long_they_paid():
    assert target_weight(facts(payer="self", paid=40, since=40, protected=False), DEFAULT_RULE) == 0
    assert target_weight(facts(payer="apbn", paid=40, since=40, protected=False), DEFAULT_RULE) == 0


def test_a_payer_kind_outside_the_rule_counts_fully():
    assert target_weight(facts(payer="csr", paid=1), DEFAULT_RULE) == 1


def test_the_basis_decides_which_months_count():
    since = DEFAULT_RULE.__class__(**{**DEFAULT_RULE.__dict__, "basis": CountingBasis.SINCE_FIRST_PAID.value})
    worker = facts(payer="apbd", paid=2, since=5)  # first paid 5 months ago, two of them paid
    assert target_weight(worker, DEFAULT_RULE) == Fraction(2, 6)
    assert target_weight(worker, since) == Fraction(5, 6)


def test_zero_months_means_every_protected_person_counts_fully():
    rule = DEFAULT_RULE.__class__(**{**DEFAULT_RULE.__dict__, "full_after_months": 0})
    assert target_weight(facts(payer="apbdes", paid=1), rule) == 1


def test_facts_take_the_payer_of_the_latest_paid_month_and_ignore_later_months():
    on = date(2031, 5, 20)
    lines = [PaidLine(date(2031, 1, 1), True, "self"), PaidLine(date(2031, 2, 1), True, "self"),
             PaidLine(date(2031, 3, 1), False, "apbdes"), PaidLine(date(2031, 4, 1), True, "apbdes"),
             PaidLine(date(2031, 6, 1), True, "apbdes")]  # paid ahead: not yet a paid month on 20 May
    got = facts_from_lines(lines, on, protected=True, rule=DEFAULT_RULE)
    assert got == PaidFacts(protected=True, payer_type="apbdes", paid_months=3, months_since_first_paid=5)
    assert target_weight(got, DEFAULT_RULE) == Fraction(3, 6)


def test_a_month_with_an_unpaid_due_is_not_a_paid_month():
    lines = [PaidLine(date(2031, 1, 1), True, "apbd"), PaidLine(date(2031, 1, 1), False, "self")]
    assert facts_from_lines(lines, date(2031, 1, 20), protected=True, rule=DEFAULT_RULE).paid_months == 0


def test_the_rule_names_both_figures_in_the_readers_language():
    assert DEFAULT_RULE.names("id") == ("Terlindungi (status aktif)", "Dihitung untuk target")
    assert DEFAULT_RULE.names("en") == ("Protected (status active)", "Counted toward target")


def test_the_names_follow_the_active_language_when_none_is_given():
    from django.utils import translation

    with translation.override("en"):
        assert DEFAULT_RULE.as_dict()["counted_name"] == "Counted toward target"
    with translation.override("id"):
        assert DEFAULT_RULE.as_dict()["protected_name"] == "Terlindungi (status aktif)"
