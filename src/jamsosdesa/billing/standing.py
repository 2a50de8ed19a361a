"""The standing cache: each participant's first and last fully paid month (`billing.models.Standing`;
docs/design/ledger.md §4 "Standing").

The arrears worklists and the coverage dashboards need, for a whole kabupaten at once, the last fully paid month of
every person. Aggregating the dues for it at request time cost 1 s for 100,000 people and 7–9 s for 500,000
(bench/README.md, "Worklists"); reading it from this table is one index range. It is kept exact, never eventually:

- every ledger write that can change a person's fully paid months updates it in its own transaction: an
  allocation (`services.allocation.allocate`, the statement bulk path) through `standing_after_payment`, which only
  widens; a reversal of an allocation or a due (`services.reversals`) and a due added to a month that was fully
  paid (`services.dues`, the billing run) through `standing_refresh(ids)`, which recomputes;
- `standing_rebuild()` recomputes every row (after a bulk load outside the services; `jamsosdesa billing
  standing`);
- `ledger check` invariant 8 (`STANDING_SQL`) lists the people whose row differs from the ledger.

The values come from `status.status_table`, the same aggregation the status lists use, so the two cannot disagree
on what "fully paid" means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection

from .live import not_reversed_sql
from .models import ReversalTarget
from .status import status_table

CHUNK = 2000  # ids per statement (SQLite's limit on parameters; PostgreSQL gets one array)


def _widen() -> str:
    """The upsert's end for the writers that only add paid months: a row is widened to the new months, and
    rewritten only when they widen it."""
    least, greatest = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    return f"""ON CONFLICT (participant_id) DO UPDATE SET
  first_paid = {least}(COALESCE(billing_standing.first_paid, excluded.first_paid), excluded.first_paid),
  last_paid = {greatest}(COALESCE(billing_standing.last_paid, excluded.last_paid), excluded.last_paid)
WHERE billing_standing.first_paid IS NULL OR billing_standing.last_paid IS NULL
   OR excluded.first_paid < billing_standing.first_paid OR excluded.last_paid > billing_standing.last_paid"""


def _ids_condition(ids: list[int]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return "p.id = ANY(%s)", [ids]
    return f"p.id IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _changed() -> str:
    """The upsert's condition: only rows whose months differ are rewritten (no dead row for an unchanged one)."""
    op = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return (f"billing_standing.first_paid {op} excluded.first_paid"
            f" OR billing_standing.last_paid {op} excluded.last_paid")


def _upsert(table_sql: str, params: list, cursor) -> int:
    cursor.execute(f"""
INSERT INTO billing_standing (participant_id, first_paid, last_paid)
SELECT st.participant_id, st.first_paid, st.last_paid FROM ({table_sql}) st WHERE 1 = 1
ON CONFLICT (participant_id) DO UPDATE SET first_paid = excluded.first_paid, last_paid = excluded.last_paid
WHERE {_changed()}""", params)
    return max(cursor.rowcount, 0)


def standing_refresh(participant_ids: Iterable[int]) -> int:
    """Recompute the standing of these people from the ledger (call it inside the transaction that wrote their
    dues, allocations or reversals). Returns how many rows changed."""
    ids = sorted({int(i) for i in participant_ids if i is not None})
    changed = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            condition, params = _ids_condition(ids[start:start + CHUNK])
            sql, table_params = status_table(None, participants_sql=condition, participants_params=params)
            changed += _upsert(sql, table_params, cursor)
    return changed


