"""The one place "today" comes from.

Services, forms, views and commands ask this module for the date and time instead of reading the
system clock themselves, so a test (or `pytest --today=YYYY-MM-DD`) can put the whole program on
another day. Dates are local to the project's time zone (Asia/Jakarta): at 23:30 UTC it is already
the next day in a village in Java.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    """The current moment, aware (UTC inside, like `timezone.now()`)."""
    return timezone.now()


def today() -> date:
    """Today's date in the project's time zone (Asia/Jakarta)."""
    return timezone.localdate(now())


def this_month() -> date:
    """The first day of the current month in the project's time zone."""
    return today().replace(day=1)
