"""The standing cache: each participant's first and last fully paid month, how many months are fully paid and who
paid the last one (`billing.models.Standing`; docs/design/ledger.md §4 "Standing").

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

The values come from `facts_table`, which reads the dues as `status.status_table` does (the same live dues and
live allocations: the two cannot disagree on what "fully paid" means) and groups them by person and month. The
count and the payers are what the coverage counting rule needs (`coverage.rules.counted_table`: one row a person
instead of every due and allocation of their history).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection

from jamsosdesa.contributions.models import PayerType

from .live import not_reversed_sql
from .models import ReversalTarget
from .status import _dues_sql, region_condition

CHUNK = 2000  # ids per statement (SQLite's limit on parameters; PostgreSQL gets one array)

# The payer kinds of `Standing.last_paid_payers`, one bit each. Rows keep these numbers: never renumber one; a new
# kind takes the next free bit (and the rows are rebuilt: `jamsosdesa billing standing`).
PAYER_BITS = {PayerType.SELF.value: 1, PayerType.APBDES.value: 2, PayerType.APBD.value: 4, PayerType.APBN.value: 8,
              PayerType.CSR.value: 16, PayerType.DONOR.value: 32, PayerType.EMPLOYER.value: 64}


def payer_mask(kinds: Iterable[str]) -> int:
    """The bits of these payer kinds (a kind without a bit: none)."""
    mask = 0
    for kind in kinds:
        mask |= PAYER_BITS.get(str(kind), 0)
    return mask


def payer_bit_sql(column: str) -> str:
    """The bit of a due's payer kind, in SQL."""
    whens = " ".join(f"WHEN '{kind}' THEN {bit}" for kind, bit in PAYER_BITS.items())
    return f"CASE {column} {whens} ELSE 0 END"


def _mask_of_month(person: str, month: str) -> str:
    """The payer bits of the person's live dues of that month (a scalar subquery; the (participant, month) index)."""
    return (f"(SELECT COALESCE(SUM(DISTINCT {payer_bit_sql('w.payer_type')}), 0) FROM billing_due w"
            f" WHERE w.participant_id = {person} AND w.month = {month}"
            f" AND {not_reversed_sql('w', ReversalTarget.DUE)})")


def facts_table(region_code: str | None = None, *, participants_sql: str = "",
                participants_params: Iterable = ()) -> tuple[str, list]:
    """SQL (with its parameters) of one row per participant of the region ('' or None: every one; narrowed by a
    condition on `p` as in `status.status_table`) with what the cache holds: `participant_id, first_paid, last_paid,
    paid_months, last_paid_payers` (NULL, NULL, 0, 0 when nothing is paid). A month is fully paid when every live due
    of it has a live allocation; `last_paid_payers` are the bits (`PAYER_BITS`) of the payer kinds of the live dues
    of the last fully paid month. The dues are read as the status lists read them (`status._dues_sql`: a kabupaten's
    through their own `kab_code` index, a narrowed set by the `(participant, month)` index)."""
    code, participants_params = (region_code or "").strip(), list(participants_params)
    region, region_params = region_condition(code)
    narrow = f" AND ({participants_sql})" if participants_sql else ""
    people = f"SELECT p.id FROM participants_participant p WHERE {region}{narrow}" if code or narrow else ""
    dues, dues_params = _dues_sql(code, people, [*region_params, *participants_params])
    sql = f"""
WITH p AS (
  SELECT p.id FROM participants_participant p WHERE {region}{narrow}
), dd AS ({dues}
), pm AS (
  SELECT participant_id, month, MIN(paid) AS paid, SUM(DISTINCT {payer_bit_sql("payer_type")}) AS payers
  FROM dd GROUP BY participant_id, month
), s AS (
  SELECT participant_id, MIN(CASE WHEN paid = 1 THEN month END) AS first_paid,
         MAX(CASE WHEN paid = 1 THEN month END) AS last_paid, SUM(paid) AS paid_months
  FROM pm GROUP BY participant_id
)
SELECT p.id AS participant_id, s.first_paid, s.last_paid, COALESCE(s.paid_months, 0) AS paid_months,
       COALESCE(lm.payers, 0) AS last_paid_payers
FROM p LEFT JOIN s ON s.participant_id = p.id
LEFT JOIN pm lm ON lm.participant_id = s.participant_id AND lm.month = s.last_paid"""
    return sql, [*region_params, *participants_params, *dues_params]


def _widen() -> str:
    """The upsert's end for the writers that only add paid months (each row of `excluded`: the months newly fully
    paid, i.e. that had an unpaid due before the write): a row is widened to the new months, its count of paid
    months grows by theirs, and the payers follow the last paid month when it moves."""
    least, greatest = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    return f"""ON CONFLICT (participant_id) DO UPDATE SET
  first_paid = {least}(COALESCE(billing_standing.first_paid, excluded.first_paid), excluded.first_paid),
  last_paid = {greatest}(COALESCE(billing_standing.last_paid, excluded.last_paid), excluded.last_paid),
  paid_months = billing_standing.paid_months + excluded.paid_months,
  last_paid_payers = CASE WHEN billing_standing.last_paid IS NULL OR excluded.last_paid > billing_standing.last_paid
                          THEN excluded.last_paid_payers ELSE billing_standing.last_paid_payers END
WHERE excluded.paid_months > 0"""