def standing_after_payment(due_ids: Iterable[int]) -> int:
    """After live allocations were added to these dues (and nothing reversed): the cheap, exact update. Paying only
    adds fully paid months, never removes one, so each person's first and last paid months move at most to the
    months of these dues that are now fully paid; only those months' dues are read (a statement's 2,000 people cost
    a few milliseconds instead of re-aggregating their whole history as `standing_refresh` does)."""
    ids = sorted({int(i) for i in due_ids if i is not None})
    live_u = not_reversed_sql("u", ReversalTarget.DUE)
    live_a = not_reversed_sql("a", ReversalTarget.ALLOCATION)
    pg = connection.vendor == "postgresql"
    changed = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            which = "d.id = ANY(%s)" if pg else f"d.id IN ({', '.join(['%s'] * len(chunk))})"
            cursor.execute(f"""
INSERT INTO billing_standing (participant_id, first_paid, last_paid)
SELECT d.participant_id, MIN(d.month), MAX(d.month) FROM billing_due d
WHERE {which} AND NOT EXISTS (
  SELECT 1 FROM billing_due u WHERE u.participant_id = d.participant_id AND u.month = d.month AND {live_u}
    AND NOT EXISTS (SELECT 1 FROM billing_allocation a WHERE a.due_id = u.id AND {live_a}))
GROUP BY d.participant_id
{_widen()}""", [chunk] if pg else chunk)
            changed += max(cursor.rowcount, 0)
    return changed


def standing_widen(rows: Iterable[tuple[int, object, object]]) -> None:
    """Widen people's rows to months known to be fully paid now: `(participant, first, last)` each, from a writer
    that worked them out itself (the statement bulk path, which knows every due it paid and looks up only the
    scheme dues that could still be unpaid in those months)."""
    rows = list(rows)
    pg = connection.vendor == "postgresql"
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cast = "::date" if pg else ""
            cursor.execute(f"""
WITH v (participant_id, first_paid, last_paid) AS (VALUES {values})
INSERT INTO billing_standing (participant_id, first_paid, last_paid)
SELECT v.participant_id, v.first_paid{cast}, v.last_paid{cast} FROM v WHERE 1 = 1
{_widen()}""", [v for pid, first, last in chunk for v in (pid, adapt(first), adapt(last))])


def refresh_after_new_dues(*, kab_code: str, month, run_id: int | None = None) -> int:
    """After dues of `month` were added in a kabupaten (a billing run's chunk): a new, unpaid due breaks a month only
    if that month was fully paid, i.e. lies between the person's first and last paid months. Those people are few
    (paid ahead, or paid by another payer for that month); they are found through the `last_paid` index."""
    month_value = connection.ops.adapt_datefield_value(month)
    run_condition = "AND d.run_id = %s" if run_id is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(f"""
SELECT s.participant_id FROM billing_standing s
WHERE s.last_paid >= %s AND s.first_paid <= %s AND EXISTS (
  SELECT 1 FROM billing_due d WHERE d.participant_id = s.participant_id AND d.month = %s AND d.kab_code = %s
  {run_condition})""", [month_value, month_value, month_value, kab_code, *([run_id] if run_id is not None else [])])
        ids = [row[0] for row in cursor.fetchall()]
    return standing_refresh(ids)


def standing_rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute every participant's standing, one kabupaten at a time (each its own statement). Returns how many
    rows changed. For a database loaded outside the services (a benchmark, a migration of old data)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT kab_code FROM participants_participant ORDER BY kab_code")
        kabs = [row[0] for row in cursor.fetchall()]
        changed = 0
        for n, kab in enumerate(kabs, start=1):
            # The kabupaten's people, their dues read through the dues' own `kab_code` index (plus the dues of those
            # who moved in, by person), as the region's status list reads them: never the whole ledger per kabupaten.
            sql, params = status_table(kab)
            changed += _upsert(sql, params, cursor)
            if progress:
                progress(n, len(kabs))
    return changed


# `ledger check` invariant 8: people whose cached months differ from the ledger's (no row = nothing paid).
def standing_check_sql() -> tuple[str, list]:
    sql, params = status_table(None)
    return f"""
SELECT st.participant_id, st.first_paid, st.last_paid, s.first_paid AS cached_first_paid,
       s.last_paid AS cached_last_paid
FROM ({sql}) st LEFT JOIN billing_standing s ON s.participant_id = st.participant_id
WHERE (st.first_paid IS NULL) <> (s.first_paid IS NULL) OR st.first_paid <> s.first_paid
   OR (st.last_paid IS NULL) <> (s.last_paid IS NULL) OR st.last_paid <> s.last_paid
ORDER BY st.participant_id""", params

