"""Reads over the region tree."""

from functools import lru_cache

from django.db.models import Q, QuerySet

from jamsosdesa.core.access import sees_everything, user_region_codes
from jamsosdesa.core.regioncodes import MAX_CODE_LENGTH, Level, ancestor_codes, code_within, is_desa_code
from jamsosdesa.core.text import strip_bad_chars

from .models import Region


def region_get(code: str) -> Region | None:
    return Region.objects.filter(code=strip_bad_chars(code)[:MAX_CODE_LENGTH]).first()


def region_names(codes) -> dict[str, str]:
    """{code: name} for the codes a page is about to show, in one query (a page names places, not codes)."""
    wanted = {c for c in codes if c}
    return dict(Region.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}


def region_children(code: str | None) -> QuerySet[Region]:
    """Children of a region; provinces when `code` is empty. Current regions only."""
    qs = Region.objects.filter(is_historical=False)
    return qs.filter(parent_id=strip_bad_chars(code)[:MAX_CODE_LENGTH]) if code else qs.filter(level=Level.PROVINSI)


def region_ancestors(code: str) -> list[Region]:
    """The region's ancestors from the province down, the region itself included."""
    codes = ancestor_codes(code, including_self=True)
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def region_desa_under(code: str) -> QuerySet[Region]:
    """Every desa/kelurahan under a region, by code prefix (indexed)."""
    qs = Region.objects.filter(level=Level.DESA, is_historical=False)
    if not code:
        return qs
    if is_desa_code(code):
        return qs.filter(code=code)
    return qs.filter(code__startswith=code + ".")


def _bare(search_name: str) -> str:
    """'KABUPATEN SUKOHARJO' -> 'SUKOHARJO', so a kabupaten ranks as an exact match for its name."""
    for prefix in ("KABUPATEN ", "KOTA ADMINISTRASI ", "KOTA "):
        if search_name.startswith(prefix):
            return search_name[len(prefix):]
    return search_name


def area_q(area: list[str]) -> Q:
    """Regions overlapping an area: its regions, what lies under them and what lies above them (a filter on a
    kabupaten containing one's desa still shows that desa's people)."""
    q = Q(pk__in=[])
    for code in area:
        q |= Q(code=code) | Q(code__startswith=code + ".") | Q(code__in=ancestor_codes(code))
    return q


def in_area(code: str, area: list[str] | None) -> bool:
    """Whether a region overlaps the area (None: a user who sees everything, so every region)."""
    return area is None or any(code_within(code, mine) or code_within(mine, code) for mine in area)


def user_area(user) -> list[str] | None:
    """The region codes a search is ranked and marked by; None for a user who sees every region."""
    return None if sees_everything(user) else user_region_codes(user)


def region_search(query: str, *, level: Level | None = None, limit: int = 20,
                  area: list[str] | None = None) -> list[dict]:
    """Regions whose name contains `query`, each with the names of its ancestors, so that
    "krajan" tells every Krajan apart by kecamatan and kabupaten.

    With an `area` (a user's region codes), the regions overlapping it come first and every hit says whether it
    does (`in_area`); the area is searched on its own, so one's own desa is found however many others match."""
    query = " ".join(strip_bad_chars(query).split()).upper()[:100]
    if not query:
        return []
    qs = Region.objects.filter(search_name__contains=query, is_historical=False)
    if level:
        qs = qs.filter(level=level)

    def ranked(rows) -> list[Region]:  # exact and prefix matches first, then by level and code
        rows = list(rows.order_by("level", "code")[: limit * 5])
        rows.sort(key=lambda r: (_bare(r.search_name) != query, not _bare(r.search_name).startswith(query),
                                 r.level, r.code))
        return rows

    if area is None:
        hits = ranked(qs)[:limit]
    else:
        mine = area_q(area)
        hits = ranked(qs.filter(mine))[:limit] if area else []
        hits += ranked(qs.exclude(mine) if area else qs)[: limit - len(hits)]
    above = {code for h in hits for code in ancestor_codes(h.code)}
    names = dict(Region.objects.filter(code__in=above).values_list("code", "name"))
    out = []
    for h in hits:
        chain = [names.get(code, "") for code in ancestor_codes(h.code)]
        out.append({"code": h.code, "name": h.name, "level": h.level, "in_area": in_area(h.code, area),
                    "path": ", ".join(reversed([c for c in chain if c])),
                    "label": ", ".join([h.name, *reversed([c for c in chain if c])])})
    return out


@lru_cache(maxsize=1)
def _kecamatan_status() -> dict[str, bool]:
    """NIK prefix (6 digits) -> is_historical, for every kecamatan code ever known. Read from the
    database, or from the packaged list when the database has no regions yet (e.g. `nik check`
    before `regions load`)."""
    from django.db import DatabaseError

    try:
        rows = list(Region.objects.filter(level=Level.KECAMATAN).values_list("code", "is_historical"))
    except DatabaseError:
        rows = []
    if not rows:
        from .loader import iter_regions

        rows = [(r.code, r.is_historical) for r in iter_regions() if r.level == Level.KECAMATAN]
    return {code.replace(".", ""): historical for code, historical in rows}


def kecamatan_status(nik_prefix: str) -> str:
    """'current', 'historical' or 'unknown' for the first six digits of a NIK."""
    status = _kecamatan_status()
    if nik_prefix not in status:
        return "unknown"
    return "historical" if status[nik_prefix] else "current"


def clear_region_caches() -> None:
    _kecamatan_status.cache_clear()
