"""Abuse benchmark (issue 11, "Leaks and abuse" 1): a CSV of 1,000,000 rows that all carry one NIK, on PostgreSQL.

Duplicate handling used to be quadratic in the rows of one NIK (20,000 rows 7 s, 80,000 rows 107 s, a million
rows about 4.6 hours) while every other user's imports and enrolments waited. The target: the file is refused
or processed in under 60 s.

    .venv/bin/python bench/one_nik.py            # 1,000,000 rows (34 MB): target < 60 s
    .venv/bin/python bench/one_nik.py --quick    # 50,000 rows: a smoke run
    .venv/bin/python bench/one_nik.py --rows 200000 --pg-url postgresql://postgres@127.0.0.1:5432/other_name

A fresh database (created by this script and dropped at the end, also when the run fails or is stopped,
unless --keep-db) with all regions and one operator of the file's desa. The file goes through the import job
as an upload does: the preview (`import_job_run`, a dry run that reads the file twice, classifies every row
and writes the report of the rows not loaded), then the load of the same job. Each is timed end to end.

Checked, and the run exits 1 when any differs: the preview counts one new row and `rows - 1` duplicates; its
report lists the first IMPORT_REPORT_MAX_ROWS (100,000) of them and says how many it left out; the load stores
the one participant with one audit event.
"""

import argparse
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

from common import Checks, django_env, exit_on_sigterm, pg_database, run_note, say  # noqa: E402

TARGET_SECONDS = 60.0
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_one_nik"
DESA = "33.11.11.2004"  # Krajan, Kec. Gatak, Kab. Sukoharjo
NIK = "3311110505900003"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_file(path: Path, rows: int) -> int:
    """NIK, name and birth date, every row the same person (34 MB for a million rows, as the file the outside
    review sent); returns the file's size in bytes."""
    line = f"{NIK},Budi,05-05-1990\r\n"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("nik,nama,tanggal_lahir\r\n")
        for _ in range(rows // 10_000):
            out.write(line * 10_000)
        out.write(line * (rows % 10_000))
    return path.stat().st_size


def run(args, rows: int, folder: Path, checks: Checks) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from jamsosdesa.accounts.models import User
    from jamsosdesa.core.jobs import JobStatus
    from jamsosdesa.core.models import AuditEvent
    from jamsosdesa.core.roles import Role
    from jamsosdesa.imports.models import ImportJob
    from jamsosdesa.imports.services import import_job_run
    from jamsosdesa.participants.models import Participant
    from jamsosdesa.regions.models import Region

    say(f"PostgreSQL {connection.cursor().connection.info.server_version}, Python {sys.version.split()[0]}")
    call_command("migrate", verbosity=0)
    call_command("regions", "load", verbosity=0)
    operator = User.objects.create_user("bench.operator", role=Role.VILLAGE_OPERATOR)
    operator.regions.add(Region.objects.get(code=DESA))
    path = folder / "satu-nik.csv"
    size = write_file(path, rows)
    say(f"{path.name}: {rows:,} rows of NIK {NIK}, {size / 1_000_000:.1f} MB")

    job = ImportJob.objects.create(status=JobStatus.QUEUED, created_by=operator, file_name=path.name,
                                   file_path=str(path), file_size=size, desa_id=DESA, dry_run=True)
    load = [os.getloadavg()[0]]
    start = time.perf_counter()
    job = import_job_run(job.pk)
    preview = time.perf_counter() - start
    load.append(os.getloadavg()[0])
    counts = {k: v for k, v in (job.summary.get("counts") or {}).items() if v}
    say(f"preview: {job.status} in {preview:.1f} s; {counts}; {job.message or job.summary.get('file_error', '')}")
    say("\nChecks of the preview:")
    checks.expect("job status", job.status, JobStatus.DONE)
    checks.expect("counts (one new, every other row a duplicate)", counts, {"new": 1, "duplicate": rows - 1})
    report_rows = 0
    if job.report_path:
        sheet = CalamineWorkbook.from_path(job.report_path).get_sheet_by_index(0)
        report_rows = sheet.height - 1
    listed = min(rows - 1, settings.IMPORT_REPORT_MAX_ROWS)
    checks.expect(f"rows in the report (the first {listed:,} duplicates, and a line for the rest if any)",
                  report_rows, listed + (listed < rows - 1))
    checks.expect("duplicates the report leaves out", job.summary.get("report_left_out"), rows - 1 - listed)

    job.status, job.dry_run = JobStatus.QUEUED, False
    job.save(update_fields=["status", "dry_run"])
    load.append(os.getloadavg()[0])
    start = time.perf_counter()
    job = import_job_run(job.pk)
    applied = time.perf_counter() - start
    load.append(os.getloadavg()[0])
    say(f"load: {job.status} in {applied:.1f} s")
    say("\nChecks of the load:")
    checks.expect("job status", job.status, JobStatus.DONE)
    checks.expect("participants stored", Participant.objects.filter(nik=NIK).count(), 1)
    checks.expect("audit events of the registration",
                  AuditEvent.objects.filter(event_type="participant.registered").count(), 1)

    def verdict(seconds: float) -> str:
        return "PASS" if seconds < TARGET_SECONDS else "MISS"

    say()
    say("| measurement | figure | target | |\n| --- | ---: | --- | --- |")
    say(f"| preview of {rows:,} rows of one NIK (read twice, classify, report) | {preview:.1f} s "
        f"| < {TARGET_SECONDS:.0f} s | {verdict(preview)} |")
    say(f"| load of the same job | {applied:.1f} s | < {TARGET_SECONDS:.0f} s | {verdict(applied)} |")
    say(f"| peak memory | {peak_rss_mb():,.0f} MB | | |")
    say(f"\n{run_note(load)} The load average is taken around the two jobs.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="50,000 rows")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL,
                        help=f"benchmark database, created and dropped by this script (default {DEFAULT_PG_URL})")
    parser.add_argument("--keep-db", action="store_true", help="leave the database in place at the end")
    args = parser.parse_args()
    rows = 50_000 if args.quick else args.rows

    exit_on_sigterm()
    folder = Path(tempfile.mkdtemp(prefix="jamsosdesa-bench-one-nik-"))
    if "JAMSOSDESA_VAR_DIR" not in os.environ:  # the cache (job progress) goes here: removed at the end
        os.environ["JAMSOSDESA_VAR_DIR"] = str(folder / "var")
    os.environ["DATABASE_URL"] = args.pg_url
    django_env()
    checks = Checks()
    try:
        with pg_database(args.pg_url, keep=args.keep_db):
            run(args, rows, folder, checks)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return checks.verdict()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("\nStopped (Ctrl-C); the benchmark database is dropped.")
        sys.exit(130)
