"""Participant import benchmark: bulk files end to end through `participants_import`, on PostgreSQL and SQLite.

Files come from bench/make_import_file.py (valid NIKs matching their desa, rows from 2,000 desa across the
country with their own kode_desa, 5 % messy rows: invalid NIKs, duplicates, other spellings) and are cached
under bench/out/import-files/. Every import runs as a national admin with full validation and
deduplication, writes (not a preview), and its counts are checked against what the generator expects.

Two parts, each in its own subprocess because DATABASE_URL is read once at Django setup:

* ``postgres`` (a fresh database, default ``jamsosdesa_bench_import`` on 127.0.0.1:5432, created and
  dropped by this script; migrate + regions_load first, not timed). Sections, each starting from an empty
  registry (TRUNCATE of participants and audit events):
  ``import``   the 1,000,000-row CSV: rows/s (target >= 20,000) and peak memory (ru_maxrss, target < 2 GB);
  ``reimport`` the same file again, nothing new: rows/s (target: at least the first import's);
  ``xlsx``     the 100,000-row .xlsx: seconds (target < 15 s);
  ``naive``    20,000 clean rows, one ``Participant(...).save()`` + ``audit_record`` per row from
               csv.DictReader in one transaction, then our import of the same rows: ratio (target >= 20x).
* ``sqlite`` (a fresh file database, WAL as in settings.py): ``sqlite`` the 100,000-row CSV, rows/s
  (target >= 10,000); ``sqlite-xlsx`` the 100,000-row .xlsx, seconds (target < 15 s).

The parent prints a summary table (Markdown, as in bench/README.md). Figures, not pass/fail: the exit
status is 0 whenever the benchmark itself ran (and every import reported the expected counts).

    .venv/bin/python bench/imports.py                  # full size: about 5 minutes on 2 cores
    .venv/bin/python bench/imports.py --quick          # 20,000 / 5,000 / 2,000 rows: about 25 s
    .venv/bin/python bench/imports.py --only import,reimport --phases     # with a breakdown by phase
    .venv/bin/python bench/imports.py --only import --rows 100000 --profile  # cProfile of one import
"""

import argparse
import contextlib
import csv
import functools
import gc
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
FILES = OUT / "import-files"
sys.path.insert(0, str(BENCH))

import make_import_file  # noqa: E402
from common import run_part  # noqa: E402

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_import"
SIZES = {"full": {"big": 1_000_000, "medium": 100_000, "naive": 20_000},
         "quick": {"big": 20_000, "medium": 5_000, "naive": 2_000}}
TARGET_ROWS_PER_S = 20_000
TARGET_PEAK_MB = 2048
TARGET_XLSX_S, XLSX_TARGET_ROWS = 15.0, 100_000  # scaled with the row count in --quick
TARGET_SQLITE_ROWS_PER_S = 10_000
TARGET_RATIO = 20.0
SEED = 2026
DESA_COUNT = 2000
PG_SECTIONS = ("import", "reimport", "xlsx", "naive")
SQLITE_SECTIONS = ("sqlite", "sqlite-xlsx")
SECTIONS = PG_SECTIONS + SQLITE_SECTIONS


