"""The worker's own package (iuran mandiri) through its service: who may start it, what it refuses (a month a
scheme pays, an income that is not a BPU nominal, a PU worker, an inactive person, a month too far or before the
person was registered), a change and an end (never from a paid month), and the audit trail of each."""

from datetime import date

import pytest
from django.db import IntegrityError

from jamsosdesa.billing.models import Allocation, Due, HolderType, Membership
from jamsosdesa.billing.packages import package_price, person_price
from jamsosdesa.billing.services import membership as service
from jamsosdesa.billing.services.membership import (
    membership_change,
    membership_end,
    membership_start,
    open_membership,
)
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.roles import Role
from jamsosdesa.participants.models import Participant
from tests.billing.conftest import DESA_A, DESA_C, enrol, month, package, people
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

# Rule data (contributions/defaults.py DISCOUNTS, PP 50/2025): in January 2027 only the transport workers' 50 %
# discount on JKK and JKM is in force (others' ended with December 2026). A past month's rules never change.
TRANSPORT_ONLY = date(2027, 1, 1)


def start(actor, person, **kw):
    kw.setdefault("programmes", ["JKK", "JKM"])
    kw.setdefault("income", 1_000_000)
    kw.setdefault("first_month", month(0))
    return membership_start(actor=actor, participant=person, **kw)


def refused(call, *args, **kw) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call(*args, **kw)
    return caught.value


def paid_due(m: Membership, when: date) -> Due:
    """A due of the package for `when`, paid from credit (rows written directly: payments have their own tests)."""
    due = Due.objects.create(participant_id=m.participant_id, kab_code=m.kab_code, desa_code=m.desa_code, month=when,
                             membership=m, payer_type="self", segment="BPU", programme_mask=m.programme_mask,
                             income=m.income, jkk=10_000, jkm=6_800, amount=16_800)
    Allocation.objects.create(due=due, amount=16_800, holder_type=HolderType.PARTICIPANT, holder_id=m.participant_id,
                              kab_code=m.kab_code, origin="credit")
    return due


# --- the price of a month for this person -----------------------------------------------------------------------

def test_a_self_paid_transport_worker_pays_half_of_jkk_and_jkm_when_only_the_transport_discount_runs(operator_a):
    driver, farmer = people(2)
    Participant.objects.filter(pk=driver.pk).update(occupation_id=81, sector="transportasi")
    driver.refresh_from_db()
    own = start(operator_a, driver)
    assert package_price(own, TRANSPORT_ONLY).total == 8_400
    assert person_price(farmer, TRANSPORT_ONLY, programmes=["JKK", "JKM"], income=1_000_000).total == 16_800
    # paid by a district's budget (APBD): no discount, whatever the sector
    assert person_price(driver, TRANSPORT_ONLY, programmes=["JKK", "JKM"], income=1_000_000,
                        payer="apbd").total == 16_800


def test_the_sector_comes_from_the_occupation_for_the_price(operator_a, register):
    driver = register(operator_a, occupation=81)  # SOPIR
    assert person_price(driver, TRANSPORT_ONLY, programmes=["JKK", "JKM"], income=1_000_000).total == 8_400


# --- start ------------------------------------------------------------------------------------------------------

def test_starting_a_package_records_it_and_its_audit_event(operator_a, agent):
    (p,) = people(1)
    m = start(operator_a, p, agent=agent, channel="agent", programmes=["jkm", "JKK", "JKK"])
    assert open_membership(p) == m
    assert (m.programmes, m.programme_mask, m.income, m.first_month, m.last_month) == (["JKK", "JKM"], 3,
                                                                                      1_000_000, month(0), None)
    assert (m.kab_code, m.desa_code, m.agent, m.channel, m.started_by) == ("33.11", DESA_A, agent, "agent",
                                                                          operator_a)
    event = AuditEvent.objects.get(event_type="membership.started")
    assert event.object_id == str(m.pk) and event.actor_name == "op_a" and event.region_code == DESA_A
    assert event.new["income"] == 1_000_000 and event.new["first_month"] == month(0).isoformat()
    assert event.new["agent"] == agent.pk


def test_a_month_a_scheme_pays_is_refused_in_fundings_words(operator_a, make_scheme):
    (p,) = people(1)
    scheme = make_scheme()  # JKK+JKM from month(0) to month(5)
    enrol(scheme, [p], start=month(2), end=month(5))
    error = refused(start, operator_a, p, first_month=month(0))
    assert str(error.code) == "covered"
    assert f"{month(2):%m/%Y}" in error.message and "sudah dibiayai skema lain" in error.message
    assert "first_month" in error.fields
    # JHT is not what the scheme pays, but a package needs JKK and JKM; after the scheme it is fine
    assert start(operator_a, p, first_month=month(6)).first_month == month(6)


