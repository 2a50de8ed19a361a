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


@register.inclusion_tag("core/_region_links.html", takes_context=True)
def region_links(context, code, leave_out=""):
    """{% region_links f.region "claims.dashboard" %}: the other packages' views of the region the user may open."""
    from jamsosdesa.core.links import links_for

    request = context.get("request")
    user = getattr(request, "user", None)
    code = "" if (code or "").upper() == "ID" else (code or "")
    return {"links": links_for(user, code, leave_out=leave_out) if user is not None else []}
