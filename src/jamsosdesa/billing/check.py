"""`jamsosdesa ledger check`: the ledger's eight invariants (docs/design/ledger.md §5), one SQL query each, the
same text on SQLite and PostgreSQL. Each query returns the offending rows; an empty list of failures means the
ledger neither lost nor doubled a rupiah.

"Live" means no `Reversal` row targets it (`live.not_reversed_sql`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext_lazy as _

from .live import not_reversed_sql
from .standing import standing_check_sql

SHOWN = 20  # offending rows kept per invariant (the count says how many there are)


@dataclass
class Failure:
    invariant: int
    name: str
    title: str
    count: int
    rows: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"invariant": self.invariant, "name": self.name, "title": str(self.title), "count": self.count,
                "rows": self.rows}


LIVE_A = not_reversed_sql("a", "allocation")
LIVE_D = not_reversed_sql("d", "due")
LIVE_P = not_reversed_sql("p", "payment")

# 1. Every payment is accounted for: a live one with a holder (or an assigned queue item) equals its live
# allocations plus its credit rows; a queued one waits with nothing allocated; a reversed one has nothing left.
PAYMENTS = f"""
SELECT p.id AS payment_id, p.amount, COALESCE(al.s, 0) AS allocated, COALESCE(cr.s, 0) AS credited,
       CASE WHEN rp.id IS NULL THEN 0 ELSE 1 END AS reversed, q.status AS queue_status
FROM billing_payment p
LEFT JOIN (SELECT a.payment_id, SUM(a.amount) AS s FROM billing_allocation a
           WHERE a.payment_id IS NOT NULL AND {LIVE_A} GROUP BY a.payment_id) al ON al.payment_id = p.id
LEFT JOIN (SELECT c.payment_id, SUM(c.amount) AS s FROM billing_credit c
           WHERE c.payment_id IS NOT NULL GROUP BY c.payment_id) cr ON cr.payment_id = p.id
LEFT JOIN billing_reversal rp ON rp.target_type = 'payment' AND rp.target_id = p.id
LEFT JOIN billing_reconciliationitem q ON q.payment_id = p.id
WHERE (rp.id IS NOT NULL AND (COALESCE(al.s, 0) <> 0 OR COALESCE(cr.s, 0) <> 0))
   OR (rp.id IS NULL AND p.holder_type = '' AND (q.id IS NULL OR q.status = 'open')
       AND (q.id IS NULL OR COALESCE(al.s, 0) <> 0 OR COALESCE(cr.s, 0) <> 0))
   OR (rp.id IS NULL AND (p.holder_type <> '' OR q.status = 'assigned')
       AND p.amount <> COALESCE(al.s, 0) + COALESCE(cr.s, 0))
ORDER BY p.id
"""

# 2. No month is paid twice: a due with two live allocations; a person with two live dues of one month that share
# a programme.
PAID_TWICE = f"""
SELECT 'due' AS kind, a.due_id AS ref_id, d.month AS month, COUNT(*) AS n
FROM billing_allocation a JOIN billing_due d ON d.id = a.due_id
WHERE {LIVE_A}
GROUP BY a.due_id, d.month HAVING COUNT(*) > 1
UNION ALL
SELECT 'participant' AS kind, d.participant_id AS ref_id, d.month AS month, COUNT(*) AS n
FROM billing_due d
WHERE {LIVE_D}
GROUP BY d.participant_id, d.month
HAVING SUM(CASE WHEN d.jkk > 0 THEN 1 ELSE 0 END) > 1 OR SUM(CASE WHEN d.jkm > 0 THEN 1 ELSE 0 END) > 1
    OR SUM(CASE WHEN d.jht > 0 THEN 1 ELSE 0 END) > 1 OR SUM(CASE WHEN d.jp > 0 THEN 1 ELSE 0 END) > 1
ORDER BY 2, 3
"""

# 3. No allocation differs from its due: the amount, the holder (the package's person, the enrolment's scheme), or
# the kabupaten (a region's status reads allocations by their own kab_code).
ALLOCATIONS = """
SELECT a.id AS allocation_id, a.due_id, a.amount, d.amount AS due_amount, a.holder_type, a.holder_id
FROM billing_allocation a JOIN billing_due d ON d.id = a.due_id
WHERE a.amount <> d.amount
   OR a.holder_type <> CASE WHEN d.membership_id IS NOT NULL THEN 'P' ELSE 'S' END
   OR a.holder_id <> CASE WHEN d.membership_id IS NOT NULL THEN d.participant_id ELSE COALESCE(d.scheme_id, -1) END
   OR a.kab_code <> d.kab_code
