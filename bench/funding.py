"""Enrolment benchmark: 100,000 participants into a funding scheme by filter, on PostgreSQL.

    .venv/bin/python bench/funding.py                  # 100,000 participants (issue 4 target: < 20 s)
    .venv/bin/python bench/funding.py --quick          # 10,000 and 100 one by one: a smoke run
    .venv/bin/python bench/funding.py --pg-url postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_funding

A fresh database (created by this script and dropped at the end, also when the run fails or is stopped,
unless --keep-db) with all regions and `--rows` BPU participants spread over the 237 desa of Kab. Sukoharjo
and Kab. Gianyar, plus 5 % who fail a rule (a third each: too old, wage earners, deregistered). A
district-style scheme (APBD, JKK+JKM on Rp1,000,000, six months from the current month, a quota for each
desa with room to spare, a budget that fits) enrols everyone by one filter through the enrolment service
(eligibility, cover by another scheme, desa quota and budget all checked). Then a second scheme enrols
`--one-by-one` people through the single-enrolment service; the ratio compares rows/s. Prints seconds,
rows/s, peak memory and PASS/MISS against the target (a MISS does not fail the run).

Checked, and the run exits 1 when any differs: the batch's candidates, enrolled and refused counts and its
refusal reasons against the planted people; the enrolments stored (one per eligible person, no one
ineligible, each with the batch's cost per person, one audit event each); every one-by-one enrolment stored.

Not SQLite: the enrolment batch's locking and the figures of interest are PostgreSQL's.
"""

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from common import Checks, django_env, exit_on_sigterm, pg_database, run_note, say  # noqa: E402

TARGET_SECONDS = 20.0
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_funding"
QUOTA_ROOM = 20  # each desa's quota is this much above the people planted there: the quota never refuses


# --- The funding services this benchmark calls: when they are renamed, this is the one place to follow ----


def create_scheme(admin, *, name: str, start: date, end: date, quotas: dict[str, int], budget: int):
    from jamsosdesa.funding.services import SchemeData, scheme_create

    return scheme_create(actor=admin, data=SchemeData(
        name=name, payer_type="apbd", owner_code="", legal_basis_number="Perbup 1/2026",
        legal_basis_date=start - timedelta(days=30), start_month=start, end_month=end, budget_ceiling=budget,
        quotas=quotas))


def enrol_by_filter(admin, scheme, participants, start: date):
    """Everyone `participants` selects, in one batch; returns the batch."""
    from jamsosdesa.funding.services import EnrolmentSelection, enrolment_batch_run

    return enrolment_batch_run(actor=admin, scheme=scheme, selection=EnrolmentSelection(
        participants=participants, start_month=start, description="benchmark"))


def enrol_single(admin, scheme, participant, start: date):
    """One person through the single-enrolment service; returns the enrolment."""
    from jamsosdesa.funding.services import enrolment_create

    return enrolment_create(actor=admin, scheme=scheme, participant=participant, start_month=start)


def batch_figures(batch) -> dict:
    """What a batch says it did: counts, its cost per person, and its refusals by reason."""
    from django.db.models import Count

    from jamsosdesa.funding.models import Candidate

    reasons = dict(Candidate.objects.filter(batch=batch).exclude(reason="").values_list("reason")
                   .annotate(n=Count("id")))
    return {"candidates": batch.candidates, "enrolled": batch.enrolled, "refused": batch.refused,
            "cost_per_person": batch.cost_per_person, "reasons": reasons}