def test_an_enrolment_that_never_paid_does_not_block_a_package(operator_a, make_scheme):
    (p,) = people(1)
    enrol(make_scheme(), [p], start=month(1), end=month(0))  # ended before it started
    assert start(operator_a, p, first_month=month(0))


def test_an_income_that_is_not_a_bpu_nominal_is_refused_by_the_engine(operator_a):
    (p,) = people(1)
    error = refused(start, operator_a, p, income=1_200_000)
    assert str(error.code) == "income_not_allowed" and "income" in error.fields
    assert "Rp1.000.000" in error.message or "Rp1.500.000" in error.message
    assert str(refused(start, operator_a, p, income=-5).code) == "bad_income"
    assert str(refused(start, operator_a, p, programmes=["JKK"]).code) == "programme_required"
    assert "programmes" in refused(start, operator_a, p, programmes=["JKN"]).fields
    assert not Membership.objects.exists()


@pytest.mark.parametrize("segment", ["PU", "PMI", "JAKON"])
def test_only_bpu_workers_get_a_package_for_now(operator_a, segment):
    (p,) = people(1, segment=segment)
    error = refused(start, operator_a, p)
    assert str(error.code) == "segment_not_allowed" and segment in error.message


def test_an_inactive_participant_gets_no_package(operator_a):
    (p,) = people(1, is_active=False)
    assert str(refused(start, operator_a, p).code) == "already_inactive"


def test_the_first_month_is_neither_before_registration_nor_too_far_ahead(operator_a, settings):
    (p,) = people(1)
    error = refused(start, operator_a, p, first_month=month(-1))
    assert "first_month" in error.fields and f"{month(0):%m/%Y}" in error.message
    error = refused(start, operator_a, p, first_month=month(settings.BILLING_MAX_MONTHS_AHEAD + 1))
    assert "first_month" in error.fields
    assert "first_month" in refused(start, operator_a, p, first_month=month(1).replace(day=2)).fields
    assert start(operator_a, p, first_month=month(settings.BILLING_MAX_MONTHS_AHEAD))


def test_a_second_open_package_is_refused(operator_a):
    (p,) = people(1)
    start(operator_a, p)
    error = refused(start, operator_a, p, first_month=month(1))
    assert str(error.code) == "package_open" and f"{month(0):%m/%Y}" in error.message


def test_two_starts_at_once_meet_the_database_constraint_and_get_a_clear_answer(operator_a, monkeypatch):
    (p,) = people(1)
    package(p, first=month(0))
    monkeypatch.setattr(service, "open_membership", lambda participant: None)  # as if the other one came later
    error = refused(start, operator_a, p, first_month=month(1))
    assert str(error.code) == "package_open"
    assert Membership.objects.count() == 1


def test_a_new_package_starts_after_the_last_one_ended(operator_a):
    (p,) = people(1)
    package(p, first=month(0), last=month(3))
    error = refused(start, operator_a, p, first_month=month(2))
    assert f"{month(4):%m/%Y}" in error.message
    assert start(operator_a, p, first_month=month(4))


def test_the_agent_must_be_an_active_perisai_agent_of_the_persons_desa(operator_a, agent, operator_b):
    (p,) = people(1)
    assert "agent" in refused(start, operator_a, p, agent=operator_b).fields
    elsewhere = make_user("agen_bali", Role.PERISAI_AGENT, [DESA_C])
    assert "agent" in refused(start, operator_a, p, agent=elsewhere).fields
    assert "agent" in refused(start, operator_a, p, agent="tidak_ada").fields
    assert start(operator_a, p, agent="agen_a").agent == agent


# --- who may ----------------------------------------------------------------------------------------------------

def test_outside_the_users_area_the_person_does_not_exist(operator_b, official, operator_a):
    (p,) = people(1)
    for outsider in (operator_b, official):  # operator of another desa; a district official (no package rights)
        error = refused(start, outsider, p)
        assert str(error.code) == "not_found"
    unknown = refused(start, operator_a, Participant(pk=999_999))
    assert unknown.message == error.message
    assert not Membership.objects.exists() and not AuditEvent.objects.filter(event_type__startswith="membership")


def test_an_agent_and_a_branch_officer_of_the_area_may_start_one(agent, branch):
    a, b = people(2)
    assert start(agent, a).started_by == agent
    assert start(branch, b).started_by == branch


# --- change and end ---------------------------------------------------------------------------------------------

def test_a_change_closes_the_package_the_month_before_and_opens_a_new_one(operator_a):
    (p,) = people(1)
    old = start(operator_a, p)
    new = membership_change(actor=operator_a, membership=old, from_month=month(2), income=1_500_000)
    old.refresh_from_db()
    assert (old.last_month, old.end_reason) == (month(1), "changed")
    assert (new.first_month, new.last_month, new.income, new.programmes, new.replaces) == (
        month(2), None, 1_500_000, ["JKK", "JKM"], old)
    assert open_membership(p) == new
    event = AuditEvent.objects.get(event_type="membership.changed")
    assert event.object_id == str(new.pk)
    assert event.old["income"] == 1_000_000 and event.new["income"] == 1_500_000 and event.new["replaces"] == old.pk


