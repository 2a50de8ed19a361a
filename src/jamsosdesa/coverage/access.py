"""Who may see and set coverage figures kept per region (targets, denominators): the one scoping function for rows
keyed by a region code, and the one rule for who sets them.

Seeing: a user sees the figures of the regions in their area and of the regions above them (a village operator
sees its kecamatan's, kabupaten's, province's and the nation's target, to know what its desa is part of). A
national admin sees everything. Any other region does not exist for them (404).

Setting: government sets its own targets and the targets of the levels below it; the level above may also set a
region's target. So a village operator sets its desa's figures, a district official its kabupaten's and those of
every kecamatan and desa in it, a national admin anything (the provinces and the nation included: no role works
for a province). BPJS branch officers and PERISAI agents read the figures but do not set them (a target is a
government's commitment; its denominator is the government's count). A region the user sees but may not set (its
kabupaten, for a village operator) answers 403; a region they do not see, 404.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jamsosdesa.core.access import code_in_scope, sees_everything, user_region_codes
from jamsosdesa.core.errors import ErrorCode, NotFound, PermissionDenied, ServiceError
from jamsosdesa.core.regioncodes import MAX_CODE_LENGTH, ancestor_codes, code_within, level_of_code
from jamsosdesa.core.roles import Role
from jamsosdesa.core.text import strip_bad_chars

from .models import NATION

NATION_MARKERS = ("", "ID", "id", "nasional", "NASIONAL")
SETTER_ROLES = (Role.VILLAGE_OPERATOR, Role.DISTRICT_OFFICIAL)


def region_code_text(code: str) -> str:
    """How a stored region code is written where one must be typed: the nation as 'ID'."""
    return code or "ID"


def parse_region(text: str | None, *, field: str = "region") -> str:
    """A region code as typed (the nation as '', 'ID' or 'nasional') -> its stored code, which must name a region
    that exists. ServiceError(INVALID) naming `field` otherwise."""
    from jamsosdesa.regions.models import Region

    clean = strip_bad_chars((text or "").strip())
    if clean in NATION_MARKERS:
        return NATION
    historical = (Region.objects.filter(code=clean[:MAX_CODE_LENGTH]).values_list("is_historical", flat=True).first()
                  if level_of_code(clean) is not None else None)
    if historical is None:
        message = _("Wilayah '%(c)s' tidak ada: tulis kode Kemendagri, mis. 33.11 atau 33.11.11.2004, atau ID untuk "
                    "nasional.") % {"c": clean[:40]}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={field: [message]})
    if historical:  # a code retired by a split (Papua): its figures belong to the regions that replaced it
        message = _("Kode wilayah '%(c)s' sudah tidak berlaku (pemekaran wilayah): pakai kode wilayah yang "
                    "sekarang.") % {"c": clean}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={field: [message]})
    return clean


def _visible_codes(user) -> tuple[list[str], set[str]]:
    """The user's own regions (everything under them is visible too) and the regions above them."""
    mine = user_region_codes(user)
    above = {NATION}
    for code in mine:
        above.update(ancestor_codes(code))
    return mine, above


def can_see_region(user, code: str) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if sees_everything(user):
        return True
    mine, above = _visible_codes(user)
    return code in above or any(code_within(code, m) for m in mine if m)


def can_set_region(user, code: str) -> bool:
    """Set a target or a denominator of this region (see the module's rule)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if sees_everything(user):
        return True
    return user.role in SETTER_ROLES and code != NATION and code_in_scope(user, code)


def check_can_set(user, code: str) -> None:
    """404 for a region the user does not see, 403 for one they see but may not set."""
    if not can_see_region(user, code):
        raise NotFound()
    if not can_set_region(user, code):
        raise PermissionDenied(_("Anda boleh melihat angka wilayah ini tetapi tidak menetapkannya: yang menetapkan "
                                 "adalah pemerintah wilayah itu atau tingkat di atasnya."))


def region_scope_q(user, field: str = "region_code") -> Q | None:
    """A filter on a region-code column matching what the user sees (None: everything)."""
    if not (user and user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if sees_everything(user):
        return None
    mine, above = _visible_codes(user)
    q = Q(**{f"{field}__in": sorted(above | set(mine))})
    for code in mine:
        q |= Q(**{f"{field}__startswith": code + "."})
    return q


def scope_by_region(user, qs: QuerySet) -> QuerySet:
    """The one scoping function for coverage rows keyed by a region code."""
    q = region_scope_q(user)
    return qs if q is None else qs.filter(q)


def region_rows(user, qs: QuerySet, *, region: str | None = None, year: int | None = None) -> QuerySet:
    """Yearly figures keyed by region (targets, denominators) that the user sees: of one region (404 when they do
    not see it, or the code is not a region), or of their whole area; of one year or all."""
    qs = scope_by_region(user, qs)
    if region is not None:
        code = parse_region(region)
        if not can_see_region(user, code):
            raise NotFound()
        qs = qs.filter(region_code=code)
    if year is not None:
        qs = qs.filter(year=year)
    return qs