# --- Set-up ------------------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_people(rows: int, start: date) -> dict:
    """`rows` eligible people over the desa of 33.11 and 51.04, then rows // 20 who fail one rule each (in
    turn: too old, a wage earner (PU), deregistered). Birth years are counted from the scheme's first month,
    so the same people are eligible whatever the date. Returns what was planted."""
    from jamsosdesa.core.regioncodes import Level
    from jamsosdesa.participants.models import Participant
    from jamsosdesa.regions.models import Region

    desa = list(Region.objects.filter(level=Level.DESA, is_historical=False)
                .filter(code__regex=r"^(33\.11|51\.04)\.").order_by("code").values_list("code", flat=True))
    rng = random.Random(4)
    extra = rows // 20
    planted = {"eligible": rows, "too_old": 0, "segment": 0, "inactive": 0, "desa": desa}
    batch, used = [], {}
    for n in range(rows + extra):
        code = desa[n % len(desa)]
        why = ("too_old", "segment", "inactive")[n % 3] if n >= rows else ""
        if why:
            planted[why] += 1
        born = date(start.year - 70, 1, 1) if why == "too_old" else date(
            rng.randint(start.year - 60, start.year - 20), rng.randint(1, 12), rng.randint(1, 28))
        head = f"{code[:2]}{code[3:5]}{code[6:8]}{born:%d%m%y}"
        serial = used[head] = used.get(head, 0) + 1  # serials 0001, 0002, ... per region and birth date
        p = Participant(nik=f"{head}{serial:04d}", full_name=f"Peserta {n}", birth_date=born, sex="L",
                        desa_id=code, segment="PU" if why == "segment" else "BPU", is_active=why != "inactive")
        batch.append(p.fill_derived())
        if len(batch) == 10_000:
            Participant.objects.bulk_create(batch)
            batch = []
    Participant.objects.bulk_create(batch)
    return planted


# --- The run ---------------------------------------------------------------------------------------------------


