"""Coverage snapshots: writing them (`snapshot_refresh`), reading a region's sums (`snapshot_counts`) and a region's
figures as every door shows them (`coverage_figures`, /work/notes/FIGURES_CONTRACT.md; docs/design/coverage.md §1,
§6).

A refresh rewrites one day's rows of each kabupaten asked, in one transaction per kabupaten: one
`INSERT … SELECT … GROUP BY` over the kabupaten's participants registered by the end of that day (`created_at`: a
past day never counts someone registered later) joined to their standing (`billing_standing`: first and last fully
paid month) and to who pays the day's month and which programmes it covers (the month's live dues of the kabupaten
by its `(kab_code, month)` index; for a person with none there — someone who moved in keeps their package's or
enrolment's old `kab_code` — their own dues of that month by the `(participant, month)` index, looked up only for
them). The status of each person is `billing.status.status_case_sql` — the rule every status list uses — so a
snapshot's counts equal the participant list filtered by status for the same day. The counted-toward-target figure is
`coverage.rules.counted_table` over the same protected people; the lapse next month is billing's "non-active next
month" worklist rule (arrears, last paid month = cut-off − 2). Reading sums desa rows by code prefix: the desa add
up to the nation by construction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from fractions import Fraction
from math import ceil

from django.conf import settings
from django.db import connection
from django.db.models import Min, Sum

from jamsosdesa.billing.live import not_reversed_sql
from jamsosdesa.billing.models import ReversalTarget
from jamsosdesa.billing.status import ACTIVE, ARREARS, day_end_moment, status_case_sql
from jamsosdesa.billing.worklists import cutoff_month
from jamsosdesa.core import clock
from jamsosdesa.core.months import add_months
from jamsosdesa.core.regioncodes import Level, ancestor_codes, level_of_code, rows_in_region

from .models import Snapshot
from .models_snapshot import SnapshotKab

STATUS_COLUMNS = ("active", "arrears", "non_active", "not_started", "ended")
COUNT_COLUMNS = ("registered", *STATUS_COLUMNS)
SUM_COLUMNS = (*COUNT_COLUMNS, "lapse_next_month")
BREAKDOWNS = ("segment", "village_role", "payer_kind", "programmes")
PROGRAMMES = (("JKK", 1), ("JKM", 2), ("JHT", 4), ("JP", 8))  # funding.models.PROGRAMME_BITS, in display order
LEVEL_WORDS = {None: "nasional", Level.PROVINSI: "provinsi", Level.KABUPATEN: "kabupaten",
               Level.KECAMATAN: "kecamatan", Level.DESA: "desa"}


def kabupaten_to_write(day: date) -> list[str]:
    """Every kabupaten with participants, and every one with rows of the day (its people may all have moved away:
    its rows go)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT kab_code FROM participants_participant")
        kabs = {row[0] for row in cursor.fetchall()}
    return sorted(kabs | set(SnapshotKab.objects.filter(day=day).values_list("kab_code", flat=True).distinct()))


def programmes_text(mask: int) -> str:
    """A programme mask as the snapshot's key: 3 -> 'JKK+JKM' (0: '')."""
    return "+".join(name for name, bit in PROGRAMMES if mask & bit)


def _mask_sql(alias: str) -> str:
    """The union of the programmes of a group of dues, as a mask (portable: no bitwise aggregate in SQLite)."""
    return " + ".join(f"MAX({alias}.programme_mask & {bit})" for _name, bit in PROGRAMMES)


def _programmes_case(mask: str) -> str:
    whens = " ".join(f"WHEN {m} THEN '{programmes_text(m)}'" for m in range(1, 16))
    return f"CASE {mask} {whens} ELSE '' END"


