from ninja import Router, Schema
from ninja.errors import HttpError

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.regioncodes import Level

from .selectors import region_ancestors, region_children, region_get, region_search, user_area

router = Router()


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str = ""
    is_historical: bool = False
    path: str = ""
    label: str = ""
    in_area: bool = True  # search: whether it overlaps the caller's regions (those come first)


class RegionDetail(RegionOut):
    ancestors: list[RegionOut]
    children_count: int


@router.get("", **answers({200: list[RegionOut]}, E.HTTP_ERROR), summary="Cari wilayah atau daftar anak wilayah")
def regions_list(request, q: str = "", parent: str = "", level: int | None = None, limit: int = 20):
    """With `q`: regions whose name contains it (each with its kecamatan/kabupaten path), those overlapping the
    caller's regions first, each saying whether it does (`in_area`). Otherwise: the children of `parent`
    (provinces when empty)."""
    if level is not None and level not in Level.values:
        raise HttpError(422, "level harus 1-4")
    limit = max(1, min(limit, 100))
    if q:
        return region_search(q, level=Level(level) if level else None, limit=limit, area=user_area(request.user))
    return [{"code": r.code, "name": r.name, "level": r.level, "kind": r.kind} for r in region_children(parent or None)]


@router.get("/{code}", **answers({200: RegionDetail}, E.NOT_FOUND), summary="Satu wilayah dengan induknya")
def regions_get(request, code: str):
    region = region_get(code)
    if region is None:
        from django.http import Http404

        raise Http404
    return {
        "code": region.code, "name": region.name, "level": region.level, "kind": region.kind,
        "is_historical": region.is_historical, "ancestors": region_ancestors(code)[:-1],
        "children_count": region.children.count(),
    }
