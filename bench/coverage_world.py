"""The world of the coverage benchmark (bench/coverage.py), built set-based on PostgreSQL.

Everything is `INSERT … SELECT` over `generate_series` and the rows already written, with the big tables' secondary
indexes and unique constraints dropped and built again at the end and foreign-key triggers off (`billing.bulk_load`):

- participants 1..N (the id is the series number), spread round robin over the desa asked (`bench_desa`), so every
  desa has about N / desa people and a kabupaten's people are scattered over the table;
- who pays, by the id's last digit: 0-5 a scheme (the APBDes scheme of their desa, one desa in ten has one, else the
  APBD scheme of their kabupaten), 6-8 their own package (JKK+JKM), 9 nobody (registered only);
- how far they paid, by `paid_class` (0..19, scrambled across desa): PAID_CLASSES;
- the current month's dues for everyone with a payer, one earlier due per person at the month their class last paid
  (the months between carry no due: a month nobody pays for is unpaid, as the status rule says), the payments and
  allocations of the paid ones, and `billing_standing` (first and last fully paid month, how many, the payer of
  the last) written from the same classes. `expected_statuses` counts the planted classes and derives each one's
  status in Python (`billing.status.status_by_last_paid`), independently of the SQL the snapshots use;
- ended: one person in a hundred deactivated 40 days ago, one in fifty of segment PU (the employer pays).

Dues carry a flat amount (JKK 10,000 + JKM 6,800): no price is measured here. Scheme payments are one payment per
scheme and month (no invoice rows: nothing measured reads them); the ledger check is not run.
"""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

from billing import bulk_load
from common import say

FIRST = ("Siti", "Agus", "Budi", "Dewi", "Eko", "Fitri", "Hadi", "Indah", "Joko", "Kartini", "Lina", "Made",
         "Nur", "Putu", "Rina", "Slamet", "Tri", "Wayan", "Yusuf", "Yanti")
LAST = ("Lestari", "Santoso", "Wahyudi", "Rahmawati", "Saputra", "Hidayat", "Susanti", "Pratama", "Kurniawan",
        "Sari", "Setiawan", "Utami", "Nugroho", "Wulandari", "Gunawan")
ROLES = ("vulnerable_worker",) * 14 + ("rt_head", "rt_head", "rw_head", "posyandu_cadre", "pkk_cadre", "linmas")
JKK, JKM = 10_000, 6_800
# paid_class -> (months back of the earlier paid due: None = none; whether this month's due is paid). Class 0..10:
# paid this month and an earlier month 1..12 back (by id % 12); 11..13: paid last month only; 14..15: three months
# back only; 16..17: six months back only; 18..19: nothing paid.
PAID_CLASSES = {**{c: ("first", True) for c in range(11)}, **{c: (1, False) for c in (11, 12, 13)},
                **{c: (3, False) for c in (14, 15)}, **{c: (6, False) for c in (16, 17)},
                **{c: (None, False) for c in (18, 19)}}
SCHEME_DIGITS, SELF_DIGITS = range(6), range(6, 9)


def paid_class_sql(column: str) -> str:
    return f"mod(mod((({column}) / 10) * 37, 101), 20)"


def back_sql(column: str) -> str:
    """Months back of the person's earlier paid due (NULL: none), as PAID_CLASSES says."""
    c = paid_class_sql(column)
    return (f"CASE WHEN {c} <= 10 THEN 1 + mod({column}, 12) WHEN {c} <= 13 THEN 1 WHEN {c} <= 15 THEN 3"
            f" WHEN {c} <= 17 THEN 6 END")


def paid_now_sql(column: str) -> str:
    return f"({paid_class_sql(column)} <= 10)"


def _defaults(model, overrides: dict) -> tuple[list[str], list[str], list]:
    """Columns, SQL expressions and parameters for an INSERT … SELECT into `model`'s table: `overrides` (column ->
    SQL expression) and every other column's model default as a parameter (`%s::<type>`)."""
    from django.db import connection

    columns, exprs, params = [], [], []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.column not in overrides:
            continue
        columns.append(f.column)
        if f.column in overrides:
            exprs.append(overrides[f.column])
            continue
        value = f.get_default()  # '' for a text column without a default
        if value is None and not f.null:
            raise SystemExit(f"bench/coverage_world.py: {model._meta.db_table}.{f.column} has no default: "
                             f"give it a value")
        if f.get_internal_type() == "JSONField":
            value = json.dumps(value)
        exprs.append(f"%s::{f.db_type(connection)}")
        params.append(value)
    return columns, exprs, params


