"""Reporting an event (issue 15 item 1, part C2): the claim's number, status from the eligibility on the event day,
the heirs copied in their order, the JKK reporting limits, and every bad input of the issue with its message."""

from datetime import timedelta

import pytest

from jamsosdesa.claims import services
from jamsosdesa.claims.models import Claim, ClaimStatus
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.claims.file_world import (  # noqa: F401 (fresh_param_cache: a fixture)
    CHILD_NIK,
    SPOUSE_NIK,
    branch_officer,
    day,
    fresh_param_cache,
    in_arrears,
    lapsed,
    lenient_policy,
    month,
    protected,
    report,
)

pytestmark = pytest.mark.django_db


def test_a_protected_workers_death_is_filed_with_its_number_heirs_in_order_and_an_audit_row(operator_a):
    person = protected()
    claim = report(operator_a, person, "jkm", event_place="Sawah Krajan", description="Jatuh sakit")
    assert claim.status == ClaimStatus.REPORTED
    assert claim.number == f"KLM-3311-{clock.today().year}-00001"
    assert claim.eligibility["eligible"] is True and claim.eligibility["reason"].startswith("aktif")
    heirs = list(claim.heirs.order_by("rank", "id").values_list("nik", "relation", "rank", "receives"))
    assert heirs == [(SPOUSE_NIK, "spouse", 1, True), (CHILD_NIK, "child", 1, True)]  # the parent has no NIK
    event = AuditEvent.objects.get(event_type="claim.reported", object_id=str(claim.pk))
    assert event.actor_name == operator_a.username and event.new["number"] == claim.number
    assert [h["nik"] for h in event.new["heirs"]] == [SPOUSE_NIK, CHILD_NIK]
    second = report(operator_a, protected(heirs=False), "jkk_temporary", event_date=clock.today())
    assert second.number.endswith("-00002")


def test_an_event_date_in_the_future_is_refused_naming_the_field(operator_a):
    person = protected()
    with pytest.raises(ServiceError) as exc:
        report(operator_a, person, "jkm", event_date=clock.today() + timedelta(days=1))
    assert "event_date" in exc.value.fields and "belum tiba" in exc.value.message
    assert not Claim.objects.exists()


def test_an_event_date_before_registration_is_refused(operator_a):
    person = protected()  # first billed month(-3): registered from then
    with pytest.raises(ServiceError) as exc:
        report(operator_a, person, "jkm", event_date=month(-3) - timedelta(days=1))
    assert "event_date" in exc.value.fields and "sebelum peserta terdaftar" in exc.value.message
    assert not Claim.objects.exists()


def test_an_unknown_kind_is_refused(operator_a):
    with pytest.raises(ServiceError) as exc:
        report(operator_a, protected(), "jkp")
    assert "kind" in exc.value.fields


def test_a_person_not_protected_that_day_is_recorded_rejected_with_the_reason(operator_a):
    person = lapsed()
    claim = report(operator_a, person, "jkm")
    assert claim.status == ClaimStatus.REJECTED and claim.rejection_code == "not_protected"
    assert claim.rejection_note == claim.eligibility["reason"] and "tidak aktif" in claim.rejection_note
    assert claim.decided_by is None and claim.decided_at is not None
    assert "DITOLAK" in services.report_message(claim) and claim.rejection_note in services.report_message(claim)
    rejected = AuditEvent.objects.get(event_type="claim.rejected", object_id=str(claim.pk))
    assert rejected.actor_id is None and rejected.new["rejection_code"] == "not_protected"


def test_under_the_lenient_policy_arrears_hold_the_claim_with_the_amount(operator_a):
    lenient_policy()
    person = in_arrears()
    claim = report(operator_a, person, "jkm", event_date=day(-1, 20))
    assert claim.status == ClaimStatus.HELD
    assert claim.eligibility["held"] is True and claim.eligibility["arrears"] > 0 and claim.eligibility["pay_by"]
    assert "DITAHAN" in services.report_message(claim)
    assert AuditEvent.objects.filter(event_type="claim.held", object_id=str(claim.pk)).exists()


def test_the_same_arrears_under_the_strict_policy_are_refused(operator_a):
    claim = report(operator_a, in_arrears(), "jkm", event_date=day(-1, 20))
    assert claim.status == ClaimStatus.REJECTED and claim.rejection_code == "not_protected"


