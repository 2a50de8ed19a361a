"""Month arithmetic: a month is the date of its first day (`date(2026, 11, 1)` is November 2026).

Every package counts, steps and reads months with these functions, so a year end, a leap year or a
month written as '11/2026' is handled in one place.
"""

from __future__ import annotations

from datetime import date


def parse_month(text: str) -> date:
    """'2026-11' or '11/2026' -> date(2026, 11, 1); ValueError otherwise."""
    text = text.strip()
    if "/" in text:
        month, year = text.split("/", 1)
    else:
        year, month = text.split("-", 1)[:2]
    return date(int(year), int(month), 1)


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
