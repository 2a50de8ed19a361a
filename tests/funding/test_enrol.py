"""Putting people into a scheme: by filter, one by one, from a list; every refusal says why."""

from datetime import date

import pytest

from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.funding.models import Candidate, Enrolment, EnrolmentBatch
from jamsosdesa.funding.selectors import enrolment_batch_refusals, scheme_committed
from jamsosdesa.funding.services import EnrolmentSelection, enrolment_batch_run, enrolment_create, enrolment_end
from jamsosdesa.participants.models import Participant
from jamsosdesa.participants.selectors import ParticipantFilter, participant_filter_qs
from tests.conftest import DESA_A, DESA_B

from .conftest import born_aged, month, people

pytestmark = pytest.mark.django_db


def reasons(batch) -> dict[str, str]:
    return {c.nik: c.reason for c in enrolment_batch_refusals(batch)}


def test_enrolling_by_filter_checks_each_rule_and_says_why(make_scheme, official):
    scheme = make_scheme(village_roles=("vulnerable_worker", "rt_head"))
    ok = people(4)
    old = people(1, born=born_aged(66, days_after=-1))  # 66 on the first of this month
    just_65 = people(1, born=born_aged(65, days_after=1))  # 64 on the first of this month, 65 the next day
    wage_earner = people(1, segment="PU")
    gone = people(1, is_active=False)
    head = people(1, village_role="village_head")
    gianyar = people(1, desa="51.04.01.2001")  # outside the scheme (and the official's) region
    batch = enrolment_batch_run(actor=official, scheme=scheme,
                                selection=EnrolmentSelection(participants=Participant.objects.all(),
                                                             start_month=month(0)))
    assert (batch.candidates, batch.enrolled, batch.refused) == (9, 5, 4)  # Gianyar is not even a candidate
    assert reasons(batch) == {old[0].nik: "too_old", wage_earner[0].nik: "segment", gone[0].nik: "inactive",
                              head[0].nik: "role"}
    enrolled = set(Enrolment.objects.filter(scheme=scheme).values_list("participant_id", flat=True))
    assert enrolled == {p.pk for p in ok + just_65} and gianyar[0].pk not in enrolled
    assert set(Enrolment.objects.values_list("cost", flat=True)) == {6 * 16_800}
    assert scheme_committed(scheme) == 5 * 100_800
    events = AuditEvent.objects.filter(event_type="enrolment.created")
    assert events.count() == 5 and events.first().new["cost"] == 100_800 and events.first().actor_name == "pemkab_skh"


def test_desa_quotas_refuse_the_surplus_desa_by_desa(make_scheme, official):
    scheme = make_scheme(quota_per_desa=None, quotas={DESA_A: 3, DESA_B: 2})  # only these two desa take part
    people(5, DESA_A)
    people(1, DESA_B)
    people(2, "33.11.11.2003")  # Blimbing: no quota
    batch = enrolment_batch_run(actor=official, scheme=scheme,
                                selection=EnrolmentSelection(participants=Participant.objects.all()))
    refused = sorted((c.desa_code, c.reason) for c in enrolment_batch_refusals(batch))
    assert refused == [("33.11.11.2003", "quota")] * 2 + [(DESA_A, "quota")] * 2
    assert batch.enrolled == 4


def test_without_quotas_the_budget_is_the_limit(make_scheme, official):
    scheme = make_scheme(quota_per_desa=None, budget_ceiling=5 * 100_800 + 100_000)
    people(4, DESA_A)
    people(3, DESA_B)
    batch = enrolment_batch_run(actor=official, scheme=scheme,
                                selection=EnrolmentSelection(participants=Participant.objects.all()))
    assert batch.enrolled == 5 and set(reasons(batch).values()) == {"budget"} and batch.refused == 2
    assert scheme_committed(scheme) == 5 * 100_800


def test_the_quota_frees_up_when_an_enrolment_ends(make_scheme, official):
    scheme = make_scheme(quota_per_desa=2, start_month=month(0))
    first, second, third = people(3)
    for p in (first, second):
        enrolment_create(actor=official, scheme=scheme, participant=p, start_month=month(0))
    with pytest.raises(ServiceError) as err:
        enrolment_create(actor=official, scheme=scheme, participant=third, start_month=month(0))
    assert err.value.code == "quota" and "kuota desa sudah penuh" in err.value.message
    assert EnrolmentBatch.objects.count() == 2  # the refused attempt left nothing behind
    ended = enrolment_end(actor=official, enrolment=Enrolment.objects.get(participant=first),
                          last_month=month(1), reason="died")
    assert ended.cost == 2 * 16_800 and ended.end_month == month(1) and ended.ended_at is not None
    assert Enrolment.objects.filter(participant=first).exists()  # ended, never deleted
    event = AuditEvent.objects.get(event_type="enrolment.ended")
    assert event.old["cost"] == 100_800 and event.new["cost"] == 33_600 and event.new["end_reason"] == "died"
    # the freed place: from the month after the last paid one (a new person may start then)
    assert enrolment_create(actor=official, scheme=scheme, participant=third, start_month=month(2)).cost == 4 * 16_800
    with pytest.raises(ServiceError) as err:
        enrolment_end(actor=official, enrolment=ended, last_month=month(1), reason="died")
    assert err.value.code == "already_ended"