def insert_select(cursor, model, overrides: dict, tail: str, params: dict | None = None) -> int:
    columns, exprs, defaults = _defaults(model, overrides)
    named = {f"d{i}": v for i, v in enumerate(defaults)}
    k = iter(range(len(defaults)))
    select = ", ".join(e.replace("%s", f"%(d{next(k)})s", 1) if e.startswith("%s::") else e for e in exprs)
    cursor.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {select} {tail}",
                   {**named, **(params or {})})
    return cursor.rowcount


def desa_codes(kabupaten: int | None) -> list[str]:
    """Every current desa (kabupaten None), or the desa of `kabupaten` kabupaten spread over the country."""
    from jamsosdesa.core.regioncodes import Level
    from jamsosdesa.regions.models import Region

    codes = list(Region.objects.filter(level=Level.DESA, is_historical=False).order_by("code")
                 .values_list("code", flat=True))
    if kabupaten is None:
        return codes
    kabs = sorted({c[:5] for c in codes})
    chosen = {kabs[i * len(kabs) // kabupaten] for i in range(kabupaten)}
    return [c for c in codes if c[:5] in chosen]


def build(rows: int, desa: list[str], month: date, today: date) -> dict:
    """The world (see the module's text) in an empty migrated database with its regions; seconds per step."""
    from django.db import connection, transaction

    from jamsosdesa.billing.models import Allocation, Due, Membership, Payment
    from jamsosdesa.billing.standing import payer_bit_sql
    from jamsosdesa.funding.models import Enrolment, Scheme
    from jamsosdesa.participants.models import Participant

    steps = {}
    p = {"m": month, "first": date(month.year - 2, month.month, 1), "last": date(month.year + 1, month.month, 1),
         "nd": len(desa), "rows": rows, "created": today - timedelta(days=900), "jkk": JKK, "jkm": JKM}

    def step(name, began):
        steps[name] = round(time.perf_counter() - began, 1)
        say(f"  {name}: {steps[name]} s")

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_desa (n int PRIMARY KEY, code varchar(13) NOT NULL)")
        with cursor.copy("COPY bench_desa (n, code) FROM STDIN") as copy:
            for n, code in enumerate(desa):
                copy.write_row((n, code))
        cursor.execute("ANALYZE bench_desa")

    began = time.perf_counter()
    first = "(ARRAY[" + ", ".join(f"'{x}'" for x in FIRST) + "])"
    last = "(ARRAY[" + ", ".join(f"'{x}'" for x in LAST) + "])"
    roles = "(ARRAY[" + ", ".join(f"'{x}'" for x in ROLES) + "])"
    name = f"{first}[1 + mod(g.i, 20)] || ' ' || {last}[1 + mod(g.i / 20, 15)]"
    with transaction.atomic(), connection.cursor() as cursor, bulk_load(cursor, Participant._meta.db_table):
        insert_select(cursor, Participant, {
            "id": "g.i", "nik": "lpad((3000000000000000 + g.i)::text, 16, '0')", "full_name": name,
            "search_name": f"upper({name})",
            "birth_date": "make_date(1966 + mod(g.i, 40), 1 + mod(g.i, 12), 1 + mod(g.i, 28))",
            "sex": "CASE WHEN mod(g.i, 2) = 1 THEN 'L' ELSE 'P' END", "desa_code": "d.code",
            "kec_code": "left(d.code, 8)", "kab_code": "left(d.code, 5)",
            "segment": "CASE mod(g.i, 50) WHEN 7 THEN 'PU' WHEN 13 THEN 'JAKON' WHEN 17 THEN 'PMI' ELSE 'BPU' END",
            "village_role": f"{roles}[1 + mod(g.i * 7, 20)]", "channel": "'import'",
            "created_at": "%(created)s::timestamptz + mod(g.i, 600) * interval '1 day'",
            "updated_at": "%(created)s::timestamptz + mod(g.i, 600) * interval '1 day'",
            "is_active": "mod(g.i, 100) <> 1",
            "deactivated_at": "CASE WHEN mod(g.i, 100) = 1 THEN now() - interval '40 days' END",
            "deactivation_reason": "CASE WHEN mod(g.i, 100) = 1 THEN 'other' ELSE '' END",
            "kpj": "NULL", "client_token": "NULL", "registered_by_id": "NULL", "occupation_id": "NULL",
        }, "FROM generate_series(1, %(rows)s) g(i) JOIN bench_desa d ON d.n = mod(g.i - 1, %(nd)s)", p)
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Participant._meta.db_table, rows])
    step("participants", began)

    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        scheme_cols = {
            "payer_type": "'apbd'", "apbdes_source": "''", "payer_name": "'Pemda ' || k.kab",
            "owner_code": "k.kab", "name": "'APBD ' || k.kab", "legal_basis_number": "'Perbup ' || k.kab",
            "legal_basis_date": "%(first)s::date", "programmes": "'[\"JKK\", \"JKM\"]'::jsonb",
            "programme_mask": "3", "start_month": "%(first)s::date", "end_month": "%(last)s::date",
            "budget_ceiling": "1000000000000", "created_at": "now()", "created_by_id": "NULL",
            "quota_per_desa": "NULL"}
        insert_select(cursor, Scheme, scheme_cols,
                      "FROM (SELECT DISTINCT left(code, 5) AS kab FROM bench_desa) k ORDER BY k.kab", p)
        insert_select(cursor, Scheme, {
            **scheme_cols, "payer_type": "'apbdes'", "apbdes_source": "'dana_desa'",
            "payer_name": "'Pemdes ' || k.kab", "name": "'APBDes ' || k.kab",
            "legal_basis_number": "'Perdes ' || k.kab", "budget_ceiling": "10000000000"},
            "FROM (SELECT code AS kab FROM bench_desa WHERE mod(n, 10) = 0) k ORDER BY k.kab", p)
        cursor.execute("CREATE TABLE bench_payer AS SELECT owner_code AS code, id AS scheme_id, payer_type "
                       "FROM funding_scheme")
        cursor.execute("CREATE UNIQUE INDEX ON bench_payer (code)")
        cursor.execute("ANALYZE bench_payer")
        with bulk_load(cursor, Enrolment._meta.db_table, Membership._meta.db_table):
            enrolled = insert_select(cursor, Enrolment, {
                "scheme_id": "COALESCE(dp.scheme_id, kp.scheme_id)", "participant_id": "p.id",
                "desa_code": "p.desa_code", "kab_code": "p.kab_code", "start_month": "%(first)s::date",
                "end_month": "%(last)s::date", "cost": "0", "batch_id": "NULL", "enrolled_by_id": "NULL",
                "created_at": "now()", "ended_at": "NULL", "ended_by_id": "NULL"},
                "FROM participants_participant p JOIN bench_payer kp ON kp.code = p.kab_code "
                "LEFT JOIN bench_payer dp ON dp.code = p.desa_code WHERE mod(p.id, 10) < 6", p)
            members = insert_select(cursor, Membership, {
                "participant_id": "p.id", "kab_code": "p.kab_code", "desa_code": "p.desa_code",
                "segment": "'BPU'", "programmes": "'[\"JKK\", \"JKM\"]'::jsonb", "programme_mask": "3",
                "income": "1000000", "first_month": "%(first)s::date", "last_month": "NULL",
                "agent_id": "NULL", "channel": "'cli'", "replaces_id": "NULL", "started_by_id": "NULL",
                "created_at": "now()", "ended_at": "NULL", "ended_by_id": "NULL"},
                "FROM participants_participant p WHERE mod(p.id, 10) BETWEEN 6 AND 8", p)
    step("schemes, enrolments and packages", began)

    began = time.perf_counter()
    due = {"participant_id": "x.pid", "kab_code": "x.kab_code", "desa_code": "x.desa_code", "month": "x.month",
           "enrolment_id": "x.enrolment_id", "membership_id": "x.membership_id", "scheme_id": "x.scheme_id",
           "payer_type": "x.payer_type", "segment": "'BPU'", "sector": "'umum'", "programme_mask": "3",
           "income": "1000000", "jkk": "%(jkk)s", "jkm": "%(jkm)s", "jht": "0", "jp": "0", "discount": "0",
           "amount": "%(jkk)s + %(jkm)s", "run_id": "NULL", "created_at": "now()"}
    payers = """
      SELECT e.participant_id AS pid, e.kab_code, e.desa_code, e.id AS enrolment_id, NULL::bigint AS membership_id,
             e.scheme_id, s.payer_type FROM funding_enrolment e JOIN funding_scheme s ON s.id = e.scheme_id
      UNION ALL
      SELECT m.participant_id, m.kab_code, m.desa_code, NULL, m.id, NULL, 'self' FROM billing_membership m"""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        with bulk_load(cursor, Due._meta.db_table):
            dues_now = insert_select(cursor, Due, due, f"FROM (SELECT y.*, %(m)s::date AS month FROM ({payers}) y) x",
                                     p)
            dues_before = insert_select(
                cursor, Due, due,
                f"FROM (SELECT y.*, (%(m)s::date - ({back_sql('y.pid')}) * interval '1 month')::date AS month "
                f"FROM ({payers}) y WHERE {back_sql('y.pid')} IS NOT NULL) x", p)
    step(f"dues: {dues_now:,} this month, {dues_before:,} earlier", began)

    began = time.perf_counter()
    paid = f"(d.month < %(m)s OR {paid_now_sql('d.participant_id')})"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        with bulk_load(cursor, Payment._meta.db_table, Allocation._meta.db_table):
            pay_cols, pay_exprs, pay_defaults = _defaults(Payment, {
                "channel": "'agent'", "source": "'entry'", "external_reference": "'COV-' || d.id",
                "reinstatement_no": "0", "idempotency_key": "NULL", "request_hash": "'bench-coverage'",
                "amount": "d.amount", "paid_on": "d.month + 9", "received_at": "(d.month + 9)::timestamptz",
                "target_kind": "'person'", "participant_id": "d.participant_id", "invoice_id": "NULL",
                "holder_type": "'P'", "holder_id": "d.participant_id", "kab_code": "d.kab_code",
                "desa_code": "d.desa_code", "statement_id": "NULL", "statement_row": "NULL", "agent_id": "NULL",
                "recorded_by_id": "NULL", "note": "'bench coverage'"})
            assert not pay_defaults, pay_defaults
            cursor.execute(f"""
                WITH pay AS (
                  INSERT INTO billing_payment ({", ".join(pay_cols)})
                  SELECT {", ".join(pay_exprs)} FROM billing_due d WHERE d.membership_id IS NOT NULL AND {paid}
                  RETURNING id, external_reference, amount, holder_id, kab_code, received_at)
                INSERT INTO billing_allocation (due_id, seq, amount, payment_id, holder_type, holder_id, kab_code,
                                                origin, run_id, created_by_id, created_at)
                SELECT substr(pay.external_reference, 5)::bigint, 0, pay.amount, pay.id, 'P', pay.holder_id,
                       pay.kab_code, 'payment', NULL, NULL, pay.received_at FROM pay""", p)
            self_paid = cursor.rowcount
            scheme_pay = {**dict(zip(pay_cols, pay_exprs, strict=True)),
                          "channel": "'bank'", "external_reference": "'COV-S-' || d.scheme_id || '-' || d.month",
                          "amount": "SUM(d.amount)", "target_kind": "'invoice'", "participant_id": "NULL",
                          "holder_type": "'S'", "holder_id": "d.scheme_id", "kab_code": "MIN(d.kab_code)",
                          "desa_code": "''"}
            cursor.execute(f"""
                INSERT INTO billing_payment ({", ".join(scheme_pay)})
                SELECT {", ".join(scheme_pay.values())} FROM billing_due d
                WHERE d.enrolment_id IS NOT NULL AND {paid} GROUP BY d.scheme_id, d.month""", p)
            cursor.execute(f"""
                INSERT INTO billing_allocation (due_id, seq, amount, payment_id, holder_type, holder_id, kab_code,
                                                origin, run_id, created_by_id, created_at)
                SELECT d.id, 0, d.amount, y.id, 'S', d.scheme_id, d.kab_code, 'payment', NULL, NULL, y.received_at
                FROM billing_due d JOIN billing_payment y
                  ON y.external_reference = 'COV-S-' || d.scheme_id || '-' || d.month AND y.channel = 'bank'
                WHERE d.enrolment_id IS NOT NULL AND {paid}""", p)
            scheme_paid = cursor.rowcount
        # the standing cache from the same classes: people with a payer and something paid (the earlier month, and
        # this month for some); one payer a person, so the last paid month's payers are their enrolment's or 'self'
        cursor.execute(f"""
            INSERT INTO billing_standing (participant_id, first_paid, last_paid, paid_months, last_paid_payers)
            SELECT p.id, (%(m)s::date - ({back_sql('p.id')}) * interval '1 month')::date,
                   CASE WHEN {paid_now_sql('p.id')} THEN %(m)s::date
                        ELSE (%(m)s::date - ({back_sql('p.id')}) * interval '1 month')::date END,
                   CASE WHEN {paid_now_sql('p.id')} THEN 2 ELSE 1 END,
                   {payer_bit_sql("COALESCE(s.payer_type, 'self')")}
            FROM participants_participant p
            LEFT JOIN funding_enrolment e ON e.participant_id = p.id
            LEFT JOIN funding_scheme s ON s.id = e.scheme_id
            WHERE mod(p.id, 10) < 9 AND {back_sql('p.id')} IS NOT NULL""", p)
        standing = cursor.rowcount
    step(f"payments: {self_paid:,} own dues and {scheme_paid:,} scheme dues allocated; {standing:,} standing rows",
         began)

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_payer")
        cursor.execute("VACUUM (ANALYZE)")
    step("VACUUM ANALYZE", began)
    return {"steps": steps, "enrolled": enrolled, "members": members, "dues": dues_now + dues_before,
            "allocations": self_paid + scheme_paid, "standing": standing}


