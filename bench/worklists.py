"""Worklist benchmark (issue 12 slice 6): a kabupaten's lapse forecast and arrears lists on PostgreSQL.

    .venv/bin/python bench/worklists.py                 # 500,000 participants in one kabupaten (target < 1 s each)
    .venv/bin/python bench/worklists.py --quick         # 20,000: a smoke run
    .venv/bin/python bench/worklists.py --pg-url postgresql://postgres@127.0.0.1:5432/h6_work_bench

A fresh database (created here and dropped at the end, also on failure or Ctrl-C, unless --keep-db) with all
regions and `--rows` BPU participants over the desa of Kab. Sukoharjo (33.11), plus a fifth as many in Kab.
Gianyar (51.04) so that the kabupaten asked is not the whole table. Each is enrolled in a district scheme from 11
months ago to an end month 0..5 months ahead (round robin); one in ten has its own package from the month after
its scheme ends and one in twenty a second scheme covering that month (both must stay off the forecast). Every
enrolment has its 12 dues up to this month, written set-based as a billing run would, and the scheme paid them
up to a month that cycles through this month, −1, −2, −3 and never (allocations from credit, no payment rows).
Rows are written with INSERT … SELECT (a few million dues in a minute), then ANALYZE.

Measured, for Kab. Sukoharjo through the same functions the page calls (billing.worklists, as a national admin):
the page (count + first 50 rows presented, with masked NIK, reminder and WhatsApp link) and the whole list
(every row fetched, as the .xlsx export reads it), for the forecast at 30, 60 and 90 days, arrears this month
and non-active next month. Target (issue 12): < 1 s each for a kabupaten's list; PASS/MISS per line, a MISS does
not fail the run. Checked (exit 1 if any differs): each list's count equals the planted people.
"""

import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from common import Checks, run_note, say, standalone  # noqa: E402

