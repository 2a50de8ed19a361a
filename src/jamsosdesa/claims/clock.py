"""The claims service clock (issue 15 item 6): working days from a complete file to the payment.

A working day is a weekday that is not an Indonesian public holiday. The holidays come from the maintained
`holidays` library (`holidays.Indonesia`: the national days off by SKB, including the moving Islamic, Chinese,
Hindu, Buddhist and Christian days it computes year by year), never from a list in this code. Collective leave
(cuti bersama) is not in the library; settings.CLAIMS_EXTRA_DAYS_OFF (ISO dates) adds such days where a branch
counts them.

`working_days(start, end)` counts the working days after `start` up to and including `end` (a file complete on a
Monday and paid on the Thursday took 3 working days; paid the same day, 0). The service standard (paid within N
working days of a complete file) is a benefit parameter (claims.parameters, PP 44/2015 and BPJS's service
standard), so `due_on(start)` asks for the N in force on the day the file was complete."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

SERVICE_STANDARD_CODE = "service_standard_working_days"


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Indonesia(years=year).keys())


def _extra_days_off() -> frozenset[date]:
    return frozenset(date.fromisoformat(text) for text in settings.CLAIMS_EXTRA_DAYS_OFF)


def holiday_name(day: date) -> str:
    """The public holiday's name on `day` ('' when none)."""
    return holidays.Indonesia(years=day.year).get(day, "") or ""


def is_working_day(day: date, extra: frozenset[date] | None = None) -> bool:
    if day.weekday() >= 5:
        return False
    if day in _public_holidays(day.year):
        return False
    return day not in (_extra_days_off() if extra is None else extra)


def local_date(moment: date | datetime) -> date:
    """A stored moment (aware, UTC inside) as the day it was in Jakarta; a date stays as it is."""
    if isinstance(moment, datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def working_days(start: date | datetime, end: date | datetime) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    start, end = local_date(start), local_date(end)
    extra = _extra_days_off()
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if is_working_day(day, extra):
            count += 1
        day += timedelta(days=1)
    return count


def add_working_days(start: date | datetime, n: int) -> date:
    """The n-th working day after `start` (the start itself when n is 0)."""
    day, extra = local_date(start), _extra_days_off()
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day, extra):
            n -= 1
    return day


def service_standard(on: date) -> int:
    """The working days a complete claim must be paid within, in force on `on` (a benefit parameter)."""
    from .parameters import param

    return param(SERVICE_STANDARD_CODE, on)


def due_on(complete_at: date | datetime) -> date:
    """The last day a claim complete at `complete_at` may be paid within the service standard."""
    start = local_date(complete_at)
    return add_working_days(start, service_standard(start))
