from django import template

from jamsosdesa.core.money import rupiah as _rupiah

register = template.Library()


@register.filter
def changes(event) -> list[tuple[str, object, object]]:
    """(field, old, new) for an audit event's recorded values."""
    old, new = event.old or {}, event.new or {}
    return [(key, old.get(key), value) for key, value in new.items()]


@register.filter
def rupiah(amount) -> str:
    """{{ 16800|rupiah }} -> Rp16.800 (blank for no amount)."""
    return "" if amount in (None, "") else _rupiah(amount)