def run(args, rows: int, single: int, checks: Checks) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum

    from jamsosdesa.accounts.models import User
    from jamsosdesa.core.clock import this_month
    from jamsosdesa.core.models import AuditEvent
    from jamsosdesa.core.months import add_months
    from jamsosdesa.core.roles import Role
    from jamsosdesa.funding.models import Enrolment
    from jamsosdesa.participants.models import Participant

    say(f"PostgreSQL {connection.cursor().connection.info.server_version}, Python {sys.version.split()[0]}")
    call_command("migrate", verbosity=0)
    call_command("regions", "load", verbosity=0)
    first = this_month()
    last = add_months(first, 5)
    start = time.perf_counter()
    planted = load_people(rows, first)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = rows + planted["too_old"] + planted["segment"] + planted["inactive"]
    say(f"{total:,} participants loaded in {time.perf_counter() - start:.1f} s; scheme months "
        f"{first:%m/%Y}–{last:%m/%Y}")
    admin = User.objects.create_user("bench", role=Role.NATIONAL_ADMIN, is_superuser=True)

    desa = planted["desa"]
    quota = -(-rows // len(desa)) + QUOTA_ROOM
    # Six months of JKK+JKM on Rp1,000,000 cost Rp100,800 (16,800 a month); 200,000 a head leaves room if the
    # rates change: the budget never refuses anyone either.
    budget = quota * len(desa) * 200_000

    by_filter = create_scheme(admin, name="Benchmark: by filter", start=first, end=last,
                              quotas=dict.fromkeys(desa, quota), budget=budget)
    load = [os.getloadavg()[0]]
    start = time.perf_counter()
    batch = enrol_by_filter(admin, by_filter, Participant.objects.all(), first)
    seconds = time.perf_counter() - start
    load.append(os.getloadavg()[0])
    figures = batch_figures(batch)
    say(f"by filter: {figures['candidates']:,} candidates, {figures['enrolled']:,} enrolled, "
        f"{figures['refused']:,} refused in {seconds:.2f} s")

    say("\nChecks of the batch by filter:")
    refused = {k: planted[k] for k in ("inactive", "segment", "too_old")}
    checks.expect("candidates (everyone planted)", figures["candidates"], total)
    checks.expect("enrolled (the eligible planted)", figures["enrolled"], rows)
    checks.expect("refused (the ineligible planted)", figures["refused"], sum(refused.values()))
    checks.expect("refusal reasons", figures["reasons"], refused)
    enrolments = Enrolment.objects.filter(scheme=by_filter)
    checks.expect("enrolments stored", enrolments.count(), rows)
    eligible = enrolments.filter(participant__segment="BPU", participant__is_active=True,
                                 participant__birth_date__gt=date(first.year - 66, first.month, 1))
    checks.expect("of them, eligible people (BPU, active, not too old)", eligible.count(), rows)
    checks.expect("cost of the enrolments (enrolled x the batch's cost per person)",
                  enrolments.aggregate(total=Sum("cost"))["total"], rows * figures["cost_per_person"])
    checks.expect("cost per person is a positive amount", figures["cost_per_person"] > 0, True)
    checks.expect("audit events of the enrolments",
                  AuditEvent.objects.filter(object_type="enrolment").count(), rows)

    one_scheme = create_scheme(admin, name="Benchmark: one by one", start=first, end=last,
                               quotas=dict.fromkeys(desa, quota), budget=budget)
    # Free the first people of scheme one for scheme two: their cover there ends before scheme two starts.
    people = list(eligible.order_by("participant_id").values_list("participant_id", flat=True)[:single])
    Enrolment.objects.filter(scheme=by_filter, participant_id__in=people).update(end_month=add_months(first, -1))
    people = list(Participant.objects.filter(pk__in=people).order_by("pk"))
    start = time.perf_counter()
    made = [enrol_single(admin, one_scheme, p, first) for p in people]
    single_seconds = time.perf_counter() - start
    load.append(os.getloadavg()[0])
    say("\nChecks of the enrolments one by one:")
    checks.expect("enrolments returned", sum(1 for e in made if e is not None and e.pk), single)
    checks.expect("enrolments stored", Enrolment.objects.filter(scheme=one_scheme).count(), single)

    filter_rate = figures["enrolled"] / seconds
    single_rate = len(people) / single_seconds if single_seconds else 0
    say()
    say("| measurement | figure | target | |\n| --- | ---: | --- | --- |")
    say(f"| enrol {figures['enrolled']:,} by filter (of {figures['candidates']:,} candidates) | {seconds:.2f} s "
        f"({filter_rate:,.0f} rows/s) | < {TARGET_SECONDS:.0f} s for 100,000 | "
        f"{'PASS' if seconds * 100_000 / max(figures['enrolled'], 1) < TARGET_SECONDS else 'MISS'} |")
    say(f"| enrol one by one through the same service ({len(people)}) | {single_seconds:.2f} s "
        f"({single_rate:,.0f} rows/s) | | |")
    say(f"| ratio (by filter vs one by one, rows/s) | {filter_rate / single_rate if single_rate else 0:,.0f}× | | |")
    say(f"| peak memory | {peak_rss_mb():,.0f} MB | | |")
    say(f"\n{run_note(load)} The load average is taken around the enrolments.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 rows, 100 one by one")
    parser.add_argument("--one-by-one", type=int, default=500, help="how many to enrol one by one for the ratio")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL,
                        help=f"benchmark database, created and dropped by this script (default {DEFAULT_PG_URL})")
    parser.add_argument("--keep-db", action="store_true", help="leave the database in place at the end")
    args = parser.parse_args()
    rows, single = (10_000, 100) if args.quick else (args.rows, args.one_by_one)

    exit_on_sigterm()
    var = None
    if "JAMSOSDESA_VAR_DIR" not in os.environ:  # the cache (batch progress) goes here: removed at the end
        var = os.environ["JAMSOSDESA_VAR_DIR"] = tempfile.mkdtemp(prefix="jamsosdesa-bench-funding-")
    os.environ["DATABASE_URL"] = args.pg_url
    django_env()
    checks = Checks()
    try:
        with pg_database(args.pg_url, keep=args.keep_db):
            run(args, rows, single, checks)
    finally:
        if var:
            shutil.rmtree(var, ignore_errors=True)
    return checks.verdict()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("\nStopped (Ctrl-C); the benchmark database is dropped.")
        sys.exit(130)