def _standing_join(day: date) -> tuple[str, Callable[[str], list]]:
    """Each person's row of the standing cache (`s`), and its parameters for a kabupaten. On PostgreSQL one index
    probe per person (LATERAL with a LIMIT, which the planner does not flatten back into a join): as a plain
    join the planner hashed the whole national table for every kabupaten (two sequential scans of 10,000,000 rows
    per kabupaten: most of a full refresh's time at that size, bench/README.md "Coverage").

    Held money (`billing.overlays.held_months`: an agent's collection not deposited in time) does not pay a month
    here: for the people whose first or last paid month it paid (`_held_people`, asked once per kabupaten and passed
    in as a list), `first_paid` and `last_paid` are the first and last fully paid months without it
    (`good_paid_month_sql`; none: not started), so the status, the lapse and the counted figure all read them.
    Nothing registered: the cache's months as they are."""
    from jamsosdesa.billing.overlays import good_paid_month_sql, held_condition

    if held_condition(day, "0") is None:
        if connection.vendor == "postgresql":  # LIMIT: not flattened back into a join
            return ("LEFT JOIN LATERAL (SELECT s0.first_paid, s0.last_paid FROM billing_standing s0"
                    " WHERE s0.participant_id = p.id LIMIT 1) s ON TRUE"), lambda kab: []
        return "LEFT JOIN billing_standing s ON s.participant_id = p.id", lambda kab: []
    first, first_params = good_paid_month_sql(day, "g.participant_id", "MIN")
    last, last_params = good_paid_month_sql(day, "g.participant_id", "MAX")
    months = (f"CASE WHEN g.held = 1 THEN {first} ELSE g.first_paid END AS first_paid,"
              f" CASE WHEN g.held = 1 THEN {last} ELSE g.last_paid END AS last_paid")
    if connection.vendor == "postgresql":
        held_ids = "s0.participant_id = ANY(%s::bigint[])"
    else:
        held_ids = "s0.participant_id IN (SELECT value FROM json_each(%s))"
    inner = (f"SELECT s0.participant_id, s0.first_paid, s0.last_paid,"
             f" CASE WHEN {held_ids} THEN 1 ELSE 0 END AS held FROM billing_standing s0")

    asked: dict[str, list[int]] = {}

    def params(kab: str) -> list:  # in the text's order: the outer select's, then the inner's
        if kab not in asked:  # once per kabupaten: the statement's counts and its counted figure both need them
            asked[kab] = _held_people(day, kab)  # (kabupaten side by side: at worst asked twice, never mixed up)
        ids = asked[kab]
        return [*first_params, *last_params, ids if connection.vendor == "postgresql" else json.dumps(ids)]

    if connection.vendor == "postgresql":
        return (f"LEFT JOIN LATERAL (SELECT {months} FROM ({inner} WHERE s0.participant_id = p.id LIMIT 1) g) s"
                " ON TRUE"), params
    return f"LEFT JOIN (SELECT g.participant_id, {months} FROM ({inner}) g) s ON s.participant_id = p.id", params


def _held_people(day: date, kab: str) -> list[int]:
    """The people of the kabupaten whose first or last paid month is held on `day` (`billing.overlays.held_months`;
    only those two months change a status): one query, one indexed probe per person with a paid month, asked once per
    kabupaten so the snapshot's statement, which reads each person twice (the counts and the counted figure), only
    looks the few it names up in a list."""
    from jamsosdesa.billing.overlays import held_candidate_ids, held_condition

    held = held_condition(day, "s0.participant_id", ("s0.first_paid", "s0.last_paid"))
    if held is None:
        return []
    candidates = held_candidate_ids(day, kab)  # found from the money's side: most kabupaten have none at all
    if candidates is not None and not candidates:
        return []
    only, only_params = "", []
    if candidates is not None:
        if connection.vendor == "postgresql":
            only, only_params = " AND s0.participant_id = ANY(%s::bigint[])", [candidates]
        else:
            only, only_params = " AND s0.participant_id IN (SELECT value FROM json_each(%s))", [json.dumps(candidates)]
    # inside a CASE the condition stays a probe per person: as a plain EXISTS PostgreSQL made it a semi-join that
    # read every collection of the country for each kabupaten
    with connection.cursor() as cursor:
        cursor.execute("SELECT s0.participant_id FROM participants_participant p"
                       " JOIN billing_standing s0 ON s0.participant_id = p.id"
                       f" WHERE p.kab_code = %s AND s0.first_paid IS NOT NULL{only}"
                       f" AND CASE WHEN {held[0]} THEN 1 ELSE 0 END = 1", [kab, *only_params, *held[1]])
        return sorted(int(row[0]) for row in cursor.fetchall())


