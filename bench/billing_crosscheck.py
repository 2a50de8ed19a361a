"""BPJS cross-check benchmark (issue 12 slice 7): a 100,000-row BPJS list compared with jamsosdesa on PostgreSQL.

    .venv/bin/python bench/billing_crosscheck.py               # 100,000 participants per kabupaten, 100,000 rows
    .venv/bin/python bench/billing_crosscheck.py --quick       # 10,000: a smoke run
    .venv/bin/python bench/billing.py --part crosscheck        # as a part of the billing bench's world

The standalone world is bench/status.py's (`load`): `--rows` BPU participants in Kab. Sukoharjo (33.11) and as
many in Kab. Gianyar (51.04), each with 12 months of their own package, paid up to a month that cycles through this
month, −1, −2, −3 and never. The list (a CSV written here, the size of the region) names 33.11's people with BPJS's
headers: one in ten omitted, one in seven marked the other way round, one in eleven with another paid-through month,
plus 2 % NIKs from Gianyar (outside the list's region) and 2 % unknown NIKs.

Measured: reading the file (`imports.bpjs.read_bpjs_list`) and the comparison (`billing.crosscheck
.crosscheck_compare`: status_table over the kabupaten, the NIKs outside it, the rows written), through the command's
service (`bpjs_compare_now`). No target in the issue: the figure. Checked (exit 1 if any differs): every row of the
file is compared; the outside and unknown counts are the planted ones; the rows the list omitted come back as
`ours_only_active` exactly for those active on our side.
"""

