"""Enrolment benchmark: 100,000 participants into a funding scheme by filter, on PostgreSQL.

    .venv/bin/python bench/funding.py                  # 100,000 participants (issue 4 target: < 20 s)
    .venv/bin/python bench/funding.py --quick          # 10,000: a quick check
    .venv/bin/python bench/funding.py --pg-url postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_funding

A fresh database (dropped and created) with all regions and `--rows` BPU participants spread over the 237
desa of Kab. Sukoharjo and Kab. Gianyar, plus 5 % who fail a rule (too old, wage earners, deregistered). A
district-style scheme (APBD, JKK+JKM on Rp1,000,000, six months, a quota for each of the 237 desa, a budget that
fits)
enrols everyone by one filter through `funding.services.enrol` (eligibility, cover by another scheme, desa
quota and budget all checked). Then a second scheme enrols `--one-by-one` people through
`funding.services.enrol_one`, the same service a single enrolment uses; the ratio compares rows/s.
Prints seconds, rows/s, peak memory and PASS/MISS against the target.
"""

import argparse
import os
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TARGET_SECONDS = 20.0
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_funding"


def say(message: str = "") -> None:
    print(message, flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def load_people(rows: int) -> int:
    from jamsosdesa.participants.models import Participant
    from jamsosdesa.regions.models import Level, Region

    desa = list(Region.objects.filter(level=Level.DESA, is_historical=False)
                .filter(code__regex=r"^(33\.11|51\.04)\.").order_by("code").values_list("code", flat=True))
    rng = random.Random(4)
    extra = rows // 20
    batch, made, used = [], 0, {}
    for n in range(rows + extra):
        code = desa[n % len(desa)]
        ineligible = n >= rows
        born = date(1950, 1, 1) if ineligible and n % 3 == 0 else date(rng.randint(1962, 2006), rng.randint(1, 12),
                                                                          rng.randint(1, 28))
        head = f"{code[:2]}{code[3:5]}{code[6:8]}{born:%d%m%y}"
        serial = used[head] = used.get(head, 0) + 1  # serials 0001, 0002, ... per region and birth date
        p = Participant(nik=f"{head}{serial:04d}", full_name=f"Peserta {n}", birth_date=born, sex="L",
                        desa_id=code, segment="PU" if ineligible and n % 3 == 1 else "BPU",
                        is_active=not (ineligible and n % 3 == 2))
        batch.append(p.fill_derived())
        if len(batch) == 10_000:
            Participant.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    Participant.objects.bulk_create(batch)
    return made + len(batch)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 rows, 100 one by one")
    parser.add_argument("--one-by-one", type=int, default=500, help="how many to enrol one by one for the ratio")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    args = parser.parse_args()
    rows, single = (10_000, 100) if args.quick else (args.rows, args.one_by_one)

    fresh_database(args.pg_url)
    os.environ["DATABASE_URL"] = args.pg_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsosdesa.settings")
    os.environ.setdefault("JAMSOSDESA_VAR_DIR", "/tmp/jamsosdesa-bench-var")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jamsosdesa.accounts.models import Role, User
    from jamsosdesa.funding.models import Enrolment
    from jamsosdesa.funding.services import EnrolRequest, SchemeData, enrol, enrol_one, scheme_create
    from jamsosdesa.participants.models import Participant

    say(f"PostgreSQL {connection.cursor().connection.info.server_version}, Python {sys.version.split()[0]}")
    call_command("migrate", verbosity=0)
    call_command("regions", "load", verbosity=0)
    start = time.perf_counter()
    total = load_people(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"{total:,} participants loaded in {time.perf_counter() - start:.1f} s")
    admin = User.objects.create_user("bench", role=Role.NATIONAL_ADMIN, is_superuser=True)
    first = date(2026, 11, 1)

    desa = sorted(set(Participant.objects.values_list("desa_id", flat=True)))
    quota = -(-rows // len(desa)) + 20

    def scheme(name: str):
        return scheme_create(actor=admin, data=SchemeData(
            name=name, payer_type="apbd", owner_code="", legal_basis_number="Perbup 1/2026",
            legal_basis_date=date(2026, 10, 1), start_month=first, end_month=date(2027, 4, 1),
            budget_ceiling=quota * len(desa) * 100_800, quotas=dict.fromkeys(desa, quota)))

    by_filter = scheme("Benchmark: by filter")
    start = time.perf_counter()
    batch = enrol(actor=admin, scheme=by_filter, request=EnrolRequest(
        participants=Participant.objects.all(), start_month=first, description="benchmark"))
    seconds = time.perf_counter() - start
    assert batch.enrolled == Enrolment.objects.filter(scheme=by_filter).count()
    say(f"by filter: {batch.candidates:,} candidates, {batch.enrolled:,} enrolled, {batch.refused:,} refused "
        f"in {seconds:.2f} s")

    one_scheme = scheme("Benchmark: one by one")
    Enrolment.objects.filter(scheme=by_filter).update(end_month=date(2026, 10, 1))  # free them for scheme two
    people = list(Participant.objects.filter(segment="BPU", is_active=True, birth_date__gt=date(1961, 1, 1))
                  .order_by("pk")[:single])
    start = time.perf_counter()
    for p in people:
        enrol_one(actor=admin, scheme=one_scheme, participant=p, start_month=first)
    single_seconds = time.perf_counter() - start
    filter_rate = batch.enrolled / seconds
    single_rate = len(people) / single_seconds
    say()
    say("| measurement | figure | target | |\n| --- | ---: | --- | --- |")
    say(f"| enrol {batch.enrolled:,} by filter (of {batch.candidates:,} candidates) | {seconds:.2f} s "
        f"({filter_rate:,.0f} rows/s) | < {TARGET_SECONDS:.0f} s for 100,000 | "
        f"{'PASS' if seconds * 100_000 / max(batch.enrolled, 1) < TARGET_SECONDS else 'MISS'} |")
    say(f"| enrol one by one through the same service ({len(people)}) | {single_seconds:.2f} s "
        f"({single_rate:,.0f} rows/s) | | |")
    say(f"| ratio (by filter vs one by one, rows/s) | {filter_rate / single_rate:,.0f}× | | |")
    say(f"| peak memory | {peak_rss_mb():,.0f} MB | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
