"""Billing benchmark (issue 12): a world of covered participants with 12 months of history on PostgreSQL, then
measured parts.

    .venv/bin/python bench/billing.py                     # 1,000,000 covered, --part run (target: < 30 s)
    .venv/bin/python bench/billing.py --part run --part statements --part status --part worklists   # every target
    .venv/bin/python bench/billing.py --quick             # 20,000 covered, 3 months of history: a smoke run
    .venv/bin/python bench/billing.py --part run --part payments   # parts in order, on one world
    .venv/bin/python bench/billing.py --pg-url postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_billing
    .venv/bin/python bench/billing.py --keep-db --reuse   # the world of a kept database again, history re-billed

The world (built once, in a fresh database dropped at the end unless --keep-db): all regions; `--covered`
participants over 2,000 desa in 40 kabupaten, loaded with COPY (10 % transport workers), all registered before the
first month of history; 70 % paid by a scheme (an APBD scheme per kabupaten, to three months ahead, and an APBDes
scheme for one desa in ten, ending this month, next month or the month after: the lapse forecast's people), 30 %
paying their own package (JKK+JKM or JKK+JKM+JHT, several incomes), and one scheme-paid person in a hundred who also
has a package with JHT (billed for JHT only). Enrolments and packages start `--history` months back (default 12).

History (`build_history`): the `--history` months before this one billed by the real `billing_run` (dues, invoices,
lines, audit events) with `--history-by run`; by default (`copy`: twelve runs of the full world take 6-16 minutes)
only the first month of each stretch of equal prices is billed by the run, and its rows are copied set-based to the
next months (dues, runs, invoices, lines, audit events; `same_prices` checks every combination's
price is the same in those months). Then paid set-based as the one-payment path records it: a payment per self-paid
due (at the branch office) and one per scheme invoice, each with an allocation per due and nothing left as credit.
Self-payers are 65 % up to date, 10 % a month behind, 10 % two, 5 % three, 5 % five, 5 % never paid
(SELF_PAID_BACK); schemes pay up to last month, two in ten a month late, one in ten two (SCHEME_PAID_BACK). The
standing cache is then rebuilt (`billing.standing.standing_rebuild`, when the code has it) and `ledger_check()` must
be empty.

Parts: `run` is built in (below); any other part is a plug-in module `bench/billing_<part>.py` exposing
`measure(ctx) -> dict` (its figures; `ctx` is a `Context`: the world, the admin, the month, `ctx.run_month(m)`
to bill a month, `ctx.planted_paid(...)` what the history planted, `ctx.checks` to assert, `ctx.say`). Each part's
dict is printed in the summary table. After each part `ledger_check()` runs and must be empty, unless the module
says `LEDGER = "own"` (it checks the ledger itself after each of its steps) or `LEDGER = "read-only"` (it writes
nothing): `payments`, `statements` (own), `status`, `worklists` (read-only).

Part `run`: one month's billing run (`billing.services.run.billing_run`) over the whole world, timed; the same
month again (idempotent: nothing new); then the naive per-participant way on `--naive` people of the next
month (for each: price with `billing.pricing.price`, then `Due.objects.create`), and the ratio of rows/s.

Checked (exit 1 on any difference): the run's dues per payer kind against the planted people; the amount billed
against an independent sum (planted counts per combination × `price`, less the programmes a scheme pays);
one invoice per scheme, their lines and totals equal to the scheme dues; the audit events (one run event, one
per invoice); the second run creates nothing; the naive loop wrote its rows.
"""

import argparse
import importlib
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from common import Checks, django_env, exit_on_sigterm, pg_database, run_note, say  # noqa: E402

TARGET_SECONDS = 30.0
TARGET_ROWS = 1_000_000
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_billing"
KABUPATEN, DESA = 40, 2000
HISTORY = 12  # months billed and paid before the month measured
QUICK_HISTORY = 3
REGISTERED_OVER_DAYS = 600  # participants registered over the ~600 days before the first month of history
FIRST = ("Siti", "Agus", "Budi", "Dewi", "Eko", "Fitri", "Hadi", "Indah", "Joko", "Kartini", "Lina", "Made",
         "Nur", "Putu", "Rina", "Slamet", "Tri", "Wayan", "Yusuf", "Yanti")
LAST = ("Lestari", "Santoso", "Wahyudi", "Rahmawati", "Saputra", "Hidayat", "Susanti", "Pratama", "Kurniawan",
        "Sari", "Setiawan", "Utami", "Nugroho", "Wulandari", "Gunawan")
INCOMES = (1_000_000, 1_500_000, 2_000_000, 3_000_000)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Context:
    """What a part gets: the built world and the tools to measure it."""

    args: argparse.Namespace
    admin: object
    month: date
    planted: dict
    checks: Checks
    say: object = say
    figures: dict = field(default_factory=dict)

    def run_month(self, month: date, progress=None):
        from jamsosdesa.billing.services.run import billing_run

        return billing_run(actor=self.admin, month=month, progress=progress)

    @property
    def history(self) -> int:
        return self.planted.get("history", 0)

    def planted_paid(self, participant_id: int, scheme_id: int | None, has_package: bool):
        """(first, last) fully paid month the history planted for a person (see `planted_paid`)."""
        return planted_paid(participant_id, scheme_id, has_package, self.month, self.history)

    def ledger_check(self, step: str) -> float:
        """`ledger_check()` after a step of the benchmark, checked empty; seconds taken."""
        return ledger_step(self.checks, step)


def ledger_step(checks: Checks, step: str) -> float:
    from jamsosdesa.billing.check import ledger_check

    start = time.perf_counter()
    failures = ledger_check()
    seconds = time.perf_counter() - start
    checks.expect(f"ledger check after {step} ({seconds:.1f} s)",
                  [(f.invariant, f.name, f.count, f.rows[:2]) for f in failures], [])
    return seconds


# --- the world ----------------------------------------------------------------------------------------------