import argparse
import csv
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from common import Checks, django_env, exit_on_sigterm, pg_database, say  # noqa: E402

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/h8_bpjs_bench"
REGION = "33.11"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_list(path: Path, region: str, outside_region: str | None) -> dict:
    """The BPJS list of `region`'s people as described above; returns what was planted."""
    from jamsosdesa.billing.crosscheck import ours_in_region
    from jamsosdesa.core import clock
    from jamsosdesa.core.months import add_months
    from jamsosdesa.participants.models import Participant

    today = clock.today()
    ours = ours_in_region(region, today)
    planted = {"omitted_active": 0, "outside": 0, "unknown": 0, "rows": 0}
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(["NIK", "KPJ", "STATUS KEPESERTAAN", "BULAN TERAKHIR BAYAR"])
        for n, (nik, mine) in enumerate(sorted(ours.items())):
            if n % 10 == 0:
                planted["omitted_active"] += mine.status == "active"
                continue
            active = (mine.status == "active") != (n % 7 == 0)
            through = mine.paid_through
            if through and n % 11 == 0:
                through = add_months(through, -1)
            out.writerow([nik, f"K{n:09d}", "AKTIF" if active else "NON AKTIF",
                          f"{through:%m/%Y}" if through else ""])
            planted["rows"] += 1
        extra = max(len(ours) // 50, 1)
        if outside_region:
            for nik in (Participant.objects.filter(kab_code=outside_region).order_by("pk")
                        .values_list("nik", flat=True)[:extra]):
                out.writerow([nik, "", "AKTIF", f"{today:%m/%Y}"])
                planted["outside"] += 1
                planted["rows"] += 1
        for n in range(extra):
            out.writerow([f"9901019{n:09d}", "", "AKTIF", f"{today:%Y-%m}"])
            planted["unknown"] += 1
            planted["rows"] += 1
    return planted


def compare(actor, region: str, outside_region: str | None, checks: Checks) -> dict:
    from jamsosdesa.billing.models import BpjsListRow
    from jamsosdesa.imports.bpjs import read_bpjs_list
    from jamsosdesa.imports.bpjs_import import bpjs_compare_now

    folder = Path(tempfile.mkdtemp(prefix="jamsosdesa-bench-bpjs-"))
    path = folder / "daftar-bpjs.csv"
    try:
        start = time.perf_counter()
        planted = write_list(path, region, outside_region)
        say(f"List written: {planted['rows']:,} rows in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        read = read_bpjs_list(str(path))
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        job = bpjs_compare_now(actor=actor, path=str(path), region_code=region)
        total_s = time.perf_counter() - start
    finally:
        for child in folder.iterdir():
            child.unlink()
        folder.rmdir()
    totals = job.summary["totals"]
    checks.expect("every row of the file is compared", job.summary["compared"], planted["rows"])
    checks.expect("rows read", len(read.rows), planted["rows"])
    checks.expect("outside the region", totals["outside_area"], planted["outside"])
    checks.expect("unknown NIKs", totals["not_in_registry"], planted["unknown"])
    checks.expect("omitted but active with us", BpjsListRow.objects.filter(bpjs_list=job, row_no=0).count(),
                  planted["omitted_active"])
    return {"rows": planted["rows"], "read_s": round(read_s, 2), "read_and_compare_s": round(total_s, 2),
            "compare_s": round(total_s - read_s, 2), "rows_per_s": int(planted["rows"] / max(total_s, 1e-9)),
            "totals": totals}


def measure(ctx) -> dict:
    """`bench/billing.py --part crosscheck`: a list of the world's largest kabupaten, as above."""
    from django.db.models import Count

    from jamsosdesa.participants.models import Participant

    kabs = list(Participant.objects.values("kab_code").annotate(n=Count("id")).order_by("-n")
                .values_list("kab_code", flat=True)[:2])
    figures = compare(ctx.admin, kabs[0], kabs[1] if len(kabs) > 1 else None, ctx.checks)
    ctx.say(f"cross-check of {kabs[0]}: {figures['rows']:,} rows in {figures['read_and_compare_s']} s")
    return figures


def run(rows: int, checks: Checks) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from status import load

    from jamsosdesa.accounts.models import User
    from jamsosdesa.core import clock
    from jamsosdesa.core.roles import Role

    say(f"PostgreSQL {connection.cursor().connection.info.server_version}, Python {sys.version.split()[0]}")
    call_command("migrate", verbosity=0)
    call_command("regions", "load", verbosity=0)
    start = time.perf_counter()
    load(rows, clock.this_month())
    say(f"Loaded {rows:,} participants in each of two kabupaten with 12 months of dues in "
        f"{time.perf_counter() - start:.1f} s")
    admin = User.objects.create_user("bench", role=Role.NATIONAL_ADMIN, is_superuser=True)
    figures = compare(admin, REGION, "51.04", checks)
    figures["peak_memory_mb"] = round(peak_rss_mb())
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="participants in each of the two kabupaten")
    parser.add_argument("--quick", action="store_true", help="10,000 participants each: a smoke run")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL,
                        help=f"benchmark database, created and dropped by this script (default {DEFAULT_PG_URL})")
    parser.add_argument("--keep-db", action="store_true", help="leave the database in place at the end")
    args = parser.parse_args()
    rows = 10_000 if args.quick else args.rows
    exit_on_sigterm()
    var = None
    if "JAMSOSDESA_VAR_DIR" not in os.environ:  # the cache and reports go here: removed at the end
        var = os.environ["JAMSOSDESA_VAR_DIR"] = tempfile.mkdtemp(prefix="jamsosdesa-bench-bpjs-var-")
    os.environ["DATABASE_URL"] = args.pg_url
    django_env()
    checks = Checks()
    try:
        with pg_database(args.pg_url, keep=args.keep_db):
            figures = run(rows, checks)
    finally:
        if var:
            shutil.rmtree(var, ignore_errors=True)
    say("\n| measurement | figure | target | |\n| --- | ---: | --- | --- |")
    say(f"| read a {figures['rows']:,}-row BPJS list (CSV) | {figures['read_s']:.2f} s | | |")
    say(f"| read and compare it with {REGION} ({rows:,} participants, status_table on today) | "
        f"{figures['read_and_compare_s']:.2f} s ({figures['rows_per_s']:,} rows/s) | none in the issue | figure |")
    say(f"| peak memory | {figures['peak_memory_mb']:,} MB | | |")
    say(f"findings: {figures['totals']}")
    return checks.verdict()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("\nStopped (Ctrl-C); the benchmark database is dropped.")
        sys.exit(130)
