"""Status benchmark (issue 12 slice 4): the protection status of one participant, and of a kabupaten at once, on
PostgreSQL.

    .venv/bin/python bench/status.py                 # 100,000 participants in each of two kabupaten
    .venv/bin/python bench/status.py --quick         # 10,000 each: a smoke run
    .venv/bin/python bench/status.py --pg-url postgresql://postgres@127.0.0.1:5432/h4_status_bench

A fresh database (created here and dropped at the end, also on failure or Ctrl-C, unless --keep-db) with all
regions and `--rows` BPU participants over the desa of Kab. Sukoharjo (33.11) and as many in Kab. Gianyar (51.04).
Each has their own package from 11 months ago with its 12 dues up to this month, written set-based as a billing
run would, paid up to a month that cycles through this month, −1, −2, −3 and never (allocations from credit).

Measured:
- one participant, as the API and `jamsosdesa status NIK` do it (the participant by NIK in the user's scope, then
  `status_of`), for 1,000 random NIKs of both kabupaten: p50, p95 and the slowest. Target (issue 12): < 10 ms.
- the kabupaten's whole status table (`status_table('33.11')`, every row fetched), and the participant list's
  first page filtered by protection status (arrears), as a national admin. No target in the issue: figures.
Checked (exit 1 if any differs): each sampled person's status is the planted one; the table's count of each
status for Kab. Sukoharjo equals the plan's.
"""

import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from common import Checks, run_note, say, standalone  # noqa: E402

TARGET_MS = 10.0
SAMPLES = 1_000
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/h4_status_bench"
KABS = ("33.11", "51.04")
PAID_THROUGH = (0, -1, -2, -3, None)  # cycles by participant within a kabupaten


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(rows: int, first: date) -> None:
    from django.db import connection

    from jamsosdesa.core.months import add_months
    from jamsosdesa.core.regioncodes import Level
    from jamsosdesa.participants.models import Participant
    from jamsosdesa.regions.models import Region

    for kab in KABS:
        desa = list(Region.objects.filter(level=Level.DESA, is_historical=False, code__startswith=kab + ".")
                    .order_by("code").values_list("code", flat=True))
        batch, used = [], {}
        for n in range(rows):
            code = desa[n % len(desa)]
            born = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
            head = f"{code[:2]}{code[3:5]}{code[6:8]}{born:%d%m%y}"
            serial = used[head] = used.get(head, 0) + 1
            batch.append(Participant(nik=f"{head}{serial:04d}", full_name=f"Peserta {kab} {n}", birth_date=born,
                                     sex="L", desa_id=code, segment="BPU").fill_derived())
            if len(batch) == 10_000:
                Participant.objects.bulk_create(batch)
                batch = []
        Participant.objects.bulk_create(batch)
    start_month = add_months(first, -11)
    case_paid = " ".join(f"WHEN {i} THEN %s" for i in range(len(PAID_THROUGH)))
    with connection.cursor() as cur:
        cur.execute("""
            INSERT INTO billing_membership (participant_id, kab_code, desa_code, segment, programmes, programme_mask,
                                            income, first_month, channel, created_at, end_reason)
            SELECT id, kab_code, desa_code, 'BPU', '["JKK", "JKM"]', 3, 1000000, %s, 'cli', now(), ''
            FROM participants_participant""", [start_month])
        cur.execute("""
            INSERT INTO billing_due (participant_id, kab_code, desa_code, month, membership_id, payer_type, segment,
                                     sector, programme_mask, income, jkk, jkm, jht, jp, discount, amount, created_at)
            SELECT m.participant_id, m.kab_code, m.desa_code, g::date, m.id, 'self', 'BPU', 'umum', 3, 1000000,
                   10000, 6800, 0, 0, 0, 16800, now()
            FROM billing_membership m CROSS JOIN generate_series(%s::date, %s::date, interval '1 month') g""",
                    [start_month, first])
        cur.execute(f"""
            WITH p AS (SELECT id, ROW_NUMBER() OVER (PARTITION BY kab_code ORDER BY id) - 1 AS n
                       FROM participants_participant),
                 t AS (SELECT id, CASE n %% {len(PAID_THROUGH)} {case_paid} END AS through FROM p)
            INSERT INTO billing_allocation (due_id, seq, amount, holder_type, holder_id, kab_code, origin, created_at)
            SELECT d.id, 0, d.amount, 'P', d.participant_id, d.kab_code, 'credit', now()
            FROM billing_due d JOIN t ON t.id = d.participant_id
            WHERE t.through IS NOT NULL AND d.month <= t.through""",
                    [add_months(first, k) if k is not None else None for k in PAID_THROUGH])
        cur.execute("ANALYZE")


def planted(first: date, today: date) -> dict[int, str]:
    """The status each position n (within a kabupaten, by id) must have today."""
    from jamsosdesa.billing.status import Deadline, status_by_last_paid
    from jamsosdesa.core.months import add_months

    cutoff = Deadline.from_settings().cutoff(today)
    out = {}
    for i, through in enumerate(PAID_THROUGH):
        last = add_months(first, through) if through is not None else None
        first_paid = add_months(first, -11) if through is not None else None
        out[i] = status_by_last_paid(last, first_paid, today, cutoff, ended=False)[0]
    return out