ORDER BY a.id
"""

# 4. Invoices equal their lines: total, count, each line's amount, and lines of the invoice's scheme and month; no
# line names an invoice or a due that does not exist (their keys have no database constraint, models.InvoiceLine).
INVOICES = """
SELECT i.id AS invoice_id, i.number, i.total, i.lines, COALESCE(SUM(l.amount), 0) AS lines_total,
       COUNT(l.id) AS line_count,
       SUM(CASE WHEN l.id IS NOT NULL AND (d.id IS NULL OR l.amount <> d.amount
                OR COALESCE(d.scheme_id, -1) <> i.scheme_id OR d.month <> i.month) THEN 1 ELSE 0 END) AS bad_lines
FROM billing_invoice i
LEFT JOIN billing_invoiceline l ON l.invoice_id = i.id
LEFT JOIN billing_due d ON d.id = l.due_id
GROUP BY i.id, i.number, i.total, i.lines
HAVING i.total <> COALESCE(SUM(l.amount), 0) OR i.lines <> COUNT(l.id)
    OR SUM(CASE WHEN l.id IS NOT NULL AND (d.id IS NULL OR l.amount <> d.amount
           OR COALESCE(d.scheme_id, -1) <> i.scheme_id OR d.month <> i.month) THEN 1 ELSE 0 END) > 0
UNION ALL
SELECT l.invoice_id AS invoice_id, NULL AS number, 0 AS total, 0 AS lines, l.amount AS lines_total, 1 AS line_count,
       1 AS bad_lines
FROM billing_invoiceline l LEFT JOIN billing_invoice i ON i.id = l.invoice_id
WHERE i.id IS NULL
ORDER BY 1
"""

# 5. Reversals cancel exactly what they reverse: the target exists and has the reversal's amount; a voided due
# has no live allocation; a reversed payment has no live allocation.
REVERSALS = f"""
SELECT r.id AS ref_id, r.target_type AS kind, r.target_id AS target_id, r.amount AS amount,
       CASE WHEN COALESCE(p.amount, a.amount, d.amount, c.amount) IS NULL THEN 'missing_target'
            ELSE 'amount' END AS problem
FROM billing_reversal r
LEFT JOIN billing_payment p ON r.target_type = 'payment' AND p.id = r.target_id
LEFT JOIN billing_allocation a ON r.target_type = 'allocation' AND a.id = r.target_id
LEFT JOIN billing_due d ON r.target_type = 'due' AND d.id = r.target_id
LEFT JOIN billing_credit c ON r.target_type = 'credit' AND c.id = r.target_id
WHERE COALESCE(p.amount, a.amount, d.amount, c.amount) IS NULL
   OR r.amount <> COALESCE(p.amount, a.amount, d.amount, c.amount)
UNION ALL
SELECT a.id AS ref_id, 'allocation' AS kind, a.due_id AS target_id, a.amount AS amount,
       'voided_due_paid' AS problem
FROM billing_allocation a JOIN billing_reversal rd ON rd.target_type = 'due' AND rd.target_id = a.due_id
WHERE {LIVE_A}
UNION ALL
SELECT a.id AS ref_id, 'allocation' AS kind, a.payment_id AS target_id, a.amount AS amount,
       'reversed_payment_paid' AS problem