def expected_statuses(today: date, kab: str | None = None) -> dict[str, int]:
    """The statuses the planted classes give on `today` (the nation, or one kabupaten): the people counted per class
    in SQL, each class's status derived in Python by `billing.status.status_by_last_paid`."""
    from django.db import connection

    from jamsosdesa.billing.status import STATUSES, Deadline, status_by_last_paid
    from jamsosdesa.core.months import add_months

    month = today.replace(day=1)
    cutoff = Deadline.from_settings().cutoff(today)
    where, params = ("WHERE p.kab_code = %s", [kab]) if kab else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT mod(p.id, 10) < 9, {paid_class_sql('p.id')}, mod(p.id, 12),
                   NOT p.is_active OR p.segment = 'PU', COUNT(*)
            FROM participants_participant p {where} GROUP BY 1, 2, 3, 4""", params)
        groups = cursor.fetchall()
    out = dict.fromkeys(STATUSES, 0)
    for billed, klass, mod12, ended, n in groups:
        back, paid_now = PAID_CLASSES[klass]
        if back == "first":
            back = 1 + mod12
        if not billed or back is None:
            first_paid = last_paid = None
        else:
            first_paid = add_months(month, -back)
            last_paid = month if paid_now else first_paid
        status, _k = status_by_last_paid(last_paid, first_paid, today, cutoff, ended=ended)
        out[status] += n
    return out


def expected_for(participant_id: int, today: date, *, ended: bool) -> str:
    """The planted status of one person (for the sample compared with `status_of`)."""
    from jamsosdesa.billing.status import Deadline, status_by_last_paid
    from jamsosdesa.core.months import add_months

    month = today.replace(day=1)
    back, paid_now = PAID_CLASSES[(participant_id // 10) * 37 % 101 % 20]
    if back == "first":
        back = 1 + participant_id % 12
    if participant_id % 10 == 9 or back is None:
        first_paid = last_paid = None
    else:
        first_paid = add_months(month, -back)
        last_paid = month if paid_now else first_paid
    return status_by_last_paid(last_paid, first_paid, today, Deadline.from_settings().cutoff(today), ended=ended)[0]
