"""Claims past the service standard: complete, unpaid, more working days than the standard allows, a public holiday
(from the holidays library, next year so the test never ages) not counted; held and paid claims not listed; the
page, the API and the CLI show the same rows, scoped."""

import json
from datetime import datetime, time, timedelta
from io import StringIO

import holidays
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from jamsosdesa.claims import worklist
from jamsosdesa.claims.clock import add_working_days, due_on
from jamsosdesa.claims.models import ClaimStatus
from jamsosdesa.core import clock
from tests.conftest import api_client

from .decision_world import claim, officers

pytestmark = pytest.mark.django_db


def _midweek_holiday():
    days = holidays.Indonesia(years=clock.today().year + 1)
    for day in sorted(days):
        if day.weekday() in (1, 2, 3) and all(day + timedelta(days=i) not in days for i in (-1, 1, 2, 3, 4, 5, 6)):
            return day
    pytest.fail("no midweek holiday next year")


def _next_weekday(day):
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_overdue_counts_working_days_across_a_holiday(admin_user):
    holiday = _midweek_holiday()
    before = holiday - timedelta(days=1)
    c = claim(admin_user)
    c.complete_at = timezone.make_aware(datetime.combine(before, time(10)))
    c.save()
    naive_due = before
    for _i in range(3):  # three weekdays later, as if the holiday were worked
        naive_due = _next_weekday(naive_due)
    due = due_on(c.complete_at)
    assert due == add_working_days(before, 3) == _next_weekday(naive_due)  # the holiday moves the due day
    assert worklist.overdue(admin_user, today=_next_weekday(naive_due)) == []  # would be late without the holiday
    late_day = _next_weekday(due)
    [row] = worklist.overdue(admin_user, today=late_day)
    assert (row.claim, row.due_on, row.working_days, row.late_by) == (c, due, 4, 1)


def test_held_paid_and_incomplete_claims_are_not_overdue(admin_user):
    one, _two, far = officers()
    old = clock.now() - timedelta(days=30)
    late = claim(admin_user)
    for status in (ClaimStatus.HELD, ClaimStatus.PAID, ClaimStatus.REJECTED):
        claim(admin_user, status=status)
    claim(admin_user, complete_days_ago=None)
    from jamsosdesa.claims.models import Claim

    Claim.objects.exclude(complete_at=None).update(complete_at=old)
    assert [r.claim for r in worklist.overdue(one)] == [late]
    assert worklist.overdue(far) == []  # another kabupaten sees none

    call = api_client(one)
    answer = call("get", "/claims/overdue")
    assert answer.status_code == 200 and [r["number"] for r in answer.json()] == [late.number]
    assert api_client(far)("get", "/claims/overdue").json() == []
    out = StringIO()
    call_command("claim", "overdue", "--user", one.username, "--json", stdout=out)
    assert [r["number"] for r in json.loads(out.getvalue())] == [late.number]

    browser = Client()
    browser.force_login(one)
    page = browser.get("/klaim/terlambat/")
    assert page.status_code == 200 and late.number in page.content.decode()
    browser.force_login(far)
    assert late.number not in browser.get("/klaim/terlambat/").content.decode()