def say(message: str = "") -> None:
    print(message, flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def reset_peak_rss() -> bool:
    """Reset this process's peak RSS (Linux >= 4.0), so ru_maxrss afterwards is one section's peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsosdesa.settings")
    import django

    django.setup()


# --- Files --------------------------------------------------------------------------------------------


def file_plan(args) -> dict[str, dict]:
    """Every file the selected sections need: name -> make_import_file arguments."""
    plan = {}
    if {"import", "reimport"} & set(args.only):
        plan["big.csv"] = {"rows": args.rows, "fmt": "csv", "seed": SEED, "bad_share": args.bad_share,
                           "delimiter": args.delimiter, "encoding": args.encoding}
    if {"xlsx", "sqlite-xlsx"} & set(args.only):
        plan["medium.xlsx"] = {"rows": args.medium_rows, "fmt": "xlsx", "seed": SEED + 1,
                               "bad_share": args.bad_share}
    if "sqlite" in args.only:  # the same rows as medium.xlsx
        plan["medium.csv"] = {"rows": args.medium_rows, "fmt": "csv", "seed": SEED + 1,
                              "bad_share": args.bad_share}
    if "naive" in args.only:  # clean: the naive path does no validation at all
        plan["naive.csv"] = {"rows": args.naive_rows, "fmt": "csv", "seed": SEED + 2, "bad_share": 0.0}
    for kw in plan.values():
        kw["desa_count"] = min(DESA_COUNT, kw["rows"])
    return plan


def file_path(args, name: str) -> Path:
    kw = file_plan(args)[name]
    stem, suffix = name.split(".")
    variant = ("-semicolon" if kw.get("delimiter") == ";" else "") + (
        f"-{kw['encoding']}" if kw.get("encoding", "utf-8") != "utf-8" else "")
    return FILES / f"{stem}-{kw['rows']}-{str(kw['bad_share']).replace('.', '')}{variant}.{suffix}"


def prepare_files(args) -> dict[str, dict]:
    """Generate the files the sections need (or reuse matching cached ones); not timed."""
    infos = {}
    for name, kw in file_plan(args).items():
        path = file_path(args, name)
        start = time.perf_counter()
        info = make_import_file.cached(path, **kw)
        took = time.perf_counter() - start
        how = "cached" if info.get("cached") else f"generated in {took:.1f} s"
        say(f"File {path.relative_to(BENCH.parent)}: {kw['rows']:,} rows, {info['size_bytes'] / 1e6:,.1f} MB ({how}).")
        infos[name] = {"path": str(path), **info}
    return infos


# --- Measuring one import -------------------------------------------------------------------------------


class Phases:
    """Where one import's time goes. Engine functions are wrapped at chunk level (cheap; RowParser.parse per
    row, about 0.3 s per million rows); every SQL statement is timed and labelled by verb and table, and
    every COPY by table; the garbage collector through gc.callbacks. Wrappers whose target no longer
    exists in the engine are skipped and named in `missing` (the engine changes; the figures adapt)."""

    TABLES = {"participants_participant": "participants", "core_auditevent": "audit events",
              "regions_region": "regions", "participants_occupation": "occupations", "import_chunk": "staging",
              "import_nik": "file NIKs", "import_registered": "registered"}

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.missing: list[str] = []
        self._undo: list = []

    def _add(self, key: str, took: float) -> None:
        self.seconds[key] = self.seconds.get(key, 0.0) + took

    def _wrap(self, owner, name: str, key) -> None:
        original = getattr(owner, name, None)
        if original is None:
            self.missing.append(f"{getattr(owner, '__name__', owner)}.{name}")
            return
        phases = self

        @functools.wraps(original)
        def wrapper(*a, **kw):
            start = time.perf_counter()
            try:
                return original(*a, **kw)
            finally:
                phases._add(key(a) if callable(key) else key, time.perf_counter() - start)

        setattr(owner, name, wrapper)
        self._undo.append((owner, name, original))

    def _label(self, sql: str) -> str:
        text = " ".join(sql.split())
        verb = text.split(" ", 1)[0].upper()
        if verb == "WITH":  # WITH created AS (INSERT ...) INSERT ...: name what it writes
            verb = "WITH … INSERT" if " INSERT INTO " in text.upper() else "WITH … SELECT"
        tables = [name for table, name in self.TABLES.items() if table in text]
        return f"SQL {verb} {' + '.join(tables) or '(other)'}"

    def install(self, connection) -> contextlib.AbstractContextManager:
        from psycopg import Cursor

        from jamsosdesa.imports import engine, rows

        self._wrap(engine, "_desa_in_scope", "desa in scope")
        self._wrap(engine, "_first_pass", "first pass (read the file, note NIKs)")
        self._wrap(engine, "_process_chunk", "second pass: chunks (parse, classify, look up, write)")
        writer = getattr(engine, "_Writer", None)
        if writer is not None:
            self._wrap(writer, "insert", "  writer.insert (build rows + write)")
            self._wrap(writer, "update", "  writer.update")
            self._wrap(writer, "finish_bulk", "bulk: audit events of the new participants")
        for owner, name, key in (("_Registered", "_stage", "registered participants among the file's NIKs"),
                                 ("_BulkLoad", "drop", "bulk: lock, drop indexes and foreign keys"),
                                 ("_BulkLoad", "rebuild", "bulk: rebuild indexes, validate foreign keys")):
            if getattr(engine, owner, None) is not None:
                self._wrap(getattr(engine, owner), name, key)
        else:
            self.missing.append("engine._Writer")
        parser = getattr(rows, "RowParser", None)
        if parser is not None:
            self._wrap(parser, "parse", "  RowParser.parse (per row)")
        self._wrap(connection, "commit", "commit (deferred foreign-key checks, WAL flush)")

        phases = self
        original_copy = Cursor.copy

        @contextlib.contextmanager
        def timed_copy(cursor, statement, *a, **kw):
            label = f"COPY {' + '.join(n for t, n in phases.TABLES.items() if t in str(statement)) or '(other)'}"
            label += " (Python write_row + server)"
            start = time.perf_counter()
            try:
                with original_copy(cursor, statement, *a, **kw) as copy:
                    yield copy
            finally:
                phases._add(label, time.perf_counter() - start)

        Cursor.copy = timed_copy
        self._undo.append((Cursor, "copy", original_copy))

        def on_query(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                self._add(self._label(sql), time.perf_counter() - start)

        gc_start = [0.0]

        def on_gc(phase, info):  # Python's cyclic garbage collector, all generations
            if phase == "start":
                gc_start[0] = time.perf_counter()
            else:
                self._add("garbage collector (all generations)", time.perf_counter() - gc_start[0])

        stack = contextlib.ExitStack()
        stack.enter_context(connection.execute_wrapper(on_query))
        gc.callbacks.append(on_gc)
        stack.callback(gc.callbacks.remove, on_gc)
        stack.callback(self.uninstall)
        return stack

    def uninstall(self) -> None:
        for owner, name, original in reversed(self._undo):
            if owner.__class__.__name__ == "DatabaseWrapper":
                with contextlib.suppress(AttributeError):
                    delattr(owner, name)  # back to the class's method
            else:
                setattr(owner, name, original)
        self._undo.clear()

    def report(self, total: float) -> dict:
        """Seconds by phase, largest first; nested phases (indented) are part of the one above them."""
        out = {k: round(v, 2) for k, v in sorted(self.seconds.items(), key=lambda kv: -kv[1]) if v >= 0.005}
        out["total (participants_import)"] = round(total, 2)
        return out


def import_file(actor, path: str, *, phases: bool = False, profile: str | None = None, label: str = "") -> dict:
    """One end-to-end participants_import of `path` (writing), timed; peak memory of this section."""
    from django.db import connection

    from jamsosdesa.imports.engine import ImportOptions, participants_import

    options = ImportOptions(desa="", dry_run=False, note=f"bench {Path(path).name}")
    shown = {"next": 0.1, "start": 0.0}

    def progress(done: int, total: int) -> None:
        if total >= 200_000 and done >= shown["next"] * total:
            took = time.perf_counter() - shown["start"]
            say(f"    {done:,} / {total:,} rows after {took:.1f} s")
            shown["next"] += 0.1

    timer = Phases() if phases else None
    load_before = os.getloadavg()[0]
    peak_reset = reset_peak_rss()
    with contextlib.ExitStack() as stack:
        if timer:
            stack.enter_context(timer.install(connection))
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
        shown["start"] = start = time.perf_counter()
        if profiler:
            profiler.enable()
        outcome = participants_import(actor=actor, source=path, options=options, progress=progress)
        if profiler:
            profiler.disable()
        took = time.perf_counter() - start
    result = {"seconds": round(took, 2), "rows": outcome.rows_total,
              "rows_per_s": round(outcome.rows_total / took) if took else 0,
              "peak_rss_mb": round(peak_rss_mb()), "peak_is_section": peak_reset,
              "counts": {k: v for k, v in outcome.counts.items() if v}, "applied": outcome.applied,
              "file_error": outcome.file_error, "load": [round(load_before, 1), round(os.getloadavg()[0], 1)]}
    if timer:
        result["phases"] = timer.report(took)
        result["phases_missing"] = timer.missing
    if profiler:
        profiler.dump_stats(profile)
        result["profile"] = profile
        print_profile(profile)
    say(f"  {label}: {outcome.rows_total:,} rows in {took:.1f} s = {result['rows_per_s']:,} rows/s, "
        f"peak memory {result['peak_rss_mb']:,} MB; {result['counts']}; load average {load_before:.1f} -> "
        f"{os.getloadavg()[0]:.1f}")
    if timer:
        for key, value in result["phases"].items():
            say(f"      {key:70} {value:8.2f} s")
        if timer.missing:
            say(f"      (not found in the engine, not timed: {', '.join(timer.missing)})")
    return result


def print_profile(path: str, lines: int = 30) -> None:
    import io
    import pstats

    for order in ("tottime", "cumulative"):
        text = io.StringIO()
        pstats.Stats(path, stream=text).strip_dirs().sort_stats(order).print_stats(lines)
        say(f"\n  cProfile, top {lines} by {order} ({path}):")
        body = text.getvalue()
        say(body[body.find("   ncalls"):].rstrip())


def check_counts(result: dict, expected: dict, *, reimport: bool = False) -> list[str]:
    """Differences between what the import reported and what the generator planted."""
    want = {"new": 0 if reimport else expected["new"], "duplicate": expected["duplicate"],
            "invalid": expected["invalid"]}
    if reimport:
        want["unchanged"] = expected["new"]
    got = result["counts"]
    problems = [f"{k}: {got.get(k, 0):,} reported, {v:,} expected" for k, v in want.items() if got.get(k, 0) != v]
    extra = set(got) - set(want)
    problems += [f"{k}: {got[k]:,} reported, 0 expected" for k in sorted(extra)]
    if result["rows"] != expected["rows_total"]:
        problems.append(f"rows_total {result['rows']:,}, expected {expected['rows_total']:,}")
    if result["file_error"]:
        problems.append(f"file error: {result['file_error']}")
    if not result["applied"]:
        problems.append("not applied")
    return problems


def stored_counts() -> tuple[int, int]:
    from jamsosdesa.core.models import AuditEvent
    from jamsosdesa.participants.models import Participant

    return Participant.objects.count(), AuditEvent.objects.filter(object_type="participant").count()


def checked(section: str, result: dict, expected: dict, stored_new: int, *, reimport: bool = False) -> dict:
    problems = check_counts(result, expected, reimport=reimport)
    participants, audits = stored_counts()
    if participants != stored_new or audits != stored_new:
        problems.append(f"stored {participants:,} participants and {audits:,} audit events, expected {stored_new:,}")
    result["problems"] = problems
    for problem in problems:
        say(f"  !! {section}: {problem}")
    return result


# --- The naive path ------------------------------------------------------------------------------------


def naive_import(actor, path: str) -> int:
    """What a plain Django import does: csv.DictReader, one Participant(...).save() and one audit event
    per row, in one transaction. No validation or deduplication (the file is clean)."""
    from django.db import transaction

    from jamsosdesa.core.audit import audit_record
    from jamsosdesa.core.models import AuditEventType
    from jamsosdesa.participants.models import Channel, Participant

    n = 0
    with open(path, newline="", encoding="utf-8") as source, transaction.atomic():
        for row in csv.DictReader(source):
            participant = Participant(
                nik=row["nik"], full_name=row["nama"], birth_place=row["tempat_lahir"],
                birth_date=datetime.strptime(row["tanggal_lahir"], "%d-%m-%Y").date(),
                sex=row["jenis_kelamin"], desa_id=row["kode_desa"], address=row["alamat"], rt=row["rt"],
                rw=row["rw"], occupation_id=int(row["kode_pekerjaan"]) if row["kode_pekerjaan"] else None,
                declared_income=int(row["penghasilan"] or 0), channel=Channel.IMPORT, registered_by=actor)
            participant.save()
            audit_record(actor=actor, event=AuditEventType.PARTICIPANT_REGISTERED, obj=participant,
                         region_code=participant.desa_id,
                         new={"nik": participant.nik, "full_name": participant.full_name,
                              "desa": participant.desa_id}, note="impor berkas (naive)")
            n += 1
    return n


# --- PostgreSQL -----------------------------------------------------------------------------------------


def pg_server(url: str):
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    return psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True), conninfo_to_dict(url)["dbname"]


def pg_recreate(url: str, *, drop_only: bool = False) -> None:
    from psycopg import sql

    server, name = pg_server(url)
    with server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    say(f"{'Dropped' if drop_only else 'Created'} database {name}.")


def empty_registry() -> None:
    """Back to a registry without participants (and their audit events), as in a fresh database."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE participants_heir, participants_participant, core_auditevent RESTART IDENTITY")
        else:
            raise RuntimeError("SQLite sections start from a copy of the fresh database instead")