def _ids_condition(ids: list[int]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return "p.id = ANY(%s)", [ids]
    return f"p.id IN ({', '.join(['%s'] * len(ids))})", list(ids)


COLUMNS = ("first_paid", "last_paid", "paid_months", "last_paid_payers")


def _changed() -> str:
    """The upsert's condition: only rows whose facts differ are rewritten (no dead row for an unchanged one)."""
    op = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"billing_standing.{c} {op} excluded.{c}" for c in COLUMNS)


def _upsert(table_sql: str, params: list, cursor) -> int:
    cursor.execute(f"""
INSERT INTO billing_standing (participant_id, {", ".join(COLUMNS)})
SELECT st.participant_id, {", ".join(f"st.{c}" for c in COLUMNS)} FROM ({table_sql}) st WHERE 1 = 1
ON CONFLICT (participant_id) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in COLUMNS)}
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
            sql, table_params = facts_table(None, participants_sql=condition, participants_params=params)
            changed += _upsert(sql, table_params, cursor)
    return changed


def standing_after_payment(due_ids: Iterable[int]) -> int:
    """After live allocations were added to these dues, which had none (and nothing reversed): the cheap, exact
    update. Paying only adds fully paid months, never removes one, so each person's first and last paid months move at
    most to the months of these dues that are now fully paid, and each such month is new (one of its dues was unpaid
    until now): it adds one to the count. Only those months' dues are read (a statement's 2,000 people cost a few
    milliseconds instead of re-aggregating their whole history as `standing_refresh` does)."""
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
INSERT INTO billing_standing (participant_id, {", ".join(COLUMNS)})
SELECT g.participant_id, g.first_paid, g.last_paid, g.paid_months, {_mask_of_month("g.participant_id", "g.last_paid")}
FROM (SELECT nm.participant_id, MIN(nm.month) AS first_paid, MAX(nm.month) AS last_paid, COUNT(*) AS paid_months
      FROM (SELECT DISTINCT d.participant_id, d.month FROM billing_due d
            WHERE {which} AND NOT EXISTS (
              SELECT 1 FROM billing_due u WHERE u.participant_id = d.participant_id AND u.month = d.month AND {live_u}
                AND NOT EXISTS (SELECT 1 FROM billing_allocation a WHERE a.due_id = u.id AND {live_a}))) nm
      GROUP BY nm.participant_id) g
WHERE 1 = 1
{_widen()}""", [chunk] if pg else chunk)
            changed += max(cursor.rowcount, 0)
    return changed


def standing_widen(rows: Iterable[tuple[int, object, object, int]]) -> None:
    """Widen people's rows by months that are fully paid now and were not before (one of their dues was unpaid):
    `(participant, first, last, how many)` each, from a writer that worked them out itself (the statement bulk path,
    which knows every due it paid and looks up only the scheme dues that could still be unpaid in those months). The
    payers of `last` are read here (its dues, by the (participant, month) index)."""
    rows = list(rows)
    pg = connection.vendor == "postgresql"
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cast = "::date" if pg else ""
            count_cast = "::integer" if pg else ""
            cursor.execute(f"""
WITH v (participant_id, first_paid, last_paid, paid_months) AS (VALUES {values})
INSERT INTO billing_standing (participant_id, {", ".join(COLUMNS)})
SELECT v.participant_id, v.first_paid{cast}, v.last_paid{cast}, v.paid_months{count_cast},
       {_mask_of_month("v.participant_id", f"v.last_paid{cast}")} FROM v WHERE 1 = 1
{_widen()}""", [v for pid, first, last, n in chunk for v in (pid, adapt(first), adapt(last), int(n))])


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
            sql, params = facts_table(kab)
            changed += _upsert(sql, params, cursor)
            if progress:
                progress(n, len(kabs))
    return changed


# `ledger check` invariant 8: people whose cached facts differ from the ledger's (no row = nothing paid).
def standing_check_sql() -> tuple[str, list]:
    sql, params = facts_table(None)
    return f"""
SELECT st.participant_id, st.first_paid, st.last_paid, st.paid_months, st.last_paid_payers,
       s.first_paid AS cached_first_paid, s.last_paid AS cached_last_paid, s.paid_months AS cached_paid_months,
       s.last_paid_payers AS cached_last_paid_payers
FROM ({sql}) st LEFT JOIN billing_standing s ON s.participant_id = st.participant_id
WHERE (st.first_paid IS NULL) <> (s.first_paid IS NULL) OR st.first_paid <> s.first_paid
   OR (st.last_paid IS NULL) <> (s.last_paid IS NULL) OR st.last_paid <> s.last_paid
   OR st.paid_months <> COALESCE(s.paid_months, 0) OR st.last_paid_payers <> COALESCE(s.last_paid_payers, 0)
ORDER BY st.participant_id""", params