def _insert_sql(day: date) -> tuple[str, Callable[[str], list]]:
    from .rules import counted_table, rule_for

    status, status_params = status_case_sql(day)
    rule = rule_for(day)
    adapt = connection.ops.adapt_datefield_value
    month = adapt(day.replace(day=1))
    day_end = connection.ops.adapt_datetimefield_value(day_end_moment(day))
    lapse_last_paid = adapt(add_months(cutoff_month(day), -2))  # billing.worklists.non_active_next_month's month
    counts = ", ".join(f"SUM(CASE WHEN y.st = '{s}' THEN 1 ELSE 0 END)" for s in STATUS_COLUMNS)
    standing, standing_params = _standing_join(day)  # standing_params(kab): the held people's ids of the kabupaten
    people = (f"FROM participants_participant p {standing}"
              " WHERE p.kab_code = %s AND p.created_at < %s")
    live_d, live_o = not_reversed_sql("d", ReversalTarget.DUE), not_reversed_sql("o", ReversalTarget.DUE)
    # A mover's dues of the month, billed under another kabupaten: only for people with none in this one.
    elsewhere = "FROM billing_due o WHERE o.participant_id = x.id AND o.month = %s AND o.kab_code <> %s AND " + live_o
    protected = f"SELECT p.id AS participant_id {people} AND {status} = '{ACTIVE}'"

    def counted(kab: str) -> tuple[str, list]:  # the counting rule's own SQL over the same protected people
        return counted_table(None, day, rule=rule, active=(protected, [*standing_params(kab), kab, day_end,
                                                                       *status_params]))

    counted_sql = counted("")[0]
    sql = f"""
INSERT INTO coverage_snapshot (day, kab_code, desa_code, segment, village_role, payer_kind, programmes, registered,
                               {", ".join(STATUS_COLUMNS)}, counted_units, counted_per, lapse_next_month,
                               refreshed_at)
SELECT %s, y.kab_code, y.desa_code, y.segment, y.village_role, y.kind, {_programmes_case("y.mask")}, COUNT(*),
       {counts}, COALESCE(SUM(ct.units), 0), {rule.denominator},
       SUM(CASE WHEN y.st = '{ARREARS}' AND y.last_paid = %s THEN 1 ELSE 0 END), %s
FROM (SELECT x.id, x.kab_code, x.desa_code, x.segment, x.village_role, x.st, x.last_paid,
             COALESCE(pay.kind, (SELECT CASE WHEN COUNT(*) = 0 THEN NULL ELSE COALESCE(
                 MAX(CASE WHEN o.membership_id IS NULL THEN o.payer_type END), 'self') END {elsewhere}), '') AS kind,
             COALESCE(pay.mask, (SELECT {_mask_sql("o")} {elsewhere}), 0) AS mask
      FROM (SELECT p.id, p.kab_code, p.desa_code, p.segment, p.village_role, s.last_paid, {status} AS st
            {people}) x
      LEFT JOIN (SELECT d.participant_id,
                        COALESCE(MAX(CASE WHEN d.membership_id IS NULL THEN d.payer_type END), 'self') AS kind,
                        {_mask_sql("d")} AS mask
                 FROM billing_due d
                 WHERE d.kab_code = %s AND d.month = %s AND {live_d}
                 GROUP BY d.participant_id) pay ON pay.participant_id = x.id) y
LEFT JOIN ({counted_sql}) ct ON ct.participant_id = y.id
GROUP BY y.kab_code, y.desa_code, y.segment, y.village_role, y.kind, y.mask"""

    def params(kab: str) -> list:
        return [adapt(day), lapse_last_paid, connection.ops.adapt_datetimefield_value(clock.now()),
                month, kab, month, kab, *status_params, *standing_params(kab), kab, day_end, kab, month,
                *counted(kab)[1]]

    return sql, params


