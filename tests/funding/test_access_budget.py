"""Who sees which scheme, and the budget figures each of them gets."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jamsosdesa.core.months import add_months
from jamsosdesa.funding.selectors import scheme_budget, scheme_enrolments, scheme_get, scheme_list
from jamsosdesa.funding.services import (
    EnrolmentSelection,
    SchemeData,
    enrolment_batch_run,
    enrolment_create,
    enrolment_end,
    scheme_create,
)
from jamsosdesa.participants.access import can_change_participant
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A, DESA_B

from .conftest import month, people, scheme_data

JAKARTA = ZoneInfo("Asia/Jakarta")

pytestmark = pytest.mark.django_db


def test_officials_and_operators_see_only_their_schemes(make_scheme, official, official_gianyar, operator_a,
                                                        operator_b, admin_user):
    sukoharjo = make_scheme()
    gianyar = scheme_create(actor=official_gianyar, data=scheme_data(owner_code="51.04", name="Gianyar 100"))
    krajan = scheme_create(actor=operator_a, data=SchemeData(
        name="Perdes Krajan", payer_type="apbdes", apbdes_source="add", owner_code=DESA_A,
        legal_basis_number="Perdes 3/2026", legal_basis_date=date(2026, 1, 5), start_month=month(0),
        end_month=month(5), budget_ceiling=10_000_000))
    assert set(scheme_list(user=official)) == {sukoharjo, krajan}
    assert set(scheme_list(user=official_gianyar)) == {gianyar}
    assert set(scheme_list(user=operator_a)) == {sukoharjo, krajan}  # the district's scheme covers Krajan
    assert set(scheme_list(user=operator_b)) == {sukoharjo}
    assert scheme_get(user=operator_b, pk=krajan.pk) is None and scheme_get(user=official, pk=gianyar.pk) is None
    assert set(scheme_list(user=admin_user)) == {sukoharjo, gianyar, krajan}


def test_the_budget_view_counts_committed_cost_remaining_budget_and_quota(make_scheme, official, operator_a):
    scheme = make_scheme(quotas={DESA_A: 10, DESA_B: 5})
    people(4, DESA_A)
    people(2, DESA_B)
    enrolment_batch_run(actor=official, scheme=scheme,
                        selection=EnrolmentSelection(participants=Participant.objects.all(), start_month=month(0)))
    gone = Participant.objects.filter(desa_id=DESA_B).first()
    enrolment_end(actor=official, enrolment=gone.enrolments.get(), last_month=month(2), reason="moved")
    view = scheme_budget(user=official, scheme=scheme)
    assert view.per_person == 100_800 and view.enrolled == 5 and view.ended == 1
    assert view.committed == 5 * 100_800 + 3 * 16_800 and view.remaining == 2_000_000_000 - view.committed
    krajan = next(d for d in view.desa if d.code == DESA_A)
    sanggung = next(d for d in view.desa if d.code == DESA_B)
    assert (krajan.name, krajan.quota, krajan.enrolled, krajan.room) == ("Krajan", 10, 4, 6)
    assert (sanggung.quota, sanggung.enrolled, sanggung.room, sanggung.committed) == (5, 1, 4, 100_800 + 50_400)
    # 150 desa and 17 kelurahan: the per-desa quota covers the other 148 desa, not the kelurahan
    assert len(view.desa) == 167 and view.planned_people == 10 + 5 + 148 * 100
    assert [m.people for m in view.monthly_per_person] == [6, 6, 6, 5, 5, 5]
    mine = scheme_budget(user=operator_a, scheme=scheme)
    assert [d.code for d in mine.desa] == [DESA_A] and not mine.whole_scheme
    assert [e.desa_code for e in scheme_enrolments(user=operator_a, scheme=scheme)] == [DESA_A] * 4


def test_a_district_official_changes_the_people_its_schemes_pay_for(make_scheme, official, register, operator_a):
    scheme = make_scheme()
    paid = register(operator_a)
    other = register(operator_a, nik="3311110505900011", full_name="Lain Orang")
    assert not can_change_participant(official, paid)
    enrolment_create(actor=official, scheme=scheme, participant=paid, start_month=month(0))
    assert can_change_participant(official, paid) and not can_change_participant(official, other)


def test_the_district_officials_right_to_change_ends_when_its_scheme_stops_paying(
        make_scheme, official, register, operator_a):
    # Found by an outside review: any enrolment ever made, ended ones too, gave lasting change rights.
    scheme = make_scheme()
    ended_now = register(operator_a)
    paid = register(operator_a, nik="3311110505900011", full_name="Lain Orang")
    for person in (ended_now, paid):
        enrolment_create(actor=official, scheme=scheme, participant=person, start_month=month(0))
    enrolment = ended_now.enrolments.get()
    enrolment_end(actor=official, enrolment=enrolment, last_month=month(-1), reason="mistake")
    assert not can_change_participant(official, ended_now)
    assert can_change_participant(official, paid)
    # After the scheme's last month the grant is gone; the people are the village's again.
    with time_machine.travel(datetime.combine(add_months(scheme.end_month, 1), time(10), tzinfo=JAKARTA)):
        assert not can_change_participant(official, paid)
