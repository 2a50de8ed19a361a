"""Billing benchmark (issue 12): a world of covered participants on PostgreSQL, then measured parts.

    .venv/bin/python bench/billing.py                     # 1,000,000 covered, --part run (target: < 30 s)
    .venv/bin/python bench/billing.py --quick             # 20,000 covered, naive loop on 1,000: a smoke run
    .venv/bin/python bench/billing.py --part run --part payments   # parts in order, on one world
    .venv/bin/python bench/billing.py --pg-url postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_billing
    .venv/bin/python bench/billing.py --keep-db --reuse   # the world of a kept database again, billing emptied

The world (built once, in a fresh database dropped at the end unless --keep-db): all regions; `--covered`
participants over 2,000 desa in 40 kabupaten, loaded with COPY (10 % transport workers); 70 % paid by a scheme
(an APBD scheme per kabupaten, an APBDes scheme for one desa in ten, enrolments from two months ago to three
months ahead), 30 % paying their own package (JKK+JKM or JKK+JKM+JHT, several incomes), and one scheme-paid
person in a hundred who also has a package with JHT (billed for JHT only).

Parts: `run` is built in (below); any other part is a plug-in module `bench/billing_<part>.py` exposing
`measure(ctx) -> dict` (its figures; `ctx` is a `Context`: the world, the admin, the month, `ctx.run_month(m)`
to bill a month, `ctx.checks` to assert, `ctx.say`). Each part's dict is printed in the summary table.

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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from common import Checks, django_env, exit_on_sigterm, pg_database, run_note, say  # noqa: E402

TARGET_SECONDS = 30.0
TARGET_ROWS = 1_000_000
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_billing"
KABUPATEN, DESA = 40, 2000
CREATED_FROM = datetime(2025, 1, 1, tzinfo=UTC)
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


def load_participants(desa: list[str], rows: int) -> float:
    """COPY `rows` participants spread over `desa` (secondary indexes dropped and rebuilt); seconds taken."""
    from django.db import connection, transaction

    from jamsosdesa.participants.models import Participant

    table = Participant._meta.db_table
    fields = [f for f in Participant._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    defaults = {}
    for f in fields:
        value = f.get_default()
        defaults[f.column] = json.dumps(value) if f.get_internal_type() == "JSONField" else value
    step = timedelta(seconds=max(1, 60 * 60 * 24 * 600 // max(rows, 1)))  # spread over ~600 days of 2025-26
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
                created = CREATED_FROM + i * step
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


def build_world(covered: int, month: date) -> dict:
    """Participants, schemes, enrolments and packages (see the module's text); returns what was planted."""
    from django.db import connection

    from jamsosdesa.core.months import add_months
    from jamsosdesa.funding.models import Scheme
    from jamsosdesa.regions.loader import regions_load

    start = time.perf_counter()
    regions_load()
    plan = pick_desa(KABUPATEN, DESA)
    desa = [code for codes in plan.values() for code in codes]
    say(f"Regions loaded; {covered:,} participants over {len(desa):,} desa in {len(plan)} kabupaten ...")
    copy_s = load_participants(desa, covered)
    say(f"  COPY {copy_s:.1f} s")
    first, last = add_months(month, -2), add_months(month, 3)
    schemes = {}
    for kab in plan:
        schemes[kab] = Scheme.objects.create(
            name=f"APBD {kab}", payer_type="apbd", owner_region_id=kab, legal_basis_number=f"Perbup {kab}",
            legal_basis_date=date(2025, 1, 1), programmes=["JKK", "JKM"], start_month=first, end_month=last,
            budget_ceiling=10**12).pk
    for code in desa[::10]:
        schemes[code] = Scheme.objects.create(
            name=f"APBDes {code}", payer_type="apbdes", apbdes_source="dana_desa", owner_region_id=code,
            legal_basis_number=f"Perdes {code}", legal_basis_date=date(2025, 1, 1), programmes=["JKK", "JKM"],
            start_month=first, end_month=last, budget_ceiling=10**10).pk
    params = {"first": first, "last": last}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_payer (code varchar(13) PRIMARY KEY, scheme_id bigint)")
        cursor.executemany("INSERT INTO bench_payer VALUES (%s, %s)", list(schemes.items()))
        cursor.execute("""
            INSERT INTO funding_enrolment (scheme_id, participant_id, desa_code, kab_code, start_month, end_month, cost,
                                           batch_id, enrolled_by_id, created_at, ended_at, ended_by_id, end_reason,
                                           end_note)
            SELECT COALESCE(d.scheme_id, k.scheme_id), p.id, p.desa_code, p.kab_code, %(first)s, %(last)s, 0,
                   NULL, NULL, now(), NULL, NULL, '', ''
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
            "build_s": round(seconds, 1), "copy_s": round(copy_s, 1)}


BILLING_TABLES = ("billing_invoiceline", "billing_invoice", "billing_allocation", "billing_credit", "billing_reversal",
                  "billing_reconciliationitem", "billing_payment", "billing_due", "billing_billingrun",
                  "core_auditevent")


def world_kept(covered: int, month: date) -> dict | None:
    """The world a kept database holds (`--reuse`), with everything billing wrote since emptied: what was planted,
    or None when there is none (or it was built for another size or month)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_world') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT planted FROM bench_world")
        row = cursor.fetchone()
        planted = json.loads(row[0]) if row and isinstance(row[0], str) else (row[0] if row else None)
        if not planted or planted.get("covered") != covered or planted.get("month") != month.isoformat():
            say("The kept world is of another size or month: building a new one.")
            return None
        cursor.execute(f"TRUNCATE {', '.join(BILLING_TABLES)} CASCADE")
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
    checks.expect("audit: one run event, one per invoice",
                  (AuditEvent.objects.filter(event_type="billing_run.finished", object_id=str(run.pk)).count(),
                   AuditEvent.objects.filter(event_type="invoice.issued").count()), (1, schemes))
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
    parser.add_argument("--quick", action="store_true", help="20,000 covered, 1,000 one by one")
    parser.add_argument("--part", action="append", help="part to measure (repeat; default: run)")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL,
                        help=f"benchmark database, created and dropped by this script (default {DEFAULT_PG_URL})")
    parser.add_argument("--keep-db", action="store_true", help="leave the database in place at the end")
    parser.add_argument("--reuse", action="store_true",
                        help="bill the world a kept database already holds (its billing tables emptied first)")
    args = parser.parse_args()
    if args.quick:
        args.covered, args.naive = 20_000, 1_000
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
            planted = world_kept(args.covered, month) if args.reuse else None
            call_command("migrate", verbosity=0)
            if planted is None:
                planted = build_world(args.covered, month)
                world_keep({**planted, "month": month.isoformat()})
            else:
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM (ANALYZE)")  # as a freshly built world is
            admin = (User.objects.filter(username="bench").first()
                     or User.objects.create_user("bench", role=Role.NATIONAL_ADMIN, is_superuser=True))
            ctx = Context(args=args, admin=admin, month=month, planted=planted, checks=checks)
            for name in parts:
                say(f"\n== part {name}")
                results[name] = load_part(name)(ctx)
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