def snapshot_refresh(day: date | None = None, kab_codes: Iterable[str] | None = None,
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite the snapshot rows of `day` (default today) for these kabupaten (default: every kabupaten with
    participants or with rows of that day), one transaction each. A day counts the people registered by its end
    (`Participant.created_at`). Returns the rows written."""
    from jamsosdesa.billing.status import planned_without_jit

    day = day or clock.today()
    kabs = sorted(set(kab_codes)) if kab_codes is not None else kabupaten_to_write(day)
    sql, params = _insert_sql(day)

    def one(kab: str) -> int:
        with planned_without_jit(), connection.cursor() as cursor:
            Snapshot.objects.filter(day=day, kab_code=kab).delete()
            cursor.execute(sql, params(kab))
            written = max(cursor.rowcount, 0)
            snapshot_rollup(day, [kab])
        return written

    workers = min(settings.COVERAGE_REFRESH_WORKERS, len(kabs))
    if workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _side_by_side(one, kabs, workers, progress)
    written = 0
    for n, kab in enumerate(kabs, start=1):
        written += one(kab)
        if progress:
            progress(n, len(kabs))
    return written


def _side_by_side(one: Callable[[str], int], kabs: list[str], workers: int,
                  progress: Callable[[int, int], None] | None) -> int:
    """`one(kab)` for every kabupaten on `workers` threads, each with its own database connection (each kabupaten its
    own transaction, as one after the other). Only outside a transaction: a thread cannot see what the caller has not
    committed. Progress is told here, in the caller's thread, as kabupaten finish; an exception from it (a job
    cancelled meanwhile) cancels the kabupaten not started yet and is raised once the running ones have ended."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from django.db import connections

    def in_thread(kab: str) -> int:
        try:
            return one(kab)
        finally:
            connections.close_all()  # this thread's connection: the pool's threads end with the refresh

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="snapshot")
    written = 0
    try:
        for n, future in enumerate(as_completed([pool.submit(in_thread, kab) for kab in kabs]), start=1):
            written += future.result()
            if progress:
                progress(n, len(kabs))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return written


KEY_COLUMNS = ("segment", "village_role", "payer_kind", "programmes")


def snapshot_rollup(day: date, kab_codes: Iterable[str] | None = None) -> int:
    """Rewrite the kabupaten rows (`SnapshotKab`) of `day` from its desa rows, for these kabupaten (default: every
    kabupaten with desa rows that day). `snapshot_refresh` calls it in each kabupaten's transaction; whoever writes
    desa rows another way (a benchmark planting history) calls it after. Returns the rows written."""
    adapt = connection.ops.adapt_datefield_value
    sums = ", ".join(f"SUM({c})" for c in (*COUNT_COLUMNS, "counted_units", "lapse_next_month"))
    columns = ", ".join((*COUNT_COLUMNS, "counted_units", "lapse_next_month"))
    keys = ", ".join(KEY_COLUMNS)
    rollup = SnapshotKab.objects.filter(day=day)
    where, params = "day = %s", [adapt(day)]
    if kab_codes is not None:
        kabs = sorted(set(kab_codes))
        rollup = rollup.filter(kab_code__in=kabs)
        where += f" AND kab_code IN ({', '.join(['%s'] * len(kabs))})"
        params += kabs
    rollup.delete()
    with connection.cursor() as cursor:
        cursor.execute(f"""
INSERT INTO coverage_snapshot_kab (day, kab_code, {keys}, {columns}, counted_per, refreshed_at)
SELECT day, kab_code, {keys}, {sums}, MAX(counted_per), MIN(refreshed_at) FROM coverage_snapshot
WHERE {where} GROUP BY day, kab_code, {keys}""", params)
        return max(cursor.rowcount, 0)


