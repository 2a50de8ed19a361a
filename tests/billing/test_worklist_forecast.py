"""The lapse forecast (issue 12 item 5): whose paying scheme ends within 30/60/90 days with nothing to follow.

The service takes "today" as an argument; these tests put it on the 15th of this month (month(0) + 14 days), so a
scheme ending this month ends in ~16 days, next month in ~46, the month after in ~76, whatever the suite's day."""

from datetime import timedelta

import pytest

from jamsosdesa.billing.worklists import forecast_months, lapse_forecast, present
from jamsosdesa.core.roles import Role
from tests.conftest import DESA_A, DESA_B, DESA_C, make_user

from .conftest import enrol, month, package, people

pytestmark = pytest.mark.django_db


def mid_month():
    return month(0) + timedelta(days=14)


def listed(region, days, **kwargs):
    return [r["participant_id"] for r in lapse_forecast(region, days, mid_month(), **kwargs)]


@pytest.fixture
def ending(make_scheme):
    """Three workers of desa A whose scheme ends this month, next month and the month after, one in four months."""
    scheme = make_scheme(end_month=month(5))
    workers = people(4, DESA_A)
    for offset, worker in zip((0, 1, 2, 4), workers, strict=True):
        enrol(scheme, [worker], start=month(0), end=month(offset))
    return scheme, workers


def test_each_window_lists_whose_scheme_ends_within_it(ending):
    _scheme, (now, next_, later, far) = ending
    assert listed("33.11", 30) == [now.pk]
    assert listed("33.11", 60) == [now.pk, next_.pk]
    assert listed("33.11", 90) == [now.pk, next_.pk, later.pk]
    assert far.pk not in listed("33.11", 90)


def test_the_window_counts_from_today_to_the_last_covered_day():
    # On the last day of a month, a scheme ending next month has its last day within 30 days only if that month
    # is short; the range of end months follows the calendar, not a fixed count of months.
    first, last = forecast_months(30, month(0))  # the 1st: the scheme ending this month ends within 30 days
    assert first == month(0) and last == month(0)
    first, last = forecast_months(90, mid_month())
    assert (first, last) == (month(0), month(2))
    with pytest.raises(ValueError):
        forecast_months(45, mid_month())


def test_someone_with_an_own_package_from_the_month_after_is_not_listed(ending):
    _scheme, (now, *_rest) = ending
    package(now, first=month(1))
    assert now.pk not in listed("33.11", 30)


def test_a_package_that_starts_later_still_leaves_a_gap(ending):
    _scheme, (now, *_rest) = ending
    package(now, first=month(3))
    assert now.pk in listed("33.11", 30)


def test_a_package_ended_before_the_month_after_does_not_count(ending):
    _scheme, (now, *_rest) = ending
    package(now, first=month(-3), last=month(0))
    assert now.pk in listed("33.11", 30)


def test_another_enrolment_covering_the_month_after_takes_the_person_off(ending, make_scheme):
    _scheme, (now, next_, *_rest) = ending
    other = make_scheme(name="Skema Lanjutan", start_month=month(1), end_month=month(6))
    enrol(other, [now], start=month(1), end=month(6))
    assert listed("33.11", 60) == [next_.pk]


def test_an_enrolment_ended_early_or_a_deactivated_person_is_not_reminded(ending):
    _scheme, (now, next_, *_rest) = ending
    from jamsosdesa.core import clock
    from jamsosdesa.funding.models import Enrolment

    Enrolment.objects.filter(participant=now).update(ended_at=clock.now(), end_reason="died")
    next_.is_active = False
    next_.save(update_fields=["is_active"])
    assert listed("33.11", 60) == []


def test_the_region_narrows_to_a_kecamatan_or_desa_and_a_typo_lists_nobody(ending, make_scheme):
    _scheme, (now, *_rest) = ending
    b = people(1, DESA_B)[0]
    enrol(ending[0], [b], start=month(0), end=month(0))
    assert set(listed("33.11.11", 30)) == {now.pk, b.pk}
    assert listed(DESA_B, 30) == [b.pk]
    assert set(listed("33", 30)) == {now.pk, b.pk}
    assert listed("33.1", 30) == [] and listed("", 30) == [] and listed(DESA_C, 30) == []


def test_a_user_sees_only_the_people_of_its_area(ending, operator_a, operator_b, branch_gianyar):
    _scheme, (now, *_rest) = ending
    assert listed("33.11", 30, user=operator_a) == [now.pk]
    assert listed("33.11", 30, user=operator_b) == []
    assert listed("33.11", 30, user=branch_gianyar) == []


def test_each_row_carries_a_masked_nik_a_reminder_and_a_whatsapp_link(ending, operator_a):
    _scheme, (now, next_, *_rest) = ending
    now.phone = "0812-3456-7890"
    now.save(update_fields=["phone"])
    rows = present(lapse_forecast("33.11", 60, mid_month(), user=operator_a), user=operator_a, kind="forecast")
    first = rows[0]
    assert first.nik == now.nik[:4] + "••••••••" + now.nik[12:]
    assert first.desa_name == "Krajan" and first.scheme_name == "Satu Desa 100 Pekerja Rentan"
    assert first.last_month == month(0) and first.next_month == month(1)
    assert now.full_name in first.reminder and "iuran mandiri" in first.reminder
    assert first.whatsapp.startswith("https://wa.me/6281234567890?text=Yth.%20")
    assert rows[1].participant_id == next_.pk and rows[1].whatsapp == ""  # no phone, no link


def test_the_agent_of_a_row_is_the_package_collector_or_the_registering_agent(ending, agent):
    _scheme, (now, next_, *_rest) = ending
    package(now, first=month(-6), last=month(-1), agent=agent)
    next_.registered_by = agent
    next_.save(update_fields=["registered_by"])
    make_user("agen_lain", Role.PERISAI_AGENT, [DESA_A])  # another agent of the desa: not theirs
    rows = {r["participant_id"]: r["agent_id"] for r in lapse_forecast("33.11", 60, mid_month())}
    assert rows == {now.pk: agent.pk, next_.pk: agent.pk}
