"""Targets per region and year: who sets which, the history of each, and the bad input each refused with a message."""

from datetime import date, timedelta

import pytest

from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.coverage.models import Target
from jamsosdesa.coverage.targets import TargetRequest, target_history, target_list, target_set

from .region_fixtures import DESA_A, DESA_B, DESA_C, this_year

pytestmark = pytest.mark.django_db


def ask(region=DESA_A, year=None, count=1000, **more) -> TargetRequest:
    return TargetRequest(region=region, year=this_year() if year is None else year, count=count, **more)


def test_a_village_operator_sets_its_desa_target_and_changes_it_with_history(operator_a):
    target, changed = target_set(actor=operator_a, request=ask(count=1000))
    assert changed and target.due_date == date(this_year(), 12, 31) and target.set_by == operator_a
    again, changed = target_set(actor=operator_a, request=ask(count=1000))
    assert not changed and again.pk == target.pk  # the same figure again is no change, and no event
    target_set(actor=operator_a, request=ask(count=1200, note="Musdes"))
    history = target_history(target)
    assert [(h["actor"], (h["old"] or {}).get("count"), h["new"]["count"]) for h in history] == [
        ("op_a", None, 1000), ("op_a", 1000, 1200)]
    assert Target.objects.get().count == 1200
    event = AuditEvent.objects.filter(event_type=AuditEventType.TARGET_SET).first()  # the newest
    assert event.region_code == DESA_A and event.new["note"] == "Musdes"


def test_a_district_official_sets_its_kabupaten_and_its_desa_targets_but_not_the_province(official):
    target_set(actor=official, request=ask(region="33.11", count=6400))
    target_set(actor=official, request=ask(region="33.11.11", count=900))
    target_set(actor=official, request=ask(region=DESA_B, count=300))
    with pytest.raises(ServiceError) as refused:  # the province above it: seen, not set
        target_set(actor=official, request=ask(region="33", count=1))
    assert refused.value.code == ErrorCode.FORBIDDEN
    assert Target.objects.count() == 3


def test_a_national_admin_sets_the_nation_and_a_province(admin_user):
    nation, _ = target_set(actor=admin_user, request=ask(region="ID", count=70_000_000))
    target_set(actor=admin_user, request=ask(region="33", count=5_000_000))
    assert nation.region_code == "" and Target.objects.count() == 2


def test_targets_per_segment_or_village_role_are_separate_figures(operator_a):
    target_set(actor=operator_a, request=ask(count=1000))
    target_set(actor=operator_a, request=ask(count=300, segment="bpu"))
    target_set(actor=operator_a, request=ask(count=40, village_role="rt_head"))
    assert sorted(Target.objects.values_list("segment", "village_role", "count")) == [
        ("", "", 1000), ("", "rt_head", 40), ("BPU", "", 300)]
    with pytest.raises(ServiceError, match="tidak keduanya"):
        target_set(actor=operator_a, request=ask(segment="BPU", village_role="rt_head"))


def test_it_rejects_a_region_that_does_not_exist(admin_user):
    with pytest.raises(ServiceError) as refused:
        target_set(actor=admin_user, request=ask(region="33.99.99.9999"))
    assert refused.value.code == ErrorCode.INVALID and "tidak ada" in refused.value.fields["region"][0]
    assert not Target.objects.exists()


def test_it_rejects_a_code_retired_by_a_split(admin_user):
    with pytest.raises(ServiceError) as refused:
        target_set(actor=admin_user, request=ask(region="91.01"))  # Merauke's code before Papua Selatan
    assert refused.value.code == ErrorCode.INVALID and "tidak berlaku" in refused.value.fields["region"][0]


def test_it_rejects_a_past_period(operator_a):
    with pytest.raises(ServiceError) as refused:
        target_set(actor=operator_a, request=ask(year=this_year() - 1))
    assert refused.value.code == ErrorCode.BAD_PERIOD and "sudah lewat" in refused.value.message
    assert not Target.objects.exists()


def test_it_rejects_a_due_date_already_past_or_outside_the_year(operator_a):
    with pytest.raises(ServiceError) as refused:
        target_set(actor=operator_a, request=ask(due_date=date(this_year() + 1, 1, 31)))
    assert refused.value.code == ErrorCode.INVALID and "due_date" in refused.value.fields
    yesterday = clock.today() - timedelta(days=1)  # this year's, except on 1 January
    with pytest.raises(ServiceError) as refused:
        target_set(actor=operator_a, request=ask(year=yesterday.year, due_date=yesterday))
    assert refused.value.code == ErrorCode.BAD_PERIOD and "due_date" in refused.value.fields
    assert not Target.objects.exists()


def test_it_rejects_a_negative_count(operator_a):
    with pytest.raises(ServiceError) as refused:
        target_set(actor=operator_a, request=ask(count=-5))
    assert refused.value.code == ErrorCode.INVALID and "negatif" in refused.value.fields["count"][0]
    assert not Target.objects.exists()


def test_a_region_outside_the_users_area_does_not_exist_for_them(operator_b, official_gianyar, operator_a):
    for actor, region in ((operator_b, DESA_A), (official_gianyar, DESA_A), (operator_a, DESA_C)):
        with pytest.raises(ServiceError) as refused:
            target_set(actor=actor, request=ask(region=region))
        assert refused.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(ServiceError) as refused:  # nor does it list them
        target_list(user=operator_b, region=DESA_A)
    assert refused.value.code == ErrorCode.NOT_FOUND


def test_a_village_operator_sees_the_targets_above_it_and_not_its_neighbours(operator_a, official, admin_user):
    target_set(actor=admin_user, request=ask(region="ID", count=70_000_000))
    target_set(actor=official, request=ask(region="33.11", count=6400))
    target_set(actor=official, request=ask(region=DESA_B, count=300))
    target_set(actor=operator_a, request=ask(region=DESA_A, count=1000))
    seen = sorted(t.region_code for t in target_list(user=operator_a))
    assert seen == ["", "33.11", DESA_A]
    assert sorted(t.region_code for t in target_list(user=official)) == ["", "33.11", DESA_B, DESA_A]  # B is 2001


def test_branch_officers_read_targets_but_do_not_set_them(branch):
    with pytest.raises(ServiceError) as refused:
        target_set(actor=branch, request=ask(region="33.11"))
    assert refused.value.code == ErrorCode.FORBIDDEN
    assert list(target_list(user=branch, region="33.11")) == []
