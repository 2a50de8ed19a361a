"""Eligibility on the day (issue 15, "eligibility on the day"): only money paid by the end of the event day counts.
Arrears the heirs pay after a death do not make the dead protected under the strict policy, nor add months toward
the 36 contribution months; under a lenient policy a held claim is covered once its arrears are paid before the
day the policy allows (`eligibility_on(..., paid_by=today)`), not after."""

import pytest

from jamsosdesa.billing.services.payments import PaymentRequest, payment_record
from jamsosdesa.claims.eligibility import eligibility_on
from jamsosdesa.claims.models import ClaimStatus
from jamsosdesa.core import clock
from tests.claims.file_world import (  # noqa: F401 (fresh_param_cache: a fixture)
    MONTH_DUE,
    day,
    fresh_param_cache,
    lenient_policy,
    month,
    report,
    worker,
)

pytestmark = pytest.mark.django_db
DUE = MONTH_DUE


def pay_later(officer, person, months: int, paid_on=None, reference: str = "TRF-AHLI-WARIS-1"):
    """The heirs pay `months` months of arrears at the branch (paid today unless `paid_on`)."""
    return payment_record(actor=officer, request=PaymentRequest(
        amount=months * DUE, paid_on=paid_on or clock.today(), reference=reference, participant_id=person.pk))


def test_arrears_paid_after_a_death_under_the_strict_policy_do_not_revive_the_cover(operator_a, officer):
    person = worker(paid=[month(-5)], unpaid=[month(-4), month(-3), month(-2), month(-1)])
    event = day(-1, 10)
    assert eligibility_on(person, event, "jkm").eligible is False
    outcome = pay_later(officer, person, 4)
    assert outcome.months == [month(-4), month(-3), month(-2), month(-1)]  # billing: paid, now
    e = eligibility_on(person, event, "jkm")
    assert (e.eligible, e.held, e.status) == (False, False, "non_active")
    assert e.reason.startswith("tidak aktif sejak")
    assert eligibility_on(person, event, "jkm", paid_by=clock.today()).eligible is False  # strict: the event day
    claim = report(operator_a, person, "jkm", event_date=event)
    assert (claim.status, claim.rejection_code) == (ClaimStatus.REJECTED, "not_protected")


def test_months_paid_after_the_event_do_not_count_toward_the_contribution_months(operator_a, officer):
    gap = [month(n) for n in range(-20, -16)]
    person = worker(paid=[month(n) for n in range(-36, 0) if month(n) not in gap], unpaid=gap)
    event = day(-1, 20)
    assert eligibility_on(person, event, "jkm").contribution_months == 32
    assert pay_later(officer, person, 4).months == gap
    e = eligibility_on(person, event, "jkm")
    assert (e.eligible, e.contribution_months) == (True, 32)  # not the 36 months of the scholarship condition
    assert report(operator_a, person, "jkm", event_date=event).eligibility["contribution_months"] == 32


def test_lenient_arrears_paid_after_the_event_before_the_day_allowed_restore_the_cover(officer):
    lenient_policy()
    person = worker(paid=[month(-4), month(-3)], unpaid=[month(-2), month(-1)])
    event = day(-1, 20)
    held = eligibility_on(person, event, "jkm")
    assert (held.eligible, held.held, held.arrears) == (False, True, 2 * DUE) and held.pay_by > clock.today()
    pay_later(officer, person, 1)
    part = eligibility_on(person, event, "jkm", paid_by=clock.today())
    assert (part.eligible, part.held, part.arrears, part.pay_by) == (False, True, DUE, held.pay_by)
    pay_later(officer, person, 1, reference="TRF-AHLI-WARIS-2")
    assert eligibility_on(person, event, "jkm").held is True  # the event day's view is unchanged
    e = eligibility_on(person, event, "jkm", paid_by=clock.today())
    assert (e.eligible, e.held, e.status, e.arrears) == (True, False, "active", 0)
    assert "aktif: tunggakan dilunasi sebelum" in e.reason and "longgar" in e.reason
    assert e.contribution_months == 2  # the months paid after the event still do not count


def test_lenient_arrears_paid_after_the_day_allowed_do_not_restore_the_cover(officer):
    lenient_policy()
    person = worker(paid=[month(-8), month(-7)], unpaid=[month(n) for n in range(-6, 0)])
    event = day(-5, 20)
    held = eligibility_on(person, event, "jkm")
    assert held.held is True and held.pay_by <= clock.today()
    pay_later(officer, person, 6)
    e = eligibility_on(person, event, "jkm", paid_by=clock.today())
    assert (e.eligible, e.held, e.pay_by) == (False, False, None)
    assert "tidak dilunasi sebelum" in e.reason and "tidak ditanggung" in e.reason


def test_lenient_arrears_paid_before_the_day_allowed_count_even_when_recorded_later(officer):
    lenient_policy()
    person = worker(paid=[month(-8), month(-7)], unpaid=[month(n) for n in range(-6, 0)])
    event = day(-5, 20)
    held = eligibility_on(person, event, "jkm")
    pay_later(officer, person, 6, paid_on=held.pay_by.replace(day=1))  # a transfer on time, entered today
    assert eligibility_on(person, event, "jkm", paid_by=clock.today()).eligible is True
