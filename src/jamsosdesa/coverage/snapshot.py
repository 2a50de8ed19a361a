"""Coverage snapshots: writing them (`snapshot_refresh`) and reading a region's figures (`snapshot_counts`)
(docs/design/coverage.md §1).

A refresh rewrites one day's rows of each kabupaten asked, in one transaction per kabupaten: one
`INSERT … SELECT … GROUP BY` over the kabupaten's participants (everyone in the registry, as the status lists count
them: someone registered later is `not_started` on an earlier day unless a month was paid for them) joined to their
standing (`billing_standing`: first and last fully paid month) and to who pays the day's month (the month's live
dues of the kabupaten: a scheme's payer type, else `self`, else nobody). The status of each person is
`billing.status.status_case_sql` — the rule every status list uses — so a snapshot's counts equal the participant
list filtered by status for the same day. Reading sums desa rows by code prefix: the desa add up to the nation by
construction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import Q

from jamsosdesa.billing.live import not_reversed_sql
from jamsosdesa.billing.models import ReversalTarget
from jamsosdesa.billing.status import status_case_sql
from jamsosdesa.core import clock
from jamsosdesa.core.regioncodes import Level, level_of_code, rows_in_region

from .models import Snapshot

STATUS_COLUMNS = ("active", "arrears", "non_active", "not_started", "ended")
COUNT_COLUMNS = ("registered", *STATUS_COLUMNS)
BREAKDOWNS = ("segment", "village_role", "payer_kind")


def _kabupaten_of_participants() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT kab_code FROM participants_participant ORDER BY kab_code")
        return [row[0] for row in cursor.fetchall()]


def _insert_sql(day: date) -> tuple[str, list]:
    status, status_params = status_case_sql(day)
    adapt = connection.ops.adapt_datefield_value
    counts = ", ".join(f"SUM(CASE WHEN x.st = '{s}' THEN 1 ELSE 0 END)" for s in STATUS_COLUMNS)
    sql = f"""
INSERT INTO coverage_snapshot (day, kab_code, desa_code, segment, village_role, payer_kind, registered,
                               {", ".join(STATUS_COLUMNS)}, refreshed_at)
SELECT %s, x.kab_code, x.desa_code, x.segment, x.village_role, COALESCE(pay.kind, ''), COUNT(*), {counts}, %s
FROM (SELECT p.id, p.kab_code, p.desa_code, p.segment, p.village_role, {status} AS st
      FROM participants_participant p LEFT JOIN billing_standing s ON s.participant_id = p.id
      WHERE p.kab_code = %s) x
LEFT JOIN (SELECT d.participant_id,
                  COALESCE(MAX(CASE WHEN d.membership_id IS NULL THEN d.payer_type END), 'self') AS kind
           FROM billing_due d
           WHERE d.kab_code = %s AND d.month = %s AND {not_reversed_sql("d", ReversalTarget.DUE)}
           GROUP BY d.participant_id) pay ON pay.participant_id = x.id
GROUP BY x.kab_code, x.desa_code, x.segment, x.village_role, COALESCE(pay.kind, '')"""
    month = adapt(day.replace(day=1))

    def params(kab: str) -> list:
        return [adapt(day), connection.ops.adapt_datetimefield_value(clock.now()), *status_params, kab, kab, month]

    return sql, params


def snapshot_refresh(day: date | None = None, kab_codes: Iterable[str] | None = None,
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite the snapshot rows of `day` (default today) for these kabupaten (default: every kabupaten with
    participants), one transaction each. Returns the rows written."""
    day = day or clock.today()
    kabs = sorted(set(kab_codes)) if kab_codes is not None else _kabupaten_of_participants()
    sql, params = _insert_sql(day)
    written = 0
    for n, kab in enumerate(kabs, start=1):
        with transaction.atomic(), connection.cursor() as cursor:
            Snapshot.objects.filter(day=day, kab_code=kab).delete()
            cursor.execute(sql, params(kab))
            written += max(cursor.rowcount, 0)
        if progress:
            progress(n, len(kabs))
    return written