def bench_admin():
    from jamsosdesa.accounts.models import Role, User

    user, _ = User.objects.get_or_create(username="bench.import", defaults={"role": Role.NATIONAL_ADMIN})
    return user


def setup_database(result: dict) -> None:
    from django.core.management import call_command

    from jamsosdesa.regions.loader import regions_load

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    n_regions = regions_load()
    result["setup_s"] = round(time.perf_counter() - start, 1)
    say(f"Migrated and loaded {n_regions:,} regions in {result['setup_s']} s (not timed).")


def run_postgres(args, files: dict) -> dict:
    url = args.pg_url
    result: dict = {"part": "postgres", "sections": {}}
    pg_recreate(url)
    django_setup(url)
    from django.db import connection

    setup_database(result)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), current_setting('shared_buffers'), current_setting('synchronous_commit'),"
                       " current_setting('autovacuum')")
        version, buffers, sync, autovacuum = cursor.fetchone()
    result["server"] = f"{' '.join(version.split()[:2])} (shared_buffers {buffers}, synchronous_commit {sync}, " \
                       f"autovacuum {autovacuum})"
    admin = bench_admin()
    sections = result["sections"]

    if {"import", "reimport"} & set(args.only):
        big = files["big.csv"]
        expected = big["expected"]
        say(f"\n- first import: {big['path']}")
        first = import_file(admin, big["path"], phases=args.phases, label="first import",
                            profile=profile_path(args, "import"))
        sections["import"] = checked("import", first, expected, expected["new"])
        if "reimport" in args.only:
            if args.analyze:
                start = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE participants_participant")
                sections["analyze_s"] = round(time.perf_counter() - start, 1)
                say(f"  ANALYZE participants_participant (what autovacuum does after a bulk load): "
                    f"{sections['analyze_s']} s, not timed")
            say(f"\n- re-import of the same file: {big['path']}")
            again = import_file(admin, big["path"], phases=args.phases, label="re-import",
                                profile=profile_path(args, "reimport"))
            sections["reimport"] = checked("reimport", again, expected, expected["new"], reimport=True)

    if "xlsx" in args.only:
        empty_registry()
        medium = files["medium.xlsx"]
        say(f"\n- .xlsx import: {medium['path']}")
        xlsx = import_file(admin, medium["path"], phases=args.phases, label=".xlsx import",
                           profile=profile_path(args, "xlsx"))
        sections["xlsx"] = checked("xlsx", xlsx, medium["expected"], medium["expected"]["new"])

    if "naive" in args.only:
        clean = files["naive.csv"]
        empty_registry()
        say(f"\n- naive path (save() + audit_record per row): {clean['path']}")
        reset_peak_rss()
        start = time.perf_counter()
        n = naive_import(admin, clean["path"])
        took = time.perf_counter() - start
        naive = {"seconds": round(took, 2), "rows": n, "rows_per_s": round(n / took),
                 "peak_rss_mb": round(peak_rss_mb())}
        participants, audits = stored_counts()
        naive["problems"] = [] if participants == audits == n == clean["expected"]["new"] else [
            f"naive path stored {participants:,} participants and {audits:,} audit events for {n:,} rows"]
        say(f"  naive path: {n:,} rows in {took:.1f} s = {naive['rows_per_s']:,} rows/s")
        sections["naive"] = naive
        empty_registry()
        ours = import_file(admin, clean["path"], phases=args.phases, label="our import, same rows")
        sections["naive_ours"] = checked("naive", ours, clean["expected"], clean["expected"]["new"])
        sections["naive_ratio"] = round(naive["seconds"] / ours["seconds"], 1)
        say(f"  our import is {sections['naive_ratio']}x as fast as the naive path")

    connection.close()
    if not args.keep_db:
        pg_recreate(url, drop_only=True)
    return result


