from django import template

register = template.Library()


@register.filter
def changes(event) -> list[tuple[str, object, object]]:
    """(field, old, new) for an audit event's recorded values."""
    old, new = event.old or {}, event.new or {}
    return [(key, old.get(key), value) for key, value in new.items()]