def test_a_change_or_an_end_from_a_paid_month_is_refused_naming_it(operator_a):
    (p,) = people(1)
    m = start(operator_a, p)
    paid_due(m, month(0))
    paid_due(m, month(1))
    error = refused(membership_change, actor=operator_a, membership=m, from_month=month(1), income=2_000_000)
    assert str(error.code) == "month_paid"
    assert f"{month(1):%m/%Y}" in error.message and f"{month(2):%m/%Y}" in error.message
    error = refused(membership_end, actor=operator_a, membership=m, last_month=month(0), reason="stopped")
    assert str(error.code) == "month_paid" and f"{month(2):%m/%Y}" in error.message
    assert membership_end(actor=operator_a, membership=m, last_month=month(1), reason="stopped").last_month == month(1)


def test_a_change_needs_something_to_change_and_a_month_after_the_start(operator_a):
    (p,) = people(1)
    m = start(operator_a, p)
    assert "programmes" in refused(membership_change, actor=operator_a, membership=m, from_month=month(1)).fields
    assert "from_month" in refused(membership_change, actor=operator_a, membership=m, from_month=month(0),
                                   programmes=["JKK", "JKM", "JHT"]).fields
    changed = membership_change(actor=operator_a, membership=m, from_month=month(1), programmes="jkk,jkm,jht")
    assert changed.programmes == ["JKK", "JKM", "JHT"] and changed.programme_mask == 7


def test_ending_a_package_keeps_it_with_its_months(operator_a):
    (p,) = people(1)
    m = start(operator_a, p)
    ended = membership_end(actor=operator_a, membership=m, last_month=month(3), reason="stopped")
    assert (ended.last_month, ended.end_reason, ended.ended_by) == (month(3), "stopped", operator_a)
    assert open_membership(p) is None
    event = AuditEvent.objects.get(event_type="membership.ended")
    assert event.old["last_month"] is None and event.new["last_month"] == month(3).isoformat()
    again = refused(membership_end, actor=operator_a, membership=m, last_month=month(4), reason="stopped")
    assert str(again.code) == "no_package"
    assert str(refused(membership_change, actor=operator_a, membership=None, from_month=month(1)).code) == "no_package"


def test_an_end_is_refused_with_a_clear_message_for_a_bad_reason_or_month(operator_a, operator_b):
    (p,) = people(1)
    m = start(operator_a, p, first_month=month(1))
    assert "reason" in refused(membership_end, actor=operator_a, membership=m, last_month=month(2),
                               reason="bosan").fields
    # two months before the first (the month before cancels it: tests/billing/test_membership_cancel.py)
    assert "last_month" in refused(membership_end, actor=operator_a, membership=m, last_month=month(-1),
                                   reason="stopped").fields
    assert str(refused(membership_end, actor=operator_b, membership=m, last_month=month(2),
                       reason="stopped").code) == "not_found"
    m.refresh_from_db()
    assert m.last_month is None


def test_the_database_keeps_one_open_package_per_person():
    (p,) = people(1)
    package(p, first=month(0))
    with pytest.raises(IntegrityError):
        package(p, first=month(1))


def unpaid_due(m: Membership, when: date) -> Due:
    return Due.objects.create(participant_id=m.participant_id, kab_code=m.kab_code, desa_code=m.desa_code, month=when,
                              membership=m, payer_type="self", segment="BPU", programme_mask=m.programme_mask,
                              income=m.income, jkk=10_000, jkm=6_800, amount=16_800)


def test_an_end_or_a_change_cancels_the_dues_billed_after_the_package_stops(operator_a):
    from jamsosdesa.billing.models import Reversal

    a, b = people(2)
    ended = start(operator_a, a)
    kept, gone = unpaid_due(ended, month(0)), unpaid_due(ended, month(2))
    membership_end(actor=operator_a, membership=ended, last_month=month(1), reason="stopped")
    changed = start(operator_a, b)
    kept_b, gone_b = unpaid_due(changed, month(1)), unpaid_due(changed, month(3))
    membership_change(actor=operator_a, membership=changed, from_month=month(2), income=1_500_000)
    voided = set(Reversal.objects.filter(target_type="due").values_list("target_id", flat=True))
    assert voided == {gone.pk, gone_b.pk} and not {kept.pk, kept_b.pk} & voided
    assert AuditEvent.objects.filter(event_type="due.voided").count() == 2
    from jamsosdesa.billing.check import ledger_check

    assert ledger_check() == []  # no due is left outside its package's months