# --- SQLite ---------------------------------------------------------------------------------------------


def run_sqlite(args, files: dict) -> dict:
    import sqlite3

    result: dict = {"part": "sqlite", "sections": {}, "server": f"SQLite {sqlite3.sqlite_version} (WAL)"}
    with tempfile.TemporaryDirectory(prefix="jamsosdesa-bench-import-") as tmp:
        db = Path(tmp) / "bench.sqlite3"
        template = Path(tmp) / "fresh.sqlite3"
        django_setup(f"sqlite:///{db}")
        from django.db import connection

        setup_database(result)
        bench_admin()
        connection.close()  # the last connection checkpoints the WAL into the file
        shutil.copyfile(db, template)

        def fresh_database():
            connection.close()
            for suffix in ("-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(template, db)
            return bench_admin()

        for section, name in (("sqlite", "medium.csv"), ("sqlite-xlsx", "medium.xlsx")):
            if section not in args.only:
                continue
            admin = fresh_database()
            info = files[name]
            say(f"\n- {section}: {info['path']} into a fresh SQLite file database")
            outcome = import_file(admin, info["path"], phases=args.phases, label=f"{name} on SQLite",
                                  profile=profile_path(args, section))
            result["sections"][section] = checked(section, outcome, info["expected"], info["expected"]["new"])
        connection.close()
    return result


def profile_path(args, section: str) -> str | None:
    if not args.profile:
        return None
    OUT.mkdir(exist_ok=True)
    return str(OUT / f"import-profile-{section}.prof")


# --- Parent: files, parts, summary ---------------------------------------------------------------------


def status(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def figure_rows(results: dict, args) -> list[list[str]]:
    """Table rows: measurement, database, rows, time, rows/s, figure, target, status."""
    out = []
    pg = results.get("postgres", {}).get("sections", {})
    lite = results.get("sqlite", {}).get("sections", {})

    def base(label, db, r):
        return [label, db, f"{r['rows']:,}", f"{r['seconds']:.1f} s", f"{r['rows_per_s']:,}"]

    if "import" in pg:
        r = pg["import"]
        out.append(base("first import, CSV, full validation + dedup", "postgres", r)
                   + [f"{r['rows_per_s']:,} rows/s", f"≥ {TARGET_ROWS_PER_S:,} rows/s",
                      status(r["rows_per_s"] >= TARGET_ROWS_PER_S)])
        out.append(["peak memory of the first import (ru_maxrss)", "postgres", f"{r['rows']:,}", "", "",
                    f"{r['peak_rss_mb']:,} MB", f"< {TARGET_PEAK_MB:,} MB", status(r["peak_rss_mb"] < TARGET_PEAK_MB)])
    if "reimport" in pg:
        r = pg["reimport"]
        first = pg.get("import", {}).get("rows_per_s", 0)
        out.append(base("re-import of the same file (nothing new)", "postgres", r)
                   + [f"{r['rows_per_s']:,} rows/s", f"≥ first import ({first:,})", status(r["rows_per_s"] >= first)])
    xlsx_target = TARGET_XLSX_S * args.medium_rows / XLSX_TARGET_ROWS
    for db, sections in (("postgres", pg), ("sqlite", lite)):
        r = sections.get("xlsx" if db == "postgres" else "sqlite-xlsx")
        if r:
            scaled = "" if args.medium_rows == XLSX_TARGET_ROWS else " (15 s per 100,000 rows)"
            out.append(base(".xlsx import", db, r) + [f"{r['seconds']:.1f} s", f"< {xlsx_target:.3g} s{scaled}",
                                                      status(r["seconds"] < xlsx_target)])
    if "sqlite" in lite:
        r = lite["sqlite"]
        out.append(base("CSV import, fresh file database", "sqlite", r)
                   + [f"{r['rows_per_s']:,} rows/s", f"≥ {TARGET_SQLITE_ROWS_PER_S:,} rows/s",
                      status(r["rows_per_s"] >= TARGET_SQLITE_ROWS_PER_S)])
    if "naive" in pg:
        r, ours = pg["naive"], pg["naive_ours"]
        out.append(base("naive path: save() + audit_record per row", "postgres", r) + ["", "", ""])
        out.append(base("our import, same rows", "postgres", ours)
                   + [f"{pg['naive_ratio']}× the naive path", f"≥ {TARGET_RATIO:.0f}×",
                      status(pg["naive_ratio"] >= TARGET_RATIO)])
    return out


def print_summary(results: dict, files: dict, args) -> None:
    say("\n## Summary\n")
    code = results.pop("code", None) or code_version()
    servers = [r["server"] for r in results.values() if "server" in r]
    say(f"{date.today().isoformat()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        + ", ".join(servers) + f"; code at commit {code}.\n")
    for name, info in files.items():
        e = info["expected"]
        say(f"- {name}: {info['params']['rows']:,} rows from {info['desa']:,} desa, "
            f"{info['size_bytes'] / 1e6:,.1f} MB; "
            f"expected {e['new']:,} new, {e['duplicate']:,} duplicate, {e['invalid']:,} invalid.")
    pg = results.get("postgres", {}).get("sections", {})
    if "analyze_s" in pg:
        say(f"- Before the re-import: ANALYZE of the participant table, {pg['analyze_s']} s (not timed).")
    problems = [p for r in results.values() for s in r["sections"].values() if isinstance(s, dict)
                for p in s.get("problems", [])]
    loads = [x for r in results.values() for s in r["sections"].values() if isinstance(s, dict)
             for x in s.get("load", [])]
    if loads:
        busy = max(loads) > (os.cpu_count() or 2) + 0.5  # the import itself keeps about 2 busy
        say(f"- 1-minute load average during the imports: {min(loads)}–{max(loads)}"
            + (" (other work was running: figures are pessimistic)." if busy else "."))
    say(f"- Counts reported by every import match the generator's: {'yes' if not problems else 'NO'}.")
    say("")
    say("| measurement | database | rows | time | rows/s | figure | target | |")
    say("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |")
    for row in figure_rows(results, args):
        say("| " + " | ".join(row) + " |")
    for r in results.values():
        for section, s in r["sections"].items():
            if isinstance(s, dict) and "phases" in s:
                say(f"\nPhases of {section} ({r['part']}), seconds:")
                for key, value in s["phases"].items():
                    say(f"  {key:70} {value:8.2f}")


def code_version() -> str:
    """The commit measured, and whether src/ differs from it (the engine changes while we measure)."""
    def git(*cmd):
        return subprocess.run(["git", *cmd], cwd=BENCH.parent, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" + uncommitted changes in src/" if git("status", "--porcelain", "src") else "")


def run_parts(args, argv: list[str]) -> int:
    files = prepare_files(args)
    version = code_version()
    say(f"Code: commit {version}.")
    results = {}
    parts = [p for p, secs in (("postgres", PG_SECTIONS), ("sqlite", SQLITE_SECTIONS)) if set(secs) & set(args.only)]
    for part in parts:
        say(f"\n=== {part} ===")
        result = run_part(__file__, argv, part)
        if result is not None:
            results[part] = result
    if results:
        results["code"] = version
        print_summary(results, files, args)
        OUT.mkdir(exist_ok=True)
        (OUT / "imports-last.json").write_text(json.dumps({"args": vars(args), "files": files, "results": results},
                                                          indent=1, default=str))
    failed = len(results) != len(parts) or any(s.get("problems") for r in results.values()
                                               for s in r["sections"].values() if isinstance(s, dict))
    return 1 if failed else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--quick", action="store_true", help="20,000 / 5,000 / 2,000 rows instead of "
                                                             "1,000,000 / 100,000 / 20,000")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to run (default all: {','.join(SECTIONS)})")
    parser.add_argument("--rows", type=int, help="rows of the big CSV (import, reimport)")
    parser.add_argument("--medium-rows", type=int, help="rows of the .xlsx and the SQLite CSV")
    parser.add_argument("--naive-rows", type=int, help="rows of the naive-path comparison")
    parser.add_argument("--bad-share", type=float, default=0.05, help="share of messy rows (default 0.05)")
    parser.add_argument("--delimiter", choices=[",", ";"], default=",", metavar="{',',';'}",
                        help="of the big CSV (default ',')")
    parser.add_argument("--encoding", choices=["utf-8", "utf-8-sig", "cp1252"], default="utf-8",
                        help="of the big CSV")
    parser.add_argument("--no-analyze", dest="analyze", action="store_false",
                        help="re-import without first running ANALYZE on the participant table")
    parser.add_argument("--phases", action="store_true", help="time the import's phases (engine internals)")
    parser.add_argument("--profile", action="store_true",
                        help="run each import under cProfile; stats to bench/out/import-profile-*.prof")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL,
                        help=f"benchmark database, dropped and created by this script (default {DEFAULT_PG_URL})")
    parser.add_argument("--keep-db", action="store_true", help="leave the PostgreSQL database in place at the end")
    parser.add_argument("--part", choices=["all", "postgres", "sqlite"], default="all",
                        help="run one database's sections in this process (default: each in a subprocess)")
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = SIZES["quick" if args.quick else "full"]
    args.rows = args.rows or sizes["big"]
    args.medium_rows = args.medium_rows or sizes["medium"]
    args.naive_rows = args.naive_rows or sizes["naive"]
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    if "reimport" in args.only and "import" not in args.only:
        args.only.append("import")  # a re-import needs the first one
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.part == "all":
        return run_parts(args, argv)
    files = {name: {"path": str(file_path(args, name)), **make_import_file.cached(file_path(args, name), **kw)}
             for name, kw in file_plan(args).items()}
    result = run_postgres(args, files) if args.part == "postgres" else run_sqlite(args, files)
    result["peak_rss_mb"] = round(peak_rss_mb())
    if args.result_file:
        Path(args.result_file).write_text(json.dumps(result, default=str))
    else:
        print_summary({result["part"]: result}, files, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
