"""Load the packaged Kemendagri region list (idempotent upsert)."""

import csv
import gzip
import io
from collections.abc import Callable, Iterator
from importlib import resources

from django.db import connection, transaction

from .models import LEVEL_BY_NAME, Region

DATA = resources.files("jamsosdesa.regions") / "data"


def _current_rows() -> Iterator[dict]:
    with DATA.joinpath("wilayah.csv.gz").open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        yield from csv.DictReader(text)


def _historical_rows() -> Iterator[dict]:
    with DATA.joinpath("wilayah_historical_codes.csv").open("rb") as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))


def iter_regions(prefixes: tuple[str, ...] | None = None) -> Iterator[Region]:
    """Every region as an unsaved model, parents before children. `prefixes` limits the set
    (with the ancestors of each prefix), which tests use to stay small."""

    def wanted(code: str) -> bool:
        if not prefixes:
            return True
        return any(code.startswith(p) or p.startswith(code) for p in prefixes)

    for row in _current_rows():
        if not wanted(row["code"]):
            continue
        yield Region(
            code=row["code"], level=LEVEL_BY_NAME[row["level"]], name=row["name"],
            search_name=row["name"].upper(), parent_id=row["parent_code"] or None,
            kind=row["desa_type"] or row["kabkota_type"] or "", is_historical=False,
        )
    for row in _historical_rows():
        if not wanted(row["code"]):
            continue
        code = row["code"]
        parent = code.rsplit(".", 1)[0] if "." in code else None
        yield Region(
            code=code, level=LEVEL_BY_NAME[row["level"]], name=row["last_name"],
            search_name=row["last_name"].upper(), parent_id=parent, kind="", is_historical=True,
        )


def regions_load(*, prefixes: tuple[str, ...] | None = None, batch_size: int = 5000,
                 progress: Callable[[int], None] | None = None) -> int:
    """Insert or update all regions in one transaction; running it again changes nothing."""
    regions = list(iter_regions(prefixes))
    current = {r.code for r in regions if not r.is_historical}
    # A retired code's parent may itself be retired or current; drop links to unknown parents.
    known = {r.code for r in regions}
    for region in regions:
        if region.parent_id and region.parent_id not in known:
            region.parent_id = None
    # Historical rows never overwrite a current region with the same code.
    regions = [r for r in regions if not (r.is_historical and r.code in current)]
    regions.sort(key=lambda r: (r.level, r.code))
    with transaction.atomic():
        for start in range(0, len(regions), batch_size):
            batch = regions[start:start + batch_size]
            Region.objects.bulk_create(
                batch, update_conflicts=True, unique_fields=["code"],
                update_fields=["level", "name", "search_name", "parent", "kind", "is_historical"],
            )
            if progress:
                progress(len(batch))
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner knows the tree's size before autovacuum gets to it.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE regions_region")
    return len(regions)
