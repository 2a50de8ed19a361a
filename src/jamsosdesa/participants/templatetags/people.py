"""Template filters that turn a participant's stored codes into words (participants.labels): {% load people %}."""

from django import template

from jamsosdesa.participants import labels

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """{{ "rt_head"|role_label }} -> Ketua RT"""
    return labels.role_label(code) if code else ""


@register.filter
def roles_text(codes) -> str:
    """{{ scheme.village_roles|roles_text }} -> Ketua RT, Ketua RW"""
    return labels.roles_text(codes or [])


@register.filter
def sex_label(code: str) -> str:
    """{{ "P"|sex_label }} -> Perempuan"""
    return labels.value_text("sex", code)


@register.filter
def income(amount) -> str:
    """{{ 0|income }} -> — ; {{ 1000000|income }} -> Rp1.000.000"""
    return labels.income_text(amount)
