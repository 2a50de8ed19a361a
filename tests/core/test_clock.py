from datetime import UTC, date, datetime

import time_machine

from jamsosdesa.core import clock


def test_today_is_the_date_in_jakarta_not_in_utc():
    # 17:30 UTC on New Year's Eve is 00:30 WIB on 1 January: a village's new month has begun.
    with time_machine.travel(datetime(2026, 12, 31, 17, 30, tzinfo=UTC), tick=False):
        assert clock.today() == date(2027, 1, 1)
        assert clock.this_month() == date(2027, 1, 1)
        assert clock.now() == datetime(2026, 12, 31, 17, 30, tzinfo=UTC)


def test_this_month_is_the_first_of_the_current_month_on_a_leap_day():
    with time_machine.travel(datetime(2028, 2, 29, 3, 0, tzinfo=UTC), tick=False):
        assert clock.today() == date(2028, 2, 29)
        assert clock.this_month() == date(2028, 2, 1)
