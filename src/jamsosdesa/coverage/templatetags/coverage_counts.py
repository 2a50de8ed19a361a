from django import template

from jamsosdesa.core.money import thousands

register = template.Library()


@register.filter
def count(n) -> str:
    """{{ 12800|count }} -> 12.800 (blank for none)."""
    return "" if n in (None, "") else thousands(n)