def run(rows: int, checks: Checks) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jamsosdesa.accounts.models import User
    from jamsosdesa.billing.access import billing_participant
    from jamsosdesa.billing.status import planned_without_jit, status_of, status_table
    from jamsosdesa.core import clock
    from jamsosdesa.core.roles import Role
    from jamsosdesa.participants.models import Participant
    from jamsosdesa.participants.selectors import ParticipantFilter, participant_page

    say(f"PostgreSQL {connection.cursor().connection.info.server_version}, Python {sys.version.split()[0]}")
    call_command("migrate", verbosity=0)
    call_command("regions", "load", verbosity=0)
    first, today = clock.this_month(), clock.today()
    start = time.perf_counter()
    load(rows, first)
    with connection.cursor() as cur:
        cur.execute("SELECT (SELECT COUNT(*) FROM participants_participant), (SELECT COUNT(*) FROM billing_due),"
                    " (SELECT COUNT(*) FROM billing_allocation)")
        people, dues, allocations = cur.fetchone()
    say(f"Loaded {people:,} participants, {dues:,} dues, {allocations:,} allocations in "
        f"{time.perf_counter() - start:.1f} s (today {today:%Y-%m-%d})")
    admin = User.objects.create_user("bench", role=Role.NATIONAL_ADMIN, is_superuser=True)
    by_position = planted(first, today)
    position = {}
    for kab in KABS:
        for n, pk in enumerate(Participant.objects.filter(kab_code=kab).order_by("pk").values_list("pk", flat=True)):
            position[pk] = n % len(PAID_THROUGH)
    niks = dict(Participant.objects.values_list("nik", "pk"))
    sample = random.Random(12).sample(sorted(niks), SAMPLES)
    loads = [os.getloadavg()[0]]

    # one participant: as the API / CLI do it
    for nik in sample[:50]:  # warm: the policy cache, the connection, the plans
        status_of(billing_participant(admin, nik=nik), today)
    times, alone, wrong = [], [], 0
    for nik in sample:
        begin = time.perf_counter()
        person = billing_participant(admin, nik=nik)
        found = time.perf_counter()
        status = status_of(person, today)
        done = time.perf_counter()
        times.append((done - begin) * 1000)
        alone.append((done - found) * 1000)
        wrong += status.status != by_position[position[niks[nik]]]
    loads.append(os.getloadavg()[0])
    checks.expect(f"{SAMPLES} sampled people have their planted status", wrong, 0)
    times.sort()
    alone.sort()
    p50, p95, worst = statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1]
    alone_p50, alone_p95 = statistics.median(alone), alone[int(len(alone) * 0.95) - 1]

    # a kabupaten at once
    sql, params = status_table(KABS[0], today)
    begin = time.perf_counter()
    with planned_without_jit(), connection.cursor() as cur:  # as its callers run it (JIT off on PostgreSQL)
        cur.execute(sql, params)
        table = cur.fetchall()
    table_s = time.perf_counter() - begin
    loads.append(os.getloadavg()[0])
    counts = Counter(row[1] for row in table)
    wanted = Counter(by_position[n % len(PAID_THROUGH)] for n in range(rows))
    checks.expect("status table of Kab. Sukoharjo: rows", len(table), rows)
    checks.expect("status table of Kab. Sukoharjo: people per status", dict(sorted(counts.items())),
                  dict(sorted(wanted.items())))
    filters = ParticipantFilter(region=KABS[0], extra={"protection": "arrears"})
    participant_page(user=admin, filters=filters)  # warm
    begin = time.perf_counter()
    page = participant_page(user=admin, filters=filters)
    list_s = time.perf_counter() - begin
    checks.expect("list filtered by arrears: total", page.total, min(wanted["arrears"], 10_000))

    say()
    say(f"| {people:,} participants, {dues:,} dues | figure | target | |\n| --- | ---: | --- | --- |")
    verdict = "PASS" if p95 < TARGET_MS else "MISS"
    say(f"| status of one participant (`status_of`), p50 | {alone_p50:.2f} ms | | |")
    say(f"| status of one participant (`status_of`), p95 of {SAMPLES:,} | {alone_p95:.2f} ms | < {TARGET_MS:.0f} ms "
        f"| {'PASS' if alone_p95 < TARGET_MS else 'MISS'} |")
    say(f"| found by NIK in the user's scope + status, p50 | {p50:.2f} ms | | |")
    say(f"| found by NIK in the user's scope + status, p95 | {p95:.2f} ms | < {TARGET_MS:.0f} ms | {verdict} |")
    say(f"| found by NIK + status, slowest | {worst:.2f} ms | | |")
    say(f"| status table of Kab. Sukoharjo ({rows:,} people, all rows) | {table_s:.3f} s | none set | |")
    say(f"| participant list filtered by 'arrears' (first page + count) | {list_s:.3f} s | none set | |")
    say(f"| peak memory | {peak_rss_mb():,.0f} MB | | |")
    say(f"\n{run_note(loads)}")


if __name__ == "__main__":
    sys.exit(standalone(
        __doc__, run, rows=100_000, quick_rows=10_000,
        rows_help="participants in each of the two kabupaten", quick_help="10,000 participants each: a smoke run",
        pg_url=DEFAULT_PG_URL))
