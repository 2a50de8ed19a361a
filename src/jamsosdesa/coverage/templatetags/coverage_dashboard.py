"""Filters of the coverage dashboard's templates: the same number formats as its charts and exports."""

from django import template

from jamsosdesa.coverage.dashboard import count_text, percent_text, units_text

register = template.Library()


@register.filter
def pct(x) -> str:
    """{{ 43.2|pct }} -> 43,2 % ('-' for none)."""
    return percent_text(x)


@register.filter
def units(x) -> str:
    """{{ 1234.5|units }} -> 1.234,5 ('-' for none)."""
    return units_text(x)


@register.filter
def num(n) -> str:
    """{{ 12800|num }} -> 12.800 ('-' for none)."""
    return count_text(n)


@register.filter
def isodate(text):
    """'2026-12-03' -> a date, for the date filter ('' stays '')."""
    from datetime import date

    try:
        return date.fromisoformat(text) if text else ""
    except (TypeError, ValueError):
        return text