def snapshot_delete(day: date) -> int:
    """Forget a day's snapshot at every level (its desa rows and their kabupaten rollup), as a refresh that keeps
    only month ends and today drops yesterday's. Returns the desa rows deleted."""
    from django.db import transaction

    with transaction.atomic():
        SnapshotKab.objects.filter(day=day).delete()
        return Snapshot.objects.filter(day=day).delete()[0]


def snapshot_day(on: date) -> date | None:
    """The latest day on or before `on` that has a snapshot (None: none yet)."""
    return (Snapshot.objects.filter(day__lte=on).order_by("-day").values_list("day", flat=True).first())


# --- sums over desa rows ----------------------------------------------------------------------------------------


def _region_rows(code: str, *, by_desa: bool = False):
    """The rows to sum for a region: the kabupaten rollup for the nation ('' ), a province or a kabupaten (unless the
    sum needs the desa: `by_desa`), the desa rows of the kabupaten otherwise."""
    level = level_of_code(code) if code else None
    if not by_desa and level in (None, Level.PROVINSI, Level.KABUPATEN):
        return SnapshotKab.objects.filter(rows_in_region(code)) if code else SnapshotKab.objects.all()
    if not code:
        return Snapshot.objects.all()
    return Snapshot.objects.filter(rows_in_region(code))


def _sums(qs, keys: tuple) -> dict:
    """{key tuple: {column: sum, 'counted': Fraction, 'refreshed_at': oldest}} over rows grouped by `keys` (and by
    the rule's N, so rows written under different rules still add up exactly)."""
    aggregates = {c: Sum(c) for c in SUM_COLUMNS}
    rows = qs.values(*keys, "counted_per").annotate(units=Sum("counted_units"), oldest=Min("refreshed_at"),
                                                   **aggregates).order_by()
    out: dict = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        entry = out.setdefault(key, {**{c: 0 for c in SUM_COLUMNS}, "counted": Fraction(0), "refreshed_at": None})
        for c in SUM_COLUMNS:
            entry[c] += int(row[c] or 0)
        entry["counted"] += Fraction(int(row["units"] or 0), max(int(row["counted_per"] or 1), 1))
        if row["oldest"] is not None and (entry["refreshed_at"] is None or row["oldest"] < entry["refreshed_at"]):
            entry["refreshed_at"] = row["oldest"]
    return out


def _empty() -> dict:
    return {**{c: 0 for c in SUM_COLUMNS}, "counted": Fraction(0), "refreshed_at": None}


def _child_key(code: str):
    from django.db.models.functions import Left

    level = level_of_code(code) if code else None
    if not code:
        return Left("kab_code", 2)
    if level == Level.PROVINSI:
        return Left("kab_code", 5)
    if level == Level.KABUPATEN:
        return Left("desa_code", 8)
    if level == Level.KECAMATAN:
        return Left("desa_code", 13)
    return None


def snapshot_counts(code: str, day: date, *, by: str | None = None) -> dict:
    """The region's sums on a snapshot day: {column: sum} for the counts (`registered`, each status,
    `lapse_next_month`) and `counted` (a Fraction, exact); with `by` (a breakdown column, or 'child' for the child
    regions), {key: {column: sum}}."""
    def strip(entry: dict) -> dict:
        return {k: v for k, v in entry.items() if k != "refreshed_at"}

    if by is None:
        return strip(_sums(_region_rows(code).filter(day=day), ()).get((), _empty()))
    if by == "child":
        key = _child_key(code)
        if key is None:
            return {}
        qs = _child_rows(code).filter(day=day).annotate(child=key)
        return {k[0]: strip(v) for k, v in sorted(_sums(qs, ("child",)).items())}
    qs = _region_rows(code, by_desa=by == "desa_code").filter(day=day)
    return {k[0]: strip(v) for k, v in sorted(_sums(qs, (by,)).items())}