TARGET_SECONDS = 1.0
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/h6_work_bench"
KAB, OTHER_KAB = "33.11", "51.04"
END_OFFSETS = (0, 1, 2, 3, 4, 5)
PAID_THROUGH = (0, -1, -2, -3, None)  # cycles by participant
PAGE = 50


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(rows: int, first: date) -> dict:
    """Participants, schemes, enrolments, packages, dues and allocations; returns the plan for the checks."""
    from django.db import connection

    from jamsosdesa.core.months import add_months
    from jamsosdesa.core.regioncodes import Level
    from jamsosdesa.funding.models import Scheme
    from jamsosdesa.participants.models import Participant
    from jamsosdesa.regions.models import Region

    plan = {"people": []}  # (n, end offset, follow-up, paid through) for Sukoharjo
    for kab, count in ((KAB, rows), (OTHER_KAB, rows // 5)):
        desa = list(Region.objects.filter(level=Level.DESA, is_historical=False, code__startswith=kab + ".")
                    .order_by("code").values_list("code", flat=True))
        batch, used = [], {}
        for n in range(count):
            code = desa[n % len(desa)]
            born = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
            head = f"{code[:2]}{code[3:5]}{code[6:8]}{born:%d%m%y}"
            serial = used[head] = used.get(head, 0) + 1
            batch.append(Participant(nik=f"{head}{serial:04d}", full_name=f"Peserta {kab} {n}", birth_date=born,
                                     sex="L", desa_id=code, segment="BPU", phone=f"0812{n:08d}"[:13]).fill_derived())
            if len(batch) == 10_000:
                Participant.objects.bulk_create(batch)
                batch = []
        Participant.objects.bulk_create(batch)
    start_month = add_months(first, -11)
    schemes = {}
    for name, end in (("Benchmark: main", add_months(first, 5)), ("Benchmark: follow-up", add_months(first, 12))):
        schemes[name] = Scheme.objects.create(
            name=name, payer_type="apbd", owner_region_id=KAB, legal_basis_number="Perbup 1/2026",
            legal_basis_date=start_month, programmes=["JKK", "JKM"], start_month=start_month, end_month=end,
            budget_ceiling=10**15)
    main, follow = schemes["Benchmark: main"].pk, schemes["Benchmark: follow-up"].pk
    # Enrolments: participant n (ordered by id within the kabupaten) ends at END_OFFSETS[n % 6].
    case_end = " ".join(f"WHEN {i} THEN %s" for i in range(len(END_OFFSETS)))
    ends = [add_months(first, k) for k in END_OFFSETS]
    with connection.cursor() as cur:
        cur.execute(f"""
            INSERT INTO funding_enrolment (scheme_id, participant_id, desa_code, kab_code, start_month, end_month,
                                           cost, created_at, end_reason, end_note)
            SELECT %s, p.id, p.desa_code, p.kab_code, %s,
                   CASE (ROW_NUMBER() OVER (PARTITION BY p.kab_code ORDER BY p.id) - 1) %% {len(END_OFFSETS)}
                        {case_end} END, 0, now(), '', ''
            FROM participants_participant p""", [main, start_month, *ends])
        # Follow-ups: n % 10 == 1 gets a package from end + 1; n % 20 == 3 a second scheme from end + 1.
        cur.execute("""
            WITH e AS (SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.kab_code ORDER BY e.participant_id) - 1 AS n
                       FROM funding_enrolment e WHERE e.scheme_id = %s)
            INSERT INTO billing_membership (participant_id, kab_code, desa_code, segment, programmes, programme_mask,
                                            income, first_month, channel, created_at, end_reason)
            SELECT participant_id, kab_code, desa_code, 'BPU', '["JKK", "JKM"]', 3, 1000000,
                   (end_month + interval '1 month')::date, 'cli', now(), ''
            FROM e WHERE n %% 10 = 1""", [main])
        cur.execute("""
            WITH e AS (SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.kab_code ORDER BY e.participant_id) - 1 AS n
                       FROM funding_enrolment e WHERE e.scheme_id = %s)
            INSERT INTO funding_enrolment (scheme_id, participant_id, desa_code, kab_code, start_month, end_month,
                                           cost, created_at, end_reason, end_note)
            SELECT %s, participant_id, desa_code, kab_code, (end_month + interval '1 month')::date, %s, 0, now(), '', ''
            FROM e WHERE n %% 20 = 3""", [main, follow, add_months(first, 12)])
        # Dues of the main scheme, months −11..0 (all 12: every end month is this month or later).
        cur.execute("""
            INSERT INTO billing_due (participant_id, kab_code, desa_code, month, enrolment_id, scheme_id, payer_type,
                                     segment, sector, programme_mask, income, jkk, jkm, jht, jp, discount, amount,
                                     created_at)
            SELECT e.participant_id, e.kab_code, e.desa_code, m::date, e.id, e.scheme_id, 'apbd', 'BPU', 'umum', 3,
                   1000000, 10000, 6800, 0, 0, 0, 16800, now()
            FROM funding_enrolment e CROSS JOIN generate_series(%s::date, %s::date, interval '1 month') m
            WHERE e.scheme_id = %s""", [start_month, first, main])
        # Paid through PAID_THROUGH[n % 5] (None: nothing paid), from the scheme payer's credit.
        case_paid = " ".join(f"WHEN {i} THEN %s" for i in range(len(PAID_THROUGH)))
        cur.execute(f"""
            WITH p AS (SELECT id, ROW_NUMBER() OVER (PARTITION BY kab_code ORDER BY id) - 1 AS n
                       FROM participants_participant),
                 t AS (SELECT id, CASE n %% {len(PAID_THROUGH)} {case_paid} END AS through FROM p)
            INSERT INTO billing_allocation (due_id, seq, amount, holder_type, holder_id, kab_code, origin, created_at)
            SELECT d.id, 0, d.amount, 'S', d.scheme_id, d.kab_code, 'credit', now()
            FROM billing_due d JOIN t ON t.id = d.participant_id
            WHERE t.through IS NOT NULL AND d.month <= t.through""",
                    [add_months(first, k) if k is not None else None for k in PAID_THROUGH])
        cur.execute("ANALYZE")
    for n in range(rows):
        follow_up = "package" if n % 10 == 1 else "scheme" if n % 20 == 3 else ""
        plan["people"].append((END_OFFSETS[n % len(END_OFFSETS)], follow_up, PAID_THROUGH[n % len(PAID_THROUGH)]))
    return plan


def expected(plan: dict, first: date, today: date) -> dict:
    from jamsosdesa.billing.worklists import cutoff_month, forecast_months
    from jamsosdesa.core.months import add_months

    out = {}
    for days in (30, 60, 90):
        lo, hi = forecast_months(days, today)
        out[f"forecast {days}"] = sum(1 for end, follow, _paid in plan["people"]
                                      if not follow and lo <= add_months(first, end) <= hi)
    c = cutoff_month(today)
    for name, back in (("arrears this month", -1), ("non-active next month", -2)):
        target = add_months(c, back)
        out[name] = sum(1 for _end, _follow, paid in plan["people"]
                        if paid is not None and add_months(first, paid) == target)
    return out


def measure(kind: str, days: int, today: date, admin) -> tuple[float, float, int]:
    """(page seconds, whole-list seconds, rows) for one list of Kab. Sukoharjo."""
    from django.core.paginator import Paginator

    from jamsosdesa.billing.worklists import planned_without_jit, present, worklist_rows

    start = time.perf_counter()
    with planned_without_jit():  # as the page and the export run them
        page = Paginator(worklist_rows(kind, KAB, days, today, user=admin), PAGE).get_page(1)
        shown = present(page.object_list, user=admin, kind=kind)
        count = page.paginator.count
    page_seconds = time.perf_counter() - start
    assert len(shown) == min(PAGE, count)
    start = time.perf_counter()
    with planned_without_jit():
        rows = len(list(worklist_rows(kind, KAB, days, today, user=admin)))  # as the .xlsx export reads it
    whole_seconds = time.perf_counter() - start
    assert rows == count
    return page_seconds, whole_seconds, count


def run(rows: int, checks: Checks) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jamsosdesa.accounts.models import User
    from jamsosdesa.core import clock
    from jamsosdesa.core.roles import Role

    say(f"PostgreSQL {connection.cursor().connection.info.server_version}, Python {sys.version.split()[0]}")
    call_command("migrate", verbosity=0)
    call_command("regions", "load", verbosity=0)
    first, today = clock.this_month(), clock.today()
    start = time.perf_counter()
    plan = load(rows, first)
    with connection.cursor() as cur:
        cur.execute("SELECT (SELECT COUNT(*) FROM participants_participant), (SELECT COUNT(*) FROM funding_enrolment),"
                    " (SELECT COUNT(*) FROM billing_due), (SELECT COUNT(*) FROM billing_allocation)")
        people, enrolments, dues, allocations = cur.fetchone()
    say(f"Loaded {people:,} participants, {enrolments:,} enrolments, {dues:,} dues, {allocations:,} allocations "
        f"in {time.perf_counter() - start:.1f} s (today {today:%Y-%m-%d})")
    # The rows went in with INSERT … SELECT, past the services that keep the standing cache: rebuild it, as
    # `jamsosdesa billing standing` does after such a load, then check it as `ledger check` invariant 8 does.
    from jamsosdesa.billing.standing import standing_check_sql, standing_rebuild

    start = time.perf_counter()
    standing_rebuild()
    with connection.cursor() as cur:
        cur.execute("ANALYZE billing_standing")
    say(f"Standing cache rebuilt from the ledger in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cur:
        sql, params = standing_check_sql()
        cur.execute(f"SELECT COUNT(*) FROM ({sql}) x", params)
        checks.expect("standing cache equals the ledger (rows that differ)", cur.fetchone()[0], 0)
    admin = User.objects.create_user("bench", role=Role.NATIONAL_ADMIN, is_superuser=True)
    wanted = expected(plan, first, today)
    lists = [("forecast", 30, "forecast 30"), ("forecast", 60, "forecast 60"), ("forecast", 90, "forecast 90"),
             ("arrears", 30, "arrears this month"), ("non_active", 30, "non-active next month")]
    loads = [os.getloadavg()[0]]
    results = []
    for kind, days, name in lists:
        measure(kind, days, today, admin)  # warm the cache once, as a page in use would be
        page_s, whole_s, count = measure(kind, days, today, admin)
        loads.append(os.getloadavg()[0])
        results.append((name, page_s, whole_s, count))
        checks.expect(f"{name}: rows listed", count, wanted[name])
    say()
    say(f"| Kab. Sukoharjo, {rows:,} participants ({dues:,} dues in the database) | page (count + {PAGE} rows) "
        f"| whole list | rows | target | |\n| --- | ---: | ---: | ---: | --- | --- |")
    for name, page_s, whole_s, count in results:
        verdict = "PASS" if page_s < TARGET_SECONDS and whole_s < TARGET_SECONDS else (
            "PASS (page) / MISS (whole list)" if page_s < TARGET_SECONDS else "MISS")
        say(f"| {name} | {page_s:.3f} s | {whole_s:.3f} s | {count:,} | < {TARGET_SECONDS:.0f} s | {verdict} |")
    say(f"| peak memory | {peak_rss_mb():,.0f} MB | | | | |")
    say(f"\n{run_note(loads)}")


if __name__ == "__main__":
    sys.exit(standalone(
        __doc__, run, rows=500_000, quick_rows=20_000,
        rows_help="participants in the kabupaten measured", quick_help="20,000 participants: a smoke run",
        pg_url=DEFAULT_PG_URL))
