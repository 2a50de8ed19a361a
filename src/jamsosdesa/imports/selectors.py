"""Reads of imports' own data: the saved column mappings a user may use."""

from django.db.models import Q, QuerySet

from jamsosdesa.core.access import sees_everything, user_region_codes
from jamsosdesa.core.regioncodes import ancestor_codes
from jamsosdesa.core.roles import Role

from .models import ColumnMapping, MappingKind


def _overlapping_owners_q(user) -> Q:
    """Owners whose regions overlap the user's: a region of theirs contains one of the user's, or lies inside
    it. Owners who see everything (a national admin) overlap everyone."""
    q = Q(owner__is_superuser=True) | Q(owner__role=Role.NATIONAL_ADMIN)
    for code in user_region_codes(user):
        q |= Q(owner__regions__code__in=ancestor_codes(code, including_self=True))
        q |= Q(owner__regions__code__startswith=code + ".")
    return q


def mappings_visible(user, kind: str = MappingKind.PARTICIPANTS) -> QuerySet[ColumnMapping]:
    """The user's own mappings of a kind of file and the ones shared by users whose regions overlap theirs (all
    shared ones for a user who sees everything), by name."""
    shared = Q(shared=True) if sees_everything(user) else Q(shared=True) & _overlapping_owners_q(user)
    ids = ColumnMapping.objects.filter(Q(owner=user) | shared, kind=kind).values("pk")
    return ColumnMapping.objects.filter(pk__in=ids).select_related("owner").order_by("name", "pk")


def mapping_resolve(user, name: str, kind: str = MappingKind.PARTICIPANTS) -> ColumnMapping | None:
    """The mapping called `name` for this user: their own first, then one shared with them (the oldest)."""
    name = " ".join(name.split())
    own = ColumnMapping.objects.filter(owner=user, kind=kind, name=name).first()
    if own is not None:
        return own
    return mappings_visible(user, kind).filter(name=name).exclude(owner=user).order_by("pk").first()