def _child_rows(code: str):
    """Provinces and kabupaten are sums of kabupaten rows; kecamatan and desa, of desa rows."""
    level = level_of_code(code) if code else None
    return _region_rows(code, by_desa=level not in (None, Level.PROVINSI))


# --- a region's figures (the one service the pages, the API, the CLI, the exports and the public page read) -------


def _percent(part, whole) -> float | None:
    return round(float(100 * Fraction(part) / whole), 1) if whole else None


def _months_left(on: date, due: date) -> int:
    return max((due.year - on.year) * 12 + due.month - on.month, 1)


def _counted(value: Fraction) -> float:
    return round(float(value), 3)


def _figure(code: str, day: date, sums: dict, *, names: dict, denominators: dict, targets: dict) -> dict:
    """The keys a region and each of its children share (contract: 'children')."""
    from .access import region_code_text
    from .denominators import coverage_percent, coverage_warning

    protected = sums["active"]
    denominator = denominators.get(code)
    warning = coverage_warning(protected, denominator)
    target = targets.get(code)
    gap = max(target.count - protected, 0) if target else None
    return {"region": region_code_text(code), "name": names.get(code) or (code if code else "Indonesia"),
            "level": LEVEL_WORDS[level_of_code(code) if code else None],
            "protected": protected, "registered": sums["registered"],
            "statuses": {s: sums[s] for s in STATUS_COLUMNS},
            "counted": _counted(sums["counted"]),
            "denominator": denominator.count if denominator else None,
            "denominator_source": denominator.source if denominator else None,
            "coverage": coverage_percent(protected, denominator),
            "warning": str(warning.message) if warning else None,
            "target": target.count if target else None,
            "target_due": target.due_date.isoformat() if target else None,
            "target_progress": _percent(protected, target.count) if target else None,
            "target_progress_counted": _percent(sums["counted"], target.count) if target else None,
            "target_gap": gap,
            "pace_per_month": ceil(gap / _months_left(day, target.due_date)) if target else None,
            "lapse_next_month": sums["lapse_next_month"]}


def _year_figures(codes: list[str], year: int) -> tuple[dict, dict]:
    """{code: DenominatorFigure} and {code: Target} of that year for the codes at once (two queries instead of two
    per child; the same rows as `denominator_for` and `target_for`)."""
    from .denominators import DenominatorFigure, source_label
    from .models import Denominator, Target

    denominators = {d.region_code: DenominatorFigure(d.count, source_label(d.source, d.source_note))
                    for d in Denominator.objects.filter(region_code__in=codes, year=year)}
    targets = {t.region_code: t for t in Target.objects.filter(region_code__in=codes, year=year, segment="",
                                                              village_role="")}
    return denominators, targets


def _labels(breakdown: str) -> dict:
    from django.utils.translation import gettext as _

    from jamsosdesa.contributions.models import PayerType, Programme
    from jamsosdesa.participants.models import Segment, VillageRole

    if breakdown == "segment":
        return dict(Segment.choices)
    if breakdown == "village_role":
        return {**dict(VillageRole.choices), "": _("tanpa peran di desa")}
    if breakdown == "payer_kind":
        return {**dict(PayerType.choices), "": _("tidak ada iuran bulan ini")}
    return dict(Programme.choices)