def pick_desa(kabupaten: int, desa: int) -> dict[str, list[str]]:
    """`kabupaten` kabupaten spread over the country, `desa` desa in all spread over each one. Deterministic."""
    from jamsosdesa.core.regioncodes import Level
    from jamsosdesa.regions.models import Region

    per_kab = -(-desa // kabupaten)
    by_kab: dict[str, list[str]] = {}
    for code in (Region.objects.filter(level=Level.DESA, is_historical=False).order_by("code")
                 .values_list("code", flat=True)):
        by_kab.setdefault(code[:5], []).append(code)
    eligible = [kab for kab, codes in sorted(by_kab.items()) if len(codes) >= per_kab]
    chosen = [eligible[i * len(eligible) // kabupaten] for i in range(kabupaten)]
    plan = {}
    for kab in chosen:
        codes = by_kab[kab]
        plan[kab] = [codes[j * len(codes) // per_kab] for j in range(per_kab)]
    return plan


def load_participants(desa: list[str], rows: int, registered_by: datetime) -> float:
    """COPY `rows` participants spread over `desa`, registered over the REGISTERED_OVER_DAYS days before
    `registered_by` (secondary indexes dropped and rebuilt); seconds taken."""
    from django.db import connection, transaction

    from jamsosdesa.participants.models import Participant

    table = Participant._meta.db_table
    fields = [f for f in Participant._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    defaults = {}
    for f in fields:
        value = f.get_default()
        defaults[f.column] = json.dumps(value) if f.get_internal_type() == "JSONField" else value
    step = timedelta(seconds=max(1, 60 * 60 * 24 * REGISTERED_OVER_DAYS // max(rows, 1)))
    created_from = registered_by - rows * step
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check each row's foreign keys during COPY, not queued
        cursor.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                          WHERE i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                              WHERE c.conindid = quote_ident(i.indexname)::regclass)""", [table])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for i in range(rows):
                code = desa[i % len(desa)]
                name = f"{FIRST[i % 20]} {LAST[(i // 20) % 15]}"
                created = created_from + i * step
                row = {**defaults, "nik": f"{3_000_000_000_000_000 + i:016d}", "full_name": name,
                       "search_name": name.upper(), "birth_date": date(1970 + i % 35, 1 + i % 12, 1 + i % 28),
                       "sex": "L" if i % 2 else "P", "desa_code": code, "kec_code": code[:8], "kab_code": code[:5],
                       "segment": "BPU", "sector": "transportasi" if i % 10 == 9 else "umum",
                       "sector_source": "occupation", "village_role": "vulnerable_worker", "created_at": created,
                       "updated_at": created, "is_active": True, "kpj": None, "client_token": None,
                       "registered_by_id": None, "occupation_id": None, "deactivated_at": None}
                copy.write_row([row[c] for c in columns])
        for _name, definition in indexes:
            cursor.execute(definition)
    return time.perf_counter() - start


def scheme_end_offset(n: int) -> int:
    """The APBDes scheme number n (by desa code) ends this month, next month or the month after (round robin), so the
    lapse forecast at 30/60/90 days has people; the APBD schemes end three months ahead (outside every window)."""
    return n % 3


def build_world(covered: int, month: date, history: int) -> dict:
    """Participants, schemes, enrolments and packages (see the module's text); returns what was planted."""
    from django.db import connection

    from jamsosdesa.billing.services.run import _local_start
    from jamsosdesa.core.months import add_months
    from jamsosdesa.funding.models import Scheme
    from jamsosdesa.regions.loader import regions_load

    start = time.perf_counter()
    regions_load()
    plan = pick_desa(KABUPATEN, DESA)
    desa = [code for codes in plan.values() for code in codes]
    say(f"Regions loaded; {covered:,} participants over {len(desa):,} desa in {len(plan)} kabupaten ...")
    first = add_months(month, -max(history, 2))  # two months back at least, as before history was added
    copy_s = load_participants(desa, covered, registered_by=_local_start(first) - timedelta(days=1))
    say(f"  COPY {copy_s:.1f} s")
    last = add_months(month, 3)
    basis = add_months(first, -1)
    schemes = {}
    for kab in plan:
        schemes[kab] = (Scheme.objects.create(
            name=f"APBD {kab}", payer_type="apbd", owner_region_id=kab, legal_basis_number=f"Perbup {kab}",
            legal_basis_date=basis, programmes=["JKK", "JKM"], start_month=first, end_month=last,
            budget_ceiling=10**12).pk, last)
    for n, code in enumerate(desa[::10]):
        end = add_months(month, scheme_end_offset(n))
        schemes[code] = (Scheme.objects.create(
            name=f"APBDes {code}", payer_type="apbdes", apbdes_source="dana_desa", owner_region_id=code,
            legal_basis_number=f"Perdes {code}", legal_basis_date=basis, programmes=["JKK", "JKM"],
            start_month=first, end_month=end, budget_ceiling=10**10).pk, end)
    params = {"first": first}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_payer (code varchar(13) PRIMARY KEY, scheme_id bigint, last date)")
        cursor.executemany("INSERT INTO bench_payer VALUES (%s, %s, %s)",
                           [(code, pk, end) for code, (pk, end) in schemes.items()])
        cursor.execute("""
            INSERT INTO funding_enrolment (scheme_id, participant_id, desa_code, kab_code, start_month, end_month, cost,
                                           batch_id, enrolled_by_id, created_at, ended_at, ended_by_id, end_reason,
                                           end_note)
            SELECT COALESCE(d.scheme_id, k.scheme_id), p.id, p.desa_code, p.kab_code, %(first)s,
                   COALESCE(d.last, k.last), 0, NULL, NULL, now(), NULL, NULL, '', ''
            FROM participants_participant p
            JOIN bench_payer k ON k.code = p.kab_code
            LEFT JOIN bench_payer d ON d.code = p.desa_code
            WHERE p.id %% 10 < 7""", params)
        enrolled = cursor.rowcount
        # the worker's own packages: 30 %, and one scheme-paid person in 100 adding JHT of their own
        cursor.execute("""
            INSERT INTO billing_membership (participant_id, kab_code, desa_code, segment, programmes, programme_mask,
                                            income, first_month, last_month, agent_id, channel, replaces_id,
                                            started_by_id, created_at, ended_at, ended_by_id, end_reason)
            SELECT p.id, p.kab_code, p.desa_code, 'BPU',
                   CASE WHEN p.id %% 100 = 0 OR p.id %% 3 = 0 THEN '["JKK", "JKM", "JHT"]'::jsonb
                        ELSE '["JKK", "JKM"]'::jsonb END,
                   CASE WHEN p.id %% 100 = 0 OR p.id %% 3 = 0 THEN 7 ELSE 3 END,
                   (ARRAY[%(i0)s, %(i1)s, %(i2)s, %(i3)s]::bigint[])[1 + p.id %% 4], %(first)s, NULL, NULL, 'cli', NULL,
                   NULL, now(), NULL, NULL, ''
            FROM participants_participant p WHERE p.id %% 10 >= 7 OR p.id %% 100 = 0""",
                       {**params, **{f"i{n}": v for n, v in enumerate(INCOMES)}})
        members = cursor.rowcount
        cursor.execute("DROP TABLE bench_payer")
        cursor.execute("VACUUM (ANALYZE)")
    seconds = time.perf_counter() - start
    say(f"World built in {seconds:.1f} s: {enrolled:,} enrolments in {len(schemes)} schemes, {members:,} packages.")
    return {"covered": covered, "enrolled": enrolled, "members": members, "schemes": len(schemes),
            "history": history, "build_s": round(seconds, 1), "copy_s": round(copy_s, 1)}


@contextmanager
def bulk_load(cursor, *tables: str):
    """For the block (inside a transaction): the tables' secondary indexes and unique constraints dropped and built
    again at the end, and foreign-key triggers off (`session_replication_role = replica`: the rows written come from
    joins of the rows they name). What a bulk load of history rows costs is then the rows, not per-row index and
    key-check work: ~40-80 µs a row on this machine otherwise, half an hour for the full world's history."""
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute("SET LOCAL session_replication_role = replica")
    rebuild = []
    for table in tables:
        cursor.execute("""
            SELECT i.indexname, i.indexdef, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_indexes i
            LEFT JOIN pg_constraint c ON c.conindid = quote_ident(i.indexname)::regclass AND c.contype IN ('u', 'x')
            WHERE i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                WHERE k.conindid = quote_ident(i.indexname)::regclass AND k.contype = 'p')""", [table])
        for name, definition, constraint, condef in cursor.fetchall():
            if constraint:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
                rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {condef}')
            else:
                cursor.execute(f'DROP INDEX "{name}"')
                rebuild.append(definition)
    yield
    for statement in rebuild:
        cursor.execute(statement)
    cursor.execute("SET LOCAL session_replication_role = origin")


def same_prices(first: date, months: list[date]) -> list[date]:
    """The months of `months` whose price of every combination billed in `first` (scheme dues, and packages less
    what a scheme pays) equals `first`'s, so that `first`'s dues copied to them are what a run would write."""
    from django.db import connection

    from jamsosdesa.billing.pricing import Combo, price
    from jamsosdesa.contributions.book import rate_book

    book = rate_book()
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT DISTINCT s.segment, s.programme_mask, s.income_nominal, s.payer_type, p.sector, 0
            FROM funding_enrolment e JOIN funding_scheme s ON s.id = e.scheme_id
            JOIN participants_participant p ON p.id = e.participant_id
            WHERE e.start_month <= %s AND e.end_month >= %s
            UNION
            SELECT DISTINCT m.segment, m.programme_mask, m.income, 'self', p.sector, COALESCE(c.cov, 0)
            FROM billing_membership m JOIN participants_participant p ON p.id = m.participant_id
            LEFT JOIN (SELECT e.participant_id, SUM(s.programme_mask) AS cov FROM funding_enrolment e
                       JOIN funding_scheme s ON s.id = e.scheme_id
                       WHERE e.start_month <= %s AND e.end_month >= %s GROUP BY e.participant_id) c
                   ON c.participant_id = m.participant_id""", [first] * 4)
        combos = cursor.fetchall()

    def prices(month):
        out = []
        for segment, mask, income, payer, sector, cov in combos:
            priced = price(book, month, Combo(segment, mask, income, payer, sector)).without(cov)
            out.append((priced.jkk, priced.jkm, priced.jht, priced.jp, priced.discount, priced.total, priced.error))
        return out

    base = prices(first)
    return [m for m in months if prices(m) == base]


def copy_months(admin, groups: list[tuple[date, list[date]]]) -> dict:
    """For each (first, months) of `groups`: `first`'s dues, run, invoices, lines and audit events written again for
    each of `months`, set-based, as a billing run of that month writes them (`same_prices` has checked the prices;
    the same people are covered in every month of history: enrolments and packages from the first month of history,
    everyone registered before it). One bulk load for all (indexes built once)."""
    from django.db import connection, transaction

    from jamsosdesa.billing.models import BillingRun, Invoice
    from jamsosdesa.billing.services.run import invoice_number
    from jamsosdesa.core.audit import AuditBatch, audit_record
    from jamsosdesa.core.models import AuditEventType

    figures = {}
    columns = ("participant_id", "kab_code", "desa_code", "enrolment_id", "membership_id", "scheme_id", "payer_type",
               "segment", "sector", "programme_mask", "income", "jkk", "jkm", "jht", "jp", "discount", "amount")
    start = time.perf_counter()
    with transaction.atomic():
        runs, source_of = {}, {}
        for first, months in groups:
            source = BillingRun.objects.get(month=first, status="done")
            for m in months:
                source_of[m] = first
                runs[m] = BillingRun.objects.create(
                    month=m, status="done", created_by=admin, started_at=source.started_at,
                    finished_at=source.finished_at, kab_done=source.kab_done, dues_created=source.dues_created,
                    invoices_created=source.invoices_created, amount_billed=source.amount_billed,
                    skipped=source.skipped, summary={**source.summary, "month": f"{m:%Y-%m}"})
        dues = 0
        with connection.cursor() as cursor, bulk_load(cursor, "billing_due"):
            cols = ", ".join(columns)
            for m, run in runs.items():  # a month at a time, in order: each month's rows together, as a run writes
                cursor.execute(f"""
                    INSERT INTO billing_due ({cols}, month, run_id, created_at)
                    SELECT {", ".join("d." + c for c in columns)}, %s, %s, now()
                    FROM billing_due d WHERE d.month = %s""", [m, run.pk, source_of[m]])
                dues += cursor.rowcount
                say(f"    {m:%Y-%m}: {cursor.rowcount:,} dues copied from {source_of[m]:%Y-%m}, "
                    f"{time.perf_counter() - start:.0f} s")
        figures["dues_copied"] = dues
        figures["dues_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        made = []
        for first, months in groups:
            invoices = list(Invoice.objects.filter(month=first).order_by("pk"))
            made += Invoice.objects.bulk_create([
                Invoice(scheme_id=i.scheme_id, month=m, seq=i.seq, number=invoice_number(i.scheme_id, m, i.seq),
                        kab_code=i.kab_code, payer_type=i.payer_type, payer_name=i.payer_name, lines=i.lines,
                        total=i.total, run=runs[m], issued_at=i.issued_at) for m in months for i in invoices])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE billing_due")
            cursor.execute("ANALYZE billing_invoice")
            cursor.execute("CREATE TEMP TABLE bench_months (month date, first date)")
            cursor.executemany("INSERT INTO bench_months VALUES (%s, %s)", list(source_of.items()))
            cursor.execute("SET LOCAL work_mem = '256MB'")
            with bulk_load(cursor, "billing_invoiceline"):
                # the same people on the same positions (desa, name, person: none changed), their own month's due
                cursor.execute("""
                    INSERT INTO billing_invoiceline (invoice_id, due_id, position, kab_code, desa_code, name, amount)
                    SELECT ni.id, d2.id, l.position, l.kab_code, l.desa_code, l.name, l.amount
                    FROM bench_months g
                    JOIN billing_invoice i ON i.month = g.first
                    JOIN billing_invoiceline l ON l.invoice_id = i.id
                    JOIN billing_invoice ni ON ni.scheme_id = i.scheme_id AND ni.seq = i.seq AND ni.month = g.month
                    JOIN billing_due d ON d.id = l.due_id
                    JOIN billing_due d2 ON d2.participant_id = d.participant_id AND d2.month = g.month
                                       AND d2.enrolment_id = d.enrolment_id""")
                figures["lines_copied"] = cursor.rowcount
            cursor.execute("DROP TABLE bench_months")
        for m, run in runs.items():
            audit_record(actor=admin, event=AuditEventType.BILLING_RUN_FINISHED, obj=run, new=run.summary,
                         note=f"{m:%m/%Y}")
        by_month = {}
        for i in made:
            by_month.setdefault(i.month, []).append(i)
        for m, issued in by_month.items():
            AuditBatch(actor=admin, event=AuditEventType.INVOICE_ISSUED, note=f"{m:%m/%Y}").write(
                (i.pk, i.kab_code, None, {"number": i.number, "scheme": i.scheme_id, "month": f"{m:%Y-%m}",
                                          "seq": i.seq, "lines": i.lines, "total": i.total, "run": runs[m].pk})
                for i in issued)
    figures["invoices_s"] = round(time.perf_counter() - start, 1)
    figures["months_copied"] = len(runs)
    return figures


# --- 12 months of history -------------------------------------------------------------------------------------

# How far each self-payer has paid (months before the month measured; None: never), by `payer_class` (65 % up to
# date, 10 % one month behind, 10 % two, 5 % three, 5 % five, 5 % never paid).
SELF_PAID_BACK = (1,) * 12 + (2, 2, 3, 3, 4, 6, None, 1)


def payer_class_sql(column: str) -> str:
    """`payer_class` in SQL (for a query with parameters: %% is one %)."""
    return f"(({column} / 10) * 37 %% 101) %% 20"
# How far each scheme has paid its invoices, by scheme id % 10: most up to last month, two in ten a month late,
# one in ten two months late.
SCHEME_PAID_BACK = (3, 2, 2, 1, 1, 1, 1, 1, 1, 1)


def payer_class(participant_id: int) -> int:
    """0..19, from the participant id without its last digit (which says who pays), scrambled so that the classes
    cut across desa and kabupaten (people are spread over the desa round robin by id). As `payer_class_sql`."""
    return (participant_id // 10) * 37 % 101 % 20


def self_paid_through(participant_id: int, month: date) -> date | None:
    from jamsosdesa.core.months import add_months

    back = SELF_PAID_BACK[payer_class(participant_id)]
    return add_months(month, -back) if back is not None else None


def scheme_paid_through(scheme_id: int, month: date) -> date:
    from jamsosdesa.core.months import add_months

    return add_months(month, -SCHEME_PAID_BACK[scheme_id % 10])


def planted_paid(participant_id: int, scheme_id: int | None, has_package: bool, month: date,
                 history: int) -> tuple[date | None, date | None]:
    """(first, last) fully paid month of a person as the history planted it (every month of history billed; a month
    is paid when each payer paid its due), before any part pays more."""
    from jamsosdesa.core.months import add_months

    if history <= 0:
        return None, None
    throughs = []
    if scheme_id is not None:
        throughs.append(scheme_paid_through(scheme_id, month))
    if has_package:
        throughs.append(self_paid_through(participant_id, month))
    first = add_months(month, -history)
    if not throughs or None in throughs or min(throughs) < first:
        return None, None
    return first, min(throughs)


def planted_standing(cursor, month: date, history: int) -> None:
    """The standing cache (billing.models.Standing) written set-based from the planted payments, instead of
    `standing_rebuild()`: each person's first and last fully paid month (the earlier of their scheme's and their own
    paid-through months; no row when nothing was paid). `ledger check` invariant 8 compares every row with the
    ledger, so a row written wrong here fails the run."""
    from jamsosdesa.core.months import add_months

    cursor.execute("TRUNCATE billing_standing")
    cursor.execute(f"""
        INSERT INTO billing_standing (participant_id, first_paid, last_paid)
        SELECT x.id, %(first)s, x.last FROM (
          SELECT p.id, CASE WHEN m.participant_id IS NOT NULL AND st.through IS NULL THEN NULL
                            ELSE LEAST(CASE WHEN m.participant_id IS NOT NULL THEN st.through END,
                                       CASE WHEN e.participant_id IS NOT NULL THEN sc.through END) END AS last
          FROM participants_participant p
          LEFT JOIN (SELECT DISTINCT participant_id FROM billing_membership) m ON m.participant_id = p.id
          LEFT JOIN (SELECT participant_id, MIN(scheme_id) AS scheme_id FROM funding_enrolment
                     GROUP BY participant_id) e ON e.participant_id = p.id
          LEFT JOIN bench_self_through st ON st.r = {payer_class_sql("p.id")}
          LEFT JOIN bench_scheme_through sc ON sc.scheme_id = e.scheme_id) x
        WHERE x.last >= %(first)s""", {"first": add_months(month, -history)})


def build_history(admin, month: date, history: int, by: str = "run", standing: str = "rebuild") -> dict:
    """The `history` months before `month`: each billed by the real `billing_run` (dues, invoices, audit events),
    then paid set-based as the one-payment path records it (design ledger §3): one payment per self-paid due (a
    person paying a month at a time, at the branch office: an agent's cash reaches BPJS only through a collection,
    ledger check 24) and one per scheme invoice (the scheme paying the whole invoice by bank), each with one
    allocation per due it pays and nothing left over (no credit rows). How far each payer has paid: SELF_PAID_BACK,
    SCHEME_PAID_BACK. Then the standing cache is rebuilt (when the code has one), the tables
    analysed and `ledger_check()` run. Returns the figures of each step."""
    from django.db import connection, transaction

    from jamsosdesa.billing.services.run import billing_run
    from jamsosdesa.core.months import add_months
    from jamsosdesa.funding.models import Scheme

    figures = {"months": history, "by": by}
    if history <= 0:
        return figures
    runs = []
    start = time.perf_counter()
    months = [add_months(month, -k) for k in range(history, 0, -1)]
    groups = []  # (a month billed by the run, the months after it with the same prices: copied)
    i = 0
    while i < len(months):
        m = months[i]
        began = time.perf_counter()
        run = billing_run(actor=admin, month=m)
        runs.append(round(time.perf_counter() - began, 1))
        if run.status != "done":
            raise SystemExit(f"the history run of {m:%Y-%m} ended {run.status}: {run.message}")
        say(f"  history {m:%Y-%m}: {run.dues_created:,} dues, {run.invoices_created} invoices in {runs[-1]} s "
            f"(billing_run)")
        i += 1
        if by != "copy" or i == len(months):
            continue
        same = set(same_prices(m, months[i:]))
        following = []
        for later in months[i:]:  # the months after with the same prices (until the rates change)
            if later not in same:
                break
            following.append(later)
        if following:
            groups.append((m, following))
            say(f"  history {following[0]:%Y-%m}..{following[-1]:%Y-%m}: the prices of {m:%Y-%m}, its rows to be "
                f"copied")
            i += len(following)
    if groups:
        figures.update(copy_months(admin, groups))
        say(f"  copied set-based: {figures['dues_copied']:,} dues in {figures['dues_s']} s, "
            f"{figures['lines_copied']:,} invoice lines and the invoices in {figures['invoices_s']} s")
    figures["runs_s"] = round(time.perf_counter() - start, 1)
    figures["billing_runs"] = len(runs)
    figures["slowest_run_s"] = max(runs)

    start = time.perf_counter()
    self_through = [(r, add_months(month, -back) if back is not None else None)
                    for r, back in enumerate(SELF_PAID_BACK)]
    scheme_through = [(pk, scheme_paid_through(pk, month)) for pk in Scheme.objects.values_list("pk", flat=True)]
    history_end = add_months(month, -1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_self_through (r int PRIMARY KEY, through date)")
        cursor.executemany("INSERT INTO bench_self_through VALUES (%s, %s)", self_through)
        cursor.execute("CREATE TEMP TABLE bench_scheme_through (scheme_id bigint PRIMARY KEY, through date)")
        cursor.executemany("INSERT INTO bench_scheme_through VALUES (%s, %s)", scheme_through)
        cursor.execute("SET LOCAL work_mem = '256MB'")
        with bulk_load(cursor, "billing_payment", "billing_allocation"):
            # self-payers: a payment per due paid, then its allocation (the due's id rides in the reference; the
            # payment's amount and kabupaten are the due's: nobody in this world moved)
            cursor.execute(f"""
                WITH pay AS (
                  INSERT INTO billing_payment (channel, source, external_reference, reinstatement_no, idempotency_key,
                                               request_hash, amount, paid_on, received_at, target_kind, participant_id,
                                               invoice_id, holder_type, holder_id, kab_code, desa_code, statement_id,
                                               statement_row, agent_id, recorded_by_id, note)
                  SELECT 'branch', 'entry', 'HIST-' || d.id, 0, NULL, 'bench-history', d.amount, d.month + 9,
                         (d.month + 9)::timestamptz, 'person', d.participant_id, NULL, 'P', d.participant_id,
                         p.kab_code, p.desa_code, NULL, NULL, NULL, %(admin)s, 'bench history'
                  FROM billing_due d
                  JOIN bench_self_through t ON t.r = {payer_class_sql("d.participant_id")}
                  JOIN participants_participant p ON p.id = d.participant_id
                  WHERE d.membership_id IS NOT NULL AND d.month <= t.through AND d.month <= %(end)s
                  RETURNING id, external_reference, paid_on, amount, participant_id, kab_code)
                INSERT INTO billing_allocation (due_id, seq, amount, payment_id, holder_type, holder_id, kab_code,
                                                origin, run_id, created_by_id, created_at)
                SELECT substr(pay.external_reference, 6)::bigint, 0, pay.amount, pay.id, 'P', pay.participant_id,
                       pay.kab_code, 'payment', NULL, %(admin)s, pay.paid_on::timestamptz
                FROM pay""",
                           {"admin": admin.pk, "end": history_end})
            figures["self_paid_dues"] = cursor.rowcount
            # schemes: a payment per invoice paid, then an allocation per line's due (a line carries its due's amount
            # and kabupaten; ledger check invariants 3 and 4 compare them)
            cursor.execute("""
                WITH pay AS (
                  INSERT INTO billing_payment (channel, source, external_reference, reinstatement_no, idempotency_key,
                                               request_hash, amount, paid_on, received_at, target_kind, participant_id,
                                               invoice_id, holder_type, holder_id, kab_code, desa_code, statement_id,
                                               statement_row, agent_id, recorded_by_id, note)
                  SELECT 'bank', 'entry', 'HIST-INV-' || i.id, 0, NULL, 'bench-history', i.total, i.month + 9,
                         (i.month + 9)::timestamptz, 'invoice', NULL, i.id, 'S', i.scheme_id, i.kab_code, '',
                         NULL, NULL, NULL, %(admin)s, 'bench history'
                  FROM billing_invoice i JOIN bench_scheme_through t ON t.scheme_id = i.scheme_id
                  WHERE i.month <= t.through AND i.month <= %(end)s AND i.total > 0
                  RETURNING id, invoice_id, holder_id, paid_on)
                INSERT INTO billing_allocation (due_id, seq, amount, payment_id, holder_type, holder_id, kab_code,
                                                origin, run_id, created_by_id, created_at)
                SELECT l.due_id, 0, l.amount, pay.id, 'S', pay.holder_id, l.kab_code, 'payment', NULL, %(admin)s,
                       pay.paid_on::timestamptz
                FROM pay JOIN billing_invoiceline l ON l.invoice_id = pay.invoice_id""",
                           {"admin": admin.pk, "end": history_end})
            figures["scheme_paid_dues"] = cursor.rowcount
        cursor.execute("SELECT to_regclass('billing_standing') IS NOT NULL")
        has_standing = cursor.fetchone()[0]
        if has_standing and standing == "planted":
            planted_standing(cursor, month, history)
        cursor.execute("DROP TABLE bench_self_through")
        cursor.execute("DROP TABLE bench_scheme_through")
        cursor.execute("SELECT COUNT(*) FROM billing_payment")
        figures["payments"] = cursor.fetchone()[0]
    figures["paid_s"] = round(time.perf_counter() - start, 1)
    say(f"  paid: {figures['self_paid_dues']:,} self-paid dues and {figures['scheme_paid_dues']:,} scheme dues, "
        f"{figures['payments']:,} payments, in {figures['paid_s']} s")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")  # fresh statistics after the bulk load, before anything reads it
    figures["analyse_s"] = round(time.perf_counter() - start, 1)
    try:
        from jamsosdesa.billing.standing import standing_rebuild
    except ImportError:  # the code measured has no standing cache yet
        standing_rebuild = None
    if standing_rebuild is not None and standing == "planted":
        say("  standing written from what was planted (--standing planted): ledger check invariant 8 compares it")
    elif standing_rebuild is not None:
        start = time.perf_counter()

        def progress(done, total):
            if done % 10 == 0 or done == total:
                say(f"    standing: {done} of {total} kabupaten, {time.perf_counter() - start:.0f} s")

        standing_rebuild(progress=progress)
        figures["standing_rebuild_s"] = round(time.perf_counter() - start, 1)
        say(f"  standing rebuilt in {figures['standing_rebuild_s']} s (billing.standing.standing_rebuild)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the cache's statistics too
    return figures


BILLING_TABLES = ("billing_invoiceline", "billing_invoice", "billing_allocation", "billing_credit", "billing_reversal",
                  "billing_reconciliationitem", "billing_payment", "billing_due", "billing_billingrun",
                  "core_auditevent")


def world_kept(covered: int, month: date, history: int) -> dict | None:
    """The world a kept database holds (`--reuse`), with everything billing wrote since emptied (the history is
    billed and paid again): what was planted, or None when there is none (or it was built for another size, month
    or history)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_world') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT planted FROM bench_world")
        row = cursor.fetchone()
        planted = json.loads(row[0]) if row and isinstance(row[0], str) else (row[0] if row else None)
        if (not planted or planted.get("covered") != covered or planted.get("month") != month.isoformat()
                or planted.get("history", 0) != history):
            say("The kept world is of another size, month or history: building a new one.")
            return None
        cursor.execute("SELECT to_regclass('billing_standing') IS NOT NULL")  # the standing cache, where it exists
        extra = ["billing_standing"] if cursor.fetchone()[0] else []
        cursor.execute(f"TRUNCATE {', '.join([*BILLING_TABLES, *extra])} CASCADE")
    say(f"Reusing the kept world ({planted['covered']:,} covered); billing's tables emptied.")
    return planted


def world_keep(planted: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_world (planted jsonb)")
        cursor.execute("DELETE FROM bench_world")
        cursor.execute("INSERT INTO bench_world VALUES (%s)", [json.dumps(planted)])


# --- part: run ----------------------------------------------------------------------------------------------


def expected_amount(month: date) -> tuple[int, int, int]:
    """(scheme dues, own dues, rupiah) one run must write, from the planted rows' counts per combination priced
    in Python (not the run's SQL): scheme dues priced with the scheme; packages less what a scheme pays."""
    from django.db import connection

    from jamsosdesa.billing.pricing import Combo, price
    from jamsosdesa.contributions.book import rate_book

    book = rate_book()
    scheme_n = own_n = amount = 0
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT s.segment, s.programme_mask, s.income_nominal, s.payer_type, p.sector, COUNT(*)
            FROM funding_enrolment e JOIN funding_scheme s ON s.id = e.scheme_id
            JOIN participants_participant p ON p.id = e.participant_id
            WHERE e.start_month <= %s AND e.end_month >= %s GROUP BY 1, 2, 3, 4, 5""", [month, month])
        for segment, mask, income, payer, sector, n in cursor.fetchall():
            scheme_n += n
            amount += n * price(book, month, Combo(segment, mask, income, payer, sector)).total
        cursor.execute("""
            SELECT m.segment, m.programme_mask, m.income, p.sector, COALESCE(c.cov, 0), COUNT(*)
            FROM billing_membership m JOIN participants_participant p ON p.id = m.participant_id
            LEFT JOIN (SELECT e.participant_id, SUM(s.programme_mask) AS cov FROM funding_enrolment e
                       JOIN funding_scheme s ON s.id = e.scheme_id
                       WHERE e.start_month <= %s AND e.end_month >= %s GROUP BY e.participant_id) c
                   ON c.participant_id = m.participant_id
            GROUP BY 1, 2, 3, 4, 5""", [month, month])
        for segment, mask, income, sector, cov, n in cursor.fetchall():
            priced = price(book, month, Combo(segment, mask, income, "self", sector)).without(cov)
            if priced.total > 0:
                own_n += n
                amount += n * priced.total
    return scheme_n, own_n, amount


def naive_loop(admin, month: date, count: int) -> tuple[int, float]:
    """The way the issue rules out: each person read, priced and inserted on its own (enrolments of `month`)."""
    from jamsosdesa.billing.models import Due
    from jamsosdesa.billing.pricing import Combo, price
    from jamsosdesa.contributions.book import rate_book
    from jamsosdesa.funding.models import Enrolment

    book = rate_book()
    start = time.perf_counter()
    made = 0
    ids = list(Enrolment.objects.filter(start_month__lte=month, end_month__gte=month)
               .order_by("id").values_list("id", flat=True)[:count])
    for pk in ids:
        e = Enrolment.objects.select_related("scheme", "participant").get(pk=pk)
        s, p = e.scheme, e.participant
        priced = price(book, month, Combo(s.segment, s.programme_mask, s.income_nominal, s.payer_type, p.sector))
        Due.objects.create(participant=p, kab_code=e.kab_code, desa_code=e.desa_code, month=month, enrolment=e,
                           scheme=s, payer_type=s.payer_type, segment=s.segment, sector=p.sector,
                           programme_mask=s.programme_mask, income=s.income_nominal, jkk=priced.jkk, jkm=priced.jkm,
                           jht=priced.jht, jp=priced.jp, discount=priced.discount, amount=priced.total)
        made += 1
    return made, time.perf_counter() - start


def part_run(ctx: Context) -> dict:
    from django.db import connection
    from django.db.models import Count, Sum

    from jamsosdesa.billing.models import Due, Invoice, InvoiceLine
    from jamsosdesa.core.models import AuditEvent
    from jamsosdesa.core.months import add_months

    checks, month = ctx.checks, ctx.month
    scheme_n, own_n, amount = expected_amount(month)
    marks = []
    load = [os.getloadavg()[0]]
    start = time.perf_counter()
    run = ctx.run_month(month, progress=lambda done, total, stage=None: marks.append((done, time.perf_counter())))
    seconds = time.perf_counter() - start
    load.append(os.getloadavg()[0])
    say(f"run: {run.status}, {run.dues_created:,} dues, {run.invoices_created:,} invoices, "
        f"Rp{run.amount_billed:,} in {seconds:.2f} s")
    start = time.perf_counter()
    again = ctx.run_month(month)
    rerun_s = time.perf_counter() - start
    naive_month = add_months(month, 1)
    made, naive_s = naive_loop(ctx.admin, naive_month, ctx.args.naive)
    load.append(os.getloadavg()[0])

    say("\nChecks of the run:")
    checks.expect("run finished", (run.status, run.message), ("done", ""))
    dues = Due.objects.filter(month=month)
    checks.expect("scheme dues (enrolments in force)", dues.filter(enrolment__isnull=False).count(), scheme_n)
    checks.expect("own dues (packages not wholly paid by a scheme)", dues.filter(membership__isnull=False).count(),
                  own_n)
    checks.expect("dues created by the run", run.dues_created, scheme_n + own_n)
    checks.expect("amount billed = planted counts x price", run.amount_billed, amount)
    checks.expect("one due per person and payer", dues.values("participant_id", "enrolment_id", "membership_id")
                  .distinct().count(), scheme_n + own_n)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT scheme_id) FROM funding_enrolment WHERE start_month <= %s "
                       "AND end_month >= %s", [month, month])
        schemes = cursor.fetchone()[0]
    invoices = Invoice.objects.filter(month=month)
    checks.expect("one invoice per scheme", (invoices.count(), run.invoices_created), (schemes, schemes))
    totals = invoices.aggregate(lines=Sum("lines"), total=Sum("total"))
    scheme_dues = dues.filter(scheme_id__isnull=False).aggregate(n=Count("id"), total=Sum("amount"))
    checks.expect("invoice lines and totals = the scheme dues", (totals["lines"], totals["total"]),
                  (scheme_dues["n"], scheme_dues["total"]))
    checks.expect("lines written", InvoiceLine.objects.filter(invoice__month=month).count(), scheme_dues["n"])
    issued = [str(pk) for pk in invoices.values_list("pk", flat=True)]
    checks.expect("audit: one run event, one per invoice",
                  (AuditEvent.objects.filter(event_type="billing_run.finished", object_id=str(run.pk)).count(),
                   AuditEvent.objects.filter(event_type="invoice.issued", object_id__in=issued).count()),
                  (1, schemes))
    checks.expect("second run: nothing new", (again.status, again.dues_created, again.invoices_created),
                  ("done", 0, 0))
    checks.expect("naive loop wrote its rows", Due.objects.filter(month=naive_month).count(), made)

    rate = run.dues_created / seconds if seconds else 0
    naive_rate = made / naive_s if naive_s else 0
    kab_times = [b - a for (_, a), (_, b) in zip(marks, marks[1:], strict=False)]
    # marks: the prices begin (0), each kabupaten done (1..n), the invoices begin (n), the end (n + 1)
    steps = ({"prices_skipped_and_first_kab_s": round(marks[1][1] - marks[0][1], 2),
              "other_kabupaten_s": round(marks[-3][1] - marks[1][1], 2),
              "invoices_s": round(marks[-1][1] - marks[-2][1], 2)} if len(marks) >= 4 else {})
    say(f"steps: {steps}")
    return {"dues": run.dues_created, "invoices": run.invoices_created, "seconds": round(seconds, 2),
            "rows_per_s": round(rate), "rerun_s": round(rerun_s, 2), "naive_rows": made,
            "naive_s": round(naive_s, 2), "naive_rows_per_s": round(naive_rate),
            "ratio": round(rate / naive_rate, 1) if naive_rate else None,
            "slowest_step_s": round(max(kab_times), 2) if kab_times else None, "steps": steps, "load": load}


PARTS = {"run": part_run}


def load_part(name: str):
    """A built-in part, or `measure` of the plug-in module bench/billing_<name>.py."""
    if name in PARTS:
        return PARTS[name]
    try:
        module = importlib.import_module(f"billing_{name}")
    except ModuleNotFoundError:
        raise SystemExit(  # noqa: B904 - the plug-in's absence is the whole message
            f"no part '{name}': neither built in ({', '.join(PARTS)}) nor bench/billing_{name}.py")
    return module.measure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--covered", type=int, default=TARGET_ROWS, help="covered participants in the world")
    parser.add_argument("--naive", type=int, default=20_000, help="people billed one by one for the ratio")
    parser.add_argument("--quick", action="store_true",
                        help=f"20,000 covered, 1,000 one by one, {QUICK_HISTORY} months of history")
    parser.add_argument("--history", type=int, default=None,
                        help=f"months billed and paid before the month measured (default {HISTORY}; "
                             f"{QUICK_HISTORY} with --quick)")
    parser.add_argument("--standing", choices=("rebuild", "planted"), default="rebuild",
                        help="after the history's bulk load: billing.standing.standing_rebuild() (default), or the "
                             "cache written set-based from what was planted (ledger check invariant 8 compares it)")
    parser.add_argument("--history-by", choices=("run", "copy"), default="copy",
                        help="bill every month of history with billing_run, or (default) only the first month of each "
                             "stretch of equal prices and copy its rows set-based to the others")
    parser.add_argument("--part", action="append", help="part to measure (repeat; default: run)")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL,
                        help=f"benchmark database, created and dropped by this script (default {DEFAULT_PG_URL})")
    parser.add_argument("--keep-db", action="store_true", help="leave the database in place at the end")
    parser.add_argument("--reuse", action="store_true",
                        help="bill the world a kept database already holds (its billing tables emptied first)")
    args = parser.parse_args()
    if args.quick:
        args.covered, args.naive = 20_000, 1_000
    if args.history is None:
        args.history = QUICK_HISTORY if args.quick else HISTORY
    parts = args.part or ["run"]

    exit_on_sigterm()
    var = None
    if "JAMSOSDESA_VAR_DIR" not in os.environ:  # the cache (job progress) goes here: removed at the end
        var = os.environ["JAMSOSDESA_VAR_DIR"] = tempfile.mkdtemp(prefix="jamsosdesa-bench-billing-")
    os.environ["DATABASE_URL"] = args.pg_url
    django_env()
    checks = Checks()
    results = {}
    try:
        with pg_database(args.pg_url, keep=args.keep_db, reuse=args.reuse):
            import django

            django.setup()
            from django.core.management import call_command
            from django.db import connection

            from jamsosdesa.accounts.models import User
            from jamsosdesa.core.clock import this_month
            from jamsosdesa.core.roles import Role

            say(f"PostgreSQL {connection.cursor().connection.info.server_version}, Python {sys.version.split()[0]}")
            month = this_month()
            planted = world_kept(args.covered, month, args.history) if args.reuse else None
            call_command("migrate", verbosity=0)
            admin = (User.objects.filter(username="bench").first()
                     or User.objects.create_user("bench", role=Role.NATIONAL_ADMIN, is_superuser=True))
            if planted is None:
                planted = build_world(args.covered, month, args.history)
                world_keep({**planted, "month": month.isoformat()})
            else:
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM (ANALYZE)")  # as a freshly built world is
            loads = [os.getloadavg()[0]]
            if args.history:
                say(f"\n{args.history} months of history (--history-by {args.history_by}): billed, then paid ...")
                start = time.perf_counter()
                results["history"] = build_history(admin, month, args.history, by=args.history_by,
                                                   standing=args.standing)
                results["history"]["seconds"] = round(time.perf_counter() - start, 1)
                results["history"]["ledger_check_s"] = round(ledger_step(checks, "the history"), 1)
                loads.append(os.getloadavg()[0])
                results["history"]["load"] = loads
                say(f"History built in {results['history']['seconds']} s "
                    f"(ledger check {results['history']['ledger_check_s']} s).")
            ctx = Context(args=args, admin=admin, month=month, planted=planted, checks=checks)
            for name in parts:
                say(f"\n== part {name}")
                measure = load_part(name)
                results[name] = measure(ctx)
                if getattr(sys.modules.get(measure.__module__), "LEDGER", "check") == "check":
                    results[name]["ledger_check_s"] = round(ctx.ledger_check(f"part {name}"), 1)
            results["peak_memory_mb"] = round(peak_rss_mb())
    finally:
        if var:
            shutil.rmtree(var, ignore_errors=True)
    if "run" in results:
        r = results["run"]
        scaled = r["seconds"] * TARGET_ROWS / max(r["dues"], 1)
        say("\n| measurement | figure | target | |\n| --- | ---: | --- | --- |")
        say(f"| billing run of one month: {r['dues']:,} dues, {r['invoices']:,} invoices | {r['seconds']:.2f} s "
            f"({r['rows_per_s']:,} dues/s) | < {TARGET_SECONDS:.0f} s for 1,000,000 | "
            f"{'PASS' if scaled < TARGET_SECONDS else 'MISS'} |")
        say(f"| the same month again (nothing new) | {r['rerun_s']:.2f} s | | |")
        say(f"| per-participant loop (price + insert each), {r['naive_rows']:,} people | {r['naive_s']:.2f} s "
            f"({r['naive_rows_per_s']:,} dues/s) | | |")
        say(f"| ratio (set-based vs per participant, dues/s) | {r['ratio']}× | | |")
        say(f"| slowest step (a kabupaten, or the invoices) | {r['slowest_step_s']} s | | |")
        say(f"| peak memory | {results['peak_memory_mb']:,} MB | < 1,024 MB | "
            f"{'PASS' if results['peak_memory_mb'] < 1024 else 'MISS'} |")
        say(f"\n{run_note(r['load'])} The load average is taken around the run and the loop.")
    targets = []
    if "statements" in results and results["statements"]:
        r = results["statements"]
        targets.append(f"| statement of {r['lines']:,} lines imported and allocated | {r['seconds']:.2f} s "
                       f"({r['lines_per_s']:,} lines/s; 100,000 → {r['scaled_to_100k_s']} s) | < 30 s for 100,000 | "
                       f"{r['verdict']} |")
    if "status" in results and results["status"]:
        r = results["status"]
        targets.append(f"| status of one participant (`status_of`), p50 / p95 of {r['people']} | "
                       f"{r['status_of_p50_ms']} / {r['status_of_p95_ms']} ms | < 10 ms | "
                       f"{'PASS' if r['status_of_p95_ms'] < 10 else 'MISS'} |")
        targets.append(f"| found by NIK in scope + status, p50 / p95 | {r['by_nik_and_status_p50_ms']} / "
                       f"{r['by_nik_and_status_p95_ms']} ms | < 10 ms | "
                       f"{'PASS' if r['by_nik_and_status_p95_ms'] < 10 else 'MISS'} |")
    if "worklists" in results and results["worklists"]:
        r = results["worklists"]
        for name, w in r["lists"].items():
            targets.append(f"| Kab. {r['kabupaten']} ({r['participants']:,} people): {name}, page / whole list "
                           f"({w['rows']:,} rows) | {w['page_s']:.3f} / {w['whole_s']:.3f} s | < 1 s | "
                           f"{w['verdict']} |")
    if targets:
        say("\n| more targets | figure | target | |\n| --- | ---: | --- | --- |")
        for line in targets:
            say(line)
        say(f"| peak memory | {results['peak_memory_mb']:,} MB | < 1,024 MB | "
            f"{'PASS' if results['peak_memory_mb'] < 1024 else 'MISS'} |")
        say(f"\n{run_note([x for r in results.values() if isinstance(r, dict) for x in r.get('load', [])][-12:])}")
    for name, figures in results.items():
        if name not in ("run", "peak_memory_mb"):
            say(f"part {name}: {json.dumps(figures, default=str)}")
    return checks.verdict()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("\nStopped (Ctrl-C); the benchmark database is dropped.")
        sys.exit(130)