def test_a_second_claim_for_the_same_death_is_refused(operator_a):
    branch = branch_officer()
    person = protected()
    first = report(operator_a, person, "jkm")
    with pytest.raises(ServiceError) as exc:
        report(branch, person, "jkk_death", event_date=day(-1, 11))
    assert first.number in exc.value.message and "satu kematian" in exc.value.message
    assert Claim.objects.count() == 1


def test_the_same_kind_on_the_same_day_is_refused(operator_a):
    person = protected(heirs=False)
    report(operator_a, person, "jkk_temporary", event_date=clock.today())
    with pytest.raises(ServiceError) as exc:
        report(operator_a, person, "jkk_temporary", event_date=clock.today())
    assert "event_date" in exc.value.fields


def test_permanent_total_disability_is_claimed_once_even_for_another_accident(operator_a):
    """Paid once in a person's life: a second report on another day is refused naming the first claim, and the
    database refuses it too (a race between two reports)."""
    from django.db import IntegrityError, transaction

    person = protected(heirs=False)
    first = report(operator_a, person, "jkk_disability_total", event_date=clock.today())
    with pytest.raises(ServiceError) as exc:
        report(operator_a, person, "jkk_disability_total", event_date=clock.today() - timedelta(days=3))
    assert first.number in exc.value.message and list(exc.value.fields) == ["kind"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(number="KLM-RACE-1", participant=person, kab_code=first.kab_code,
                             desa_code=first.desa_code, kind="jkk_disability_total",
                             event_date=clock.today() - timedelta(days=3), reported_by=operator_a)
    assert Claim.objects.count() == 1


def test_a_rejected_death_claim_does_not_block_a_later_report(operator_a):
    person = lapsed()
    assert report(operator_a, person, "jkm").status == ClaimStatus.REJECTED
    assert report(operator_a, person, "jkm").status == ClaimStatus.REJECTED  # not live: may be reported again


def test_a_report_racing_past_the_check_meets_the_database_constraint(operator_a, monkeypatch):
    """Two reports of one death at the same moment: the second passes the check before the first is saved, and the
    database's constraint refuses it with the same clear message."""
    person = protected()
    first = report(operator_a, person, "jkm")
    real, calls = services._check_duplicate, []

    def late_check(*args):
        calls.append(1)
        if len(calls) > 1:  # after the insert failed: the real check names the winner
            real(*args)

    monkeypatch.setattr(services, "_check_duplicate", late_check)
    with pytest.raises(ServiceError) as exc:
        report(operator_a, person, "jkk_death", event_date=day(-1, 12))
    assert first.number in exc.value.message and len(calls) == 2
    assert Claim.objects.count() == 1


def test_a_work_accident_reported_after_two_days_is_flagged_late(operator_a):
    person = protected(heirs=False)
    on_time = report(operator_a, person, "jkk_temporary", event_date=clock.today() - timedelta(days=1))
    assert on_time.report_late is False
    late = report(operator_a, person, "jkk_temporary", event_date=clock.today() - timedelta(days=3))
    assert late.report_late is True and "TERLAMBAT" in services.report_message(late)
    assert "48 jam" in services.report_message(late)


def test_a_work_accident_after_the_two_year_limit_is_refused(operator_a):
    person = worker_for_years()
    with pytest.raises(ServiceError) as exc:
        report(operator_a, person, "jkk_disability_total", event_date=month(-25))
    assert "gugur" in exc.value.message and "event_date" in exc.value.fields
    assert report(operator_a, person, "jkk_disability_total", event_date=month(-23)).report_late is True


def worker_for_years():
    from tests.claims.file_world import worker

    return worker(paid=[month(n) for n in range(-26, 1)])


def test_the_reporting_limit_is_the_parameter_in_force(operator_a, admin_user):
    from jamsosdesa.claims.parameters import set_parameter

    set_parameter(admin_user, "jkk_report_limit_hours", 24 * 5, month(-12), "uji")
    person = protected(heirs=False)
    assert report(operator_a, person, "jkk_temporary", event_date=clock.today() - timedelta(days=3)).report_late \
        is False


def test_a_participant_outside_the_reporters_area_is_not_found(operator_b):
    person = protected()
    with pytest.raises(ServiceError) as exc:
        report(operator_b, person, "jkm")
    assert exc.value.code == "not_found" and not Claim.objects.exists()