FROM billing_allocation a JOIN billing_reversal rp ON rp.target_type = 'payment' AND rp.target_id = a.payment_id
WHERE {LIVE_A}
ORDER BY 1
"""

# 6. Credit: every holder's balance is >= 0 and equals its live payments less its live allocations (less what
# was refunded from credit). A queued payment counts for the holder it was assigned to.
CREDIT = f"""
WITH sides AS (
  SELECT c.holder_type AS holder_type, c.holder_id AS holder_id, c.amount AS balance, 0 AS expected
  FROM billing_credit c
  UNION ALL
  SELECT CASE WHEN p.holder_type <> '' THEN p.holder_type ELSE q.assigned_holder_type END,
         COALESCE(p.holder_id, q.assigned_holder_id), 0, p.amount
  FROM billing_payment p LEFT JOIN billing_reconciliationitem q ON q.payment_id = p.id
  WHERE {LIVE_P} AND (p.holder_type <> '' OR (q.status = 'assigned' AND q.assigned_holder_type <> ''))
  UNION ALL
  SELECT a.holder_type, a.holder_id, 0, -a.amount FROM billing_allocation a WHERE {LIVE_A}
  UNION ALL
  SELECT c.holder_type, c.holder_id, 0, c.amount FROM billing_credit c WHERE c.kind = 'refunded'
)
SELECT holder_type, holder_id, SUM(balance) AS balance, SUM(expected) AS expected
FROM sides GROUP BY holder_type, holder_id
HAVING SUM(balance) < 0 OR SUM(balance) <> SUM(expected)
ORDER BY holder_type, holder_id
"""

# 7. Dues: the rows it names exist (its keys have no database constraint, models.Due) and its scheme is its
# enrolment's; the amount adds up; a live due's month lies inside its enrolment's or package's period; its kabupaten
# is the payer row's.
DUES = """
SELECT due_id, participant_id, month, amount, problem FROM (
  SELECT d.id AS due_id, d.participant_id AS participant_id, d.month AS month, d.amount AS amount,
         CASE WHEN p.id IS NULL THEN 'missing_participant'
              WHEN (d.enrolment_id IS NOT NULL AND e.id IS NULL) OR (d.membership_id IS NOT NULL AND m.id IS NULL)
                   OR (d.enrolment_id IS NULL AND d.membership_id IS NULL) THEN 'missing_payer'
              WHEN d.run_id IS NOT NULL AND br.id IS NULL THEN 'missing_run'
              WHEN COALESCE(d.scheme_id, -1) <> COALESCE(e.scheme_id, -1) OR (d.scheme_id IS NOT NULL AND s.id IS NULL)
                   THEN 'scheme'
              WHEN d.amount <> d.jkk + d.jkm + d.jht + d.jp OR d.amount <= 0 THEN 'amount'
              WHEN rv.id IS NULL AND e.id IS NOT NULL AND (d.month < e.start_month OR d.month > e.end_month)
                   THEN 'outside_period'
              WHEN rv.id IS NULL AND m.id IS NOT NULL
                   AND (d.month < m.first_month OR (m.last_month IS NOT NULL AND d.month > m.last_month))
                   THEN 'outside_period'
              WHEN d.kab_code <> COALESCE(e.kab_code, m.kab_code) THEN 'kab_code'
         END AS problem
  FROM billing_due d
  LEFT JOIN participants_participant p ON p.id = d.participant_id
  LEFT JOIN funding_enrolment e ON e.id = d.enrolment_id
  LEFT JOIN billing_membership m ON m.id = d.membership_id
  LEFT JOIN funding_scheme s ON s.id = d.scheme_id
  LEFT JOIN billing_billingrun br ON br.id = d.run_id
  LEFT JOIN billing_reversal rv ON rv.target_type = 'due' AND rv.target_id = d.id
) checked
WHERE problem IS NOT NULL
ORDER BY due_id
"""

INVARIANTS = (
    (1, "payments_accounted", _("Setiap pembayaran habis teralokasi, menjadi saldo titipan, atau antre"), PAYMENTS),
    (2, "paid_once", _("Tidak ada bulan yang dibayar dua kali"), PAID_TWICE),
    (3, "allocation_matches_due", _("Setiap alokasi sama dengan iurannya"), ALLOCATIONS),
    (4, "invoice_matches_lines", _("Total tagihan kolektif sama dengan baris-barisnya"), INVOICES),
    (5, "reversals_exact", _("Pembalikan membatalkan tepat yang dibaliknya"), REVERSALS),
    (6, "credit_balances", _("Saldo titipan tidak negatif dan sama dengan pembayaran dikurangi alokasi"), CREDIT),
    (7, "dues_consistent", _("Iuran: jumlah, bulan dalam masa pembayar, kabupaten pembayar"), DUES),
    (8, "standing_matches", _("Ringkasan bulan lunas tiap peserta sama dengan buku besar"), None),
)


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def failures_of(invariants) -> list[Failure]:
    """Run `(number, name, title, sql)` invariants (sql None: the standing check's own); the failing ones, each with
    how many rows offend and the first `SHOWN` of them. Packages above billing run theirs with it too."""
    failures = []
    with connection.cursor() as cursor:
        for number, name, title, sql in invariants:
            params = None
            if sql is None:  # 8: built with the status aggregation's parameters (billing.standing)
                sql, params = standing_check_sql()
            cursor.execute(sql, params)
            names = [col[0] for col in cursor.description]
            rows = cursor.fetchall()
            if rows:
                failures.append(Failure(invariant=number, name=name, title=title, count=len(rows),
                                        rows=[{k: _plain(v) for k, v in zip(names, row, strict=True)}
                                              for row in rows[:SHOWN]]))
    return failures


def ledger_check() -> list[Failure]:
    """The invariants that fail, billing's and those the packages above it register (billing.overlays)."""
    from .overlays import ledger_invariants  # e.g. the agents' cash (issue 14)

    failures = failures_of(INVARIANTS)
    for entry in ledger_invariants:
        failures.extend(entry())
    return failures