def snapshot_day(on: date) -> date | None:
    """The latest day on or before `on` that has a snapshot (None: none yet)."""
    return (Snapshot.objects.filter(day__lte=on).order_by("-day").values_list("day", flat=True).first())


def snapshot_counts(code: str, day: date, *, by: str | None = None) -> dict:
    """The region's counts on a snapshot day: {column: sum}; with `by` (a breakdown column, or 'child' for the
    child regions), {key: {column: sum}}."""
    from django.db.models import Sum

    qs = Snapshot.objects.filter(rows_in_region(code) if code else Q(), day=day)  # '' = the nation
    sums = {c: Sum(c) for c in COUNT_COLUMNS}
    if by is None:
        row = qs.aggregate(**sums)
        return {c: int(row[c] or 0) for c in COUNT_COLUMNS}
    if by == "child":
        return _by_child(qs, code, sums)
    out = {}
    for row in qs.values(by).annotate(**sums).order_by(by):
        out[row[by]] = {c: int(row[c] or 0) for c in COUNT_COLUMNS}
    return out


def _by_child(qs, code: str, sums: dict) -> dict:
    """Sums per child region: provinces of the nation, kabupaten of a province (by `kab_code`), kecamatan of a
    kabupaten and desa of a kecamatan (by `desa_code`'s prefix)."""
    from django.db.models.functions import Left

    level = level_of_code(code) if code else None
    if not code:
        key = Left("kab_code", 2)
    elif level == Level.PROVINSI:
        key = Left("kab_code", 5)
    elif level == Level.KABUPATEN:
        key = Left("desa_code", 8)
    elif level == Level.KECAMATAN:
        key = Left("desa_code", 13)
    else:
        return {}
    out = {}
    for row in qs.annotate(child=key).values("child").annotate(**sums).order_by("child"):
        out[row["child"]] = {c: int(row[c] or 0) for c in COUNT_COLUMNS}
    return out


# --- a region's figures (the one service the CLI, and later the dashboard and the API, read) -----------------------


def _figure(code: str, day: date, counts: dict) -> dict:
    from .access import region_code_text
    from .denominators import coverage_percent, coverage_warning, denominator_for
    from .targets import target_for

    protected = counts["active"]
    denominator = denominator_for(code, day.year)
    warning = coverage_warning(protected, denominator)
    target = target_for(code, day)
    return {"region": region_code_text(code), "protected": protected, "registered": counts["registered"],
            "statuses": {s: counts[s] for s in STATUS_COLUMNS},
            "denominator": denominator.count if denominator else None,
            "denominator_source": denominator.source if denominator else None,
            "coverage": coverage_percent(protected, denominator),
            "warning": str(warning.message) if warning else None,
            "target": target.count if target else None,
            "target_due": target.due_date.isoformat() if target else None}


def coverage_figures(*, user, region: str, on: date | None = None) -> dict:
    """The region's coverage on a day, from the latest snapshot on or before it, with one entry per child region:
    `region`, `on` (the snapshot's day), `asked`, `protected`, `denominator` (with its source), `coverage` (percent,
    null without a usable denominator, with the `warning` that says why), `target`, `children`. A region the user
    may not see: NotFound. No snapshot yet: a ServiceError saying to refresh."""
    from django.utils.translation import gettext as _

    from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError

    from .access import can_see_region, parse_region

    code = parse_region(region)
    if not can_see_region(user, code):
        raise NotFound()
    asked = on or clock.today()
    day = snapshot_day(asked)
    if day is None:
        raise ServiceError(code=ErrorCode.INVALID, message=_(
            "Belum ada potret cakupan sampai %(d)s: jalankan 'jamsosdesa coverage refresh' dulu.") % {
            "d": f"{asked:%d-%m-%Y}"})
    figures = {**_figure(code, day, snapshot_counts(code, day)), "on": day.isoformat(), "asked": asked.isoformat()}
    figures["children"] = [_figure(child, day, counts)
                           for child, counts in snapshot_counts(code, day, by="child").items()]
    return figures