def _breakdowns(qs) -> dict:
    """The four breakdowns from one grouped read of the region's rows (by every key at once)."""
    by_key = _sums(qs, KEY_COLUMNS)

    def entry(key: str, label, rows: list[dict]) -> dict:
        return {"key": key, "label": str(label), "protected": sum(v["active"] for v in rows),
                "registered": sum(v["registered"] for v in rows),
                "counted": _counted(sum((v["counted"] for v in rows), Fraction(0)))}

    out = {}
    for position, column in enumerate(("segment", "village_role", "payer_kind")):
        labels = _labels(column)
        groups: dict[str, list] = {}
        for key, v in by_key.items():
            groups.setdefault(key[position], []).append(v)
        out[column] = [entry(k, labels.get(k, k), rows) for k, rows in sorted(groups.items())]
    labels = _labels("programme")
    out["programme"] = []
    for name, _bit in PROGRAMMES:
        rows = [v for key, v in by_key.items() if name in (key[3] or "").split("+")]
        if rows:
            out["programme"].append(entry(name, labels.get(name, name), rows))
    return out


def month_end(month: date) -> date:
    return add_months(month.replace(day=1), 1) - timedelta(days=1)


def _trend(code: str, day: date) -> list[dict]:
    """The month-end rows of the 12 months up to `day` that exist, oldest first, then `day` if not a month end."""
    ends = [month_end(add_months(day.replace(day=1), -k)) for k in range(11, -1, -1)]
    ends = [e for e in ends if e <= day]
    wanted = ends + ([day] if day not in ends else [])
    found = _sums(_region_rows(code).filter(day__in=wanted), ("day",))
    return [{"month": f"{d:%Y-%m}", "on": d.isoformat(), "protected": found[(d,)]["active"],
             "registered": found[(d,)]["registered"], "counted": _counted(found[(d,)]["counted"])}
            for d in wanted if (d,) in found]


def coverage_figures(*, user, region: str, on: date | None = None) -> dict:
    """The region's coverage on a day, from the latest snapshot on or before it (/work/notes/FIGURES_CONTRACT.md):
    its name, level and breadcrumb, protected and registered with each status, the counted-toward-target figure
    under the rule's name, the denominator (named) and coverage or the warning that says why there is none, the
    target with progress, gap and pace per month, lapse next month, the breakdowns, the trend, and one entry per
    child region the user may see. A region the user may not see: NotFound. No snapshot yet: a ServiceError saying
    to refresh."""
    from django.utils.translation import gettext as _

    from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
    from jamsosdesa.regions.selectors import region_names

    from .access import can_see_region, parse_region, region_code_text
    from .rules import rule_for

    code = parse_region(region)
    if not can_see_region(user, code):
        raise NotFound()
    asked = on or clock.today()
    day = snapshot_day(asked)
    if day is None:
        raise ServiceError(code=ErrorCode.INVALID, message=_(
            "Belum ada potret cakupan sampai %(d)s: jalankan 'jamsosdesa coverage refresh' dulu.") % {
            "d": f"{asked:%d-%m-%Y}"})
    qs = _region_rows(code).filter(day=day)
    total = _sums(qs, ()).get((), _empty())
    key = _child_key(code)
    children = {}
    if key is not None:
        by_child = _sums(_child_rows(code).filter(day=day).annotate(child=key), ("child",))
        children = {k[0]: v for k, v in sorted(by_child.items()) if can_see_region(user, k[0])}
    parents = [c for c in ["", *ancestor_codes(code)] if code and can_see_region(user, c)]
    codes = [code, *children, *parents]
    names = region_names(codes)
    denominators, targets = _year_figures(codes, day.year)
    shared = {"names": names, "denominators": denominators, "targets": targets}
    figures = _figure(code, day, total, **shared)
    target = targets.get(code)
    figures.update({
        "parents": [{"region": region_code_text(c), "name": names.get(c) or (c if c else "Indonesia")}
                    for c in parents],
        "on": day.isoformat(), "asked": asked.isoformat(),
        "refreshed_at": total["refreshed_at"].isoformat() if total["refreshed_at"] else None,
        "counting_rule": rule_for(day).names()[1],
        "months_left": _months_left(day, target.due_date) if target else None,
        "breakdowns": _breakdowns(qs),
        "trend": _trend(code, day),
        "children": [_figure(child, day, sums, **shared) for child, sums in children.items()],
    })
    return figures
