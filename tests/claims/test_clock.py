"""The claims service clock: working days skip weekends, Indonesia's public holidays (from the holidays library,
for next year so the test never ages) and the configured extra days off."""

from datetime import timedelta

import holidays
import pytest

from jamsosdesa.claims import clock as claims_clock
from jamsosdesa.core import clock


def _midweek_holiday():
    """A public holiday of next year on a Tuesday, Wednesday or Thursday with working days either side."""
    year = clock.today().year + 1
    days = holidays.Indonesia(years=year)
    for day in sorted(days):
        if day.weekday() in (1, 2, 3) and day - timedelta(days=1) not in days and day + timedelta(days=1) not in days:
            return day, days[day]
    pytest.fail(f"no midweek holiday in {year}")


def _quiet_friday():
    """A Friday of next year with no holiday from it to the Tuesday after."""
    days = holidays.Indonesia(years=clock.today().year + 1)
    day = clock.today().replace(month=1, day=1) + timedelta(days=366)
    while day.weekday() != 4 or any(day + timedelta(days=i) in days for i in range(5)):
        day += timedelta(days=1)
    return day


def test_a_public_holiday_is_not_a_working_day():
    holiday, name = _midweek_holiday()
    assert not claims_clock.is_working_day(holiday)
    assert claims_clock.holiday_name(holiday) == name
    # the day before, the holiday, the day after: only the day after counts
    assert claims_clock.working_days(holiday - timedelta(days=1), holiday + timedelta(days=1)) == 1
    assert claims_clock.add_working_days(holiday - timedelta(days=1), 1) == holiday + timedelta(days=1)


def test_weekends_are_not_working_days():
    friday = _quiet_friday()
    assert claims_clock.working_days(friday, friday + timedelta(days=3)) == 1  # Monday
    assert claims_clock.working_days(friday, friday + timedelta(days=4)) == 2
    assert claims_clock.add_working_days(friday, 3) == friday + timedelta(days=5)  # Mon, Tue, Wed
    assert claims_clock.working_days(friday, friday) == 0
    assert claims_clock.working_days(friday + timedelta(days=4), friday) == 0


def test_extra_days_off_from_settings(settings):
    friday = _quiet_friday()
    monday = friday + timedelta(days=3)
    assert claims_clock.working_days(friday, monday) == 1
    settings.CLAIMS_EXTRA_DAYS_OFF = [monday.isoformat()]  # cuti bersama
    assert claims_clock.working_days(friday, monday) == 0
    assert claims_clock.add_working_days(friday, 1) == monday + timedelta(days=1)