def test_one_paying_scheme_per_programme_and_month(make_scheme, official, operator_a):
    from jamsosdesa.funding.services import SchemeData, scheme_create

    district = make_scheme()
    village = scheme_create(actor=operator_a, data=SchemeData(
        name="Perdes Krajan", payer_type="apbdes", apbdes_source="dana_desa", owner_code=DESA_A,
        legal_basis_number="Perdes 3/2026", legal_basis_date=date(2026, 1, 5), start_month=month(-4),
        end_month=month(7), budget_ceiling=50_000_000))
    worker = people(1)[0]
    enrolment_create(actor=operator_a, scheme=village, participant=worker, start_month=month(-4), end_month=month(1))
    with pytest.raises(ServiceError) as err:
        enrolment_create(actor=official, scheme=district, participant=worker, start_month=month(0))
    assert err.value.code == "covered"
    later = enrolment_create(actor=official, scheme=district, participant=worker, start_month=month(2))
    assert later.start_month == month(2) and later.end_month == month(5)


def test_all_or_nothing_enrols_nobody_when_one_is_refused(make_scheme, official):
    scheme = make_scheme()
    people(3)
    people(1, born=date(1950, 1, 1))
    batch = enrolment_batch_run(actor=official, scheme=scheme,
                                selection=EnrolmentSelection(participants=Participant.objects.all(),
                                                             all_or_nothing=True))
    assert batch.enrolled == 0 and not Enrolment.objects.exists()
    assert sorted(set(reasons(batch).values())) == ["not_all", "too_old"]
    assert not AuditEvent.objects.filter(object_type="enrolment").exists()


def test_enrolling_from_a_list_of_niks_reports_the_unknown_and_the_invisible(make_scheme, operator_a):
    scheme = make_scheme()
    mine = people(2, DESA_A)
    neighbour = people(1, DESA_B)  # registered, but outside the operator's desa: looks unknown to them
    niks = [mine[0].nik, f" {mine[1].nik} ", mine[0].nik, neighbour[0].nik, "3311119999990001"]
    batch = enrolment_batch_run(actor=operator_a, scheme=scheme,
                                selection=EnrolmentSelection(niks=niks, start_month=month(0)))
    assert batch.enrolled == 2
    assert reasons(batch) == {neighbour[0].nik: "not_registered", "3311119999990001": "not_registered"}
    assert Candidate.objects.filter(batch=batch).count() == 2  # only the refusals stay as the report


def test_a_welfare_list_scheme_takes_only_listed_people(make_scheme, official):
    listed, unlisted = people(2)
    scheme = make_scheme(requires_welfare_list=True, welfare_niks=(listed.nik,))
    batch = enrolment_batch_run(actor=official, scheme=scheme,
                                selection=EnrolmentSelection(participants=Participant.objects.all()))
    assert batch.enrolled == 1 and reasons(batch) == {unlisted.nik: "welfare"}


def test_the_filter_is_the_registry_filter_inside_the_users_scope(make_scheme, official):
    scheme = make_scheme()
    people(2, DESA_A, village_role="rt_head")
    people(3, DESA_A)
    people(2, DESA_B, village_role="rt_head")
    chosen = participant_filter_qs(user=official, filters=ParticipantFilter(region="33.11.11", village_role="rt_head"))
    batch = enrolment_batch_run(actor=official, scheme=scheme, selection=EnrolmentSelection(participants=chosen))
    assert batch.enrolled == 4 and batch.refused == 0
    again = enrolment_batch_run(actor=official, scheme=scheme, selection=EnrolmentSelection(participants=chosen))
    assert again.enrolled == 0 and set(reasons(again).values()) == {"enrolled"}  # already in this scheme


def test_an_agent_cannot_enrol_and_a_scheme_period_that_is_over_is_refused(make_scheme, official, db):
    from jamsosdesa.core.roles import Role
    from tests.conftest import make_user

    agent = make_user("agen", Role.PERISAI_AGENT, [DESA_A])
    scheme = make_scheme()
    worker = people(1)[0]
    with pytest.raises(ServiceError) as err:
        enrolment_create(actor=agent, scheme=scheme, participant=worker)
    assert err.value.code == "forbidden"
    with pytest.raises(ServiceError) as err:
        enrolment_create(actor=official, scheme=scheme, participant=worker, start_month=month(7))
    assert err.value.code == "scheme_ended"
    assert not Enrolment.objects.exists()


def test_the_spreadsheet_a_village_imported_is_also_its_enrolment_list(operator_a):
    """'From an imported list': the OpenSID export just loaded into the registry enrols the same people."""
    from jamsosdesa.funding.lists import read_niks
    from jamsosdesa.funding.services import SchemeData, scheme_create
    from jamsosdesa.imports.engine import ImportOptions, participants_import
    from tests.imports.test_import_opensid import opensid_file

    participants_import(actor=operator_a, source=opensid_file(), options=ImportOptions(desa=DESA_A, dry_run=False))
    village = scheme_create(actor=operator_a, data=SchemeData(
        name="Perdes Krajan", payer_type="apbdes", apbdes_source="dana_desa", owner_code=DESA_A,
        legal_basis_number="Perdes 3/2026", legal_basis_date=date(2026, 1, 5), start_month=month(0),
        end_month=month(11), budget_ceiling=50_000_000))
    niks = read_niks(opensid_file())
    assert "3311110404800001" not in niks  # the row after OpenSID's ### end marker is not data
    batch = enrolment_batch_run(actor=operator_a, scheme=village,
                                selection=EnrolmentSelection(niks=niks, start_month=month(0)))
    assert batch.enrolled == 4
    assert reasons(batch) == {"0": "not_nik", "3311110303500001": "not_registered"}  # no NIK yet; died
