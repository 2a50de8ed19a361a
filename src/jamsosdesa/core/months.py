"""Month arithmetic: a month is the date of its first day (`date(2026, 11, 1)` is November 2026).

Every package counts, steps and reads months with these functions, so a year end, a leap year or a
month written as '11/2026' is handled in one place.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The months anyone may write: wide enough for any birth, rate or scheme, narrow enough that a period of a few
# hundred months from any of them stays a valid date (year 0 or 9999 + 1 month is not one).
FIRST_YEAR = 1900
LAST_YEAR = 2199


def month_problem(text: str) -> str:
    return _("Bulan '%(m)s' tidak dikenal: tulis YYYY-MM, mis. 2026-11, dengan tahun %(first)s sampai %(last)s.") % {
        "m": text, "first": FIRST_YEAR, "last": LAST_YEAR}


def parse_month(text: str) -> date:
    """'2026-11' or '11/2026' -> date(2026, 11, 1); ValueError (its message in the user's language) for
    anything else, including a year outside FIRST_YEAR..LAST_YEAR."""
    clean = text.strip()
    try:
        if "/" in clean:
            month, year = clean.split("/", 1)
        else:
            year, month = clean.split("-", 1)
        if not (year.isascii() and year.isdigit() and month.isascii() and month.isdigit()):
            raise ValueError(text)
        value = date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(month_problem(text)) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(month_problem(text))
    return value


def checked_month_text(text: str) -> str:
    """`text` unchanged when parse_month reads it (for a schema's validator); its ValueError otherwise."""
    parse_month(text)
    return text


def validate_month(value: date) -> None:
    """A form field's validator: the month (a form's date field reads years 1 to 9999) is one parse_month accepts."""
    if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(month_problem(f"{value.year:04d}-{value.month:02d}"), code="month_out_of_range")


def months_between(first: date, last: date) -> int:
    """How many months from `first` to `last`, both included (0 or less when last is before first)."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before, when negative) `month`'s month."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def add_years(day: date, count: int) -> date:
    """The same day `count` years later (or earlier); 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + count)
    except ValueError:
        return day.replace(year=day.year + count, day=28)
