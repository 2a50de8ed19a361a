"""Participant import benchmark: bulk files end to end through `participants_import`, on PostgreSQL and SQLite,
and the same rows through a plain Django import for comparison.

Files come from bench/make_import_file.py (valid NIKs matching their desa, rows from 2,000 desa across the
country with their own kode_desa, 5 % messy rows: invalid NIKs, duplicates, other spellings). Every import
runs as a national admin with full validation and deduplication, writes (not a preview), and is checked:
the counts it reports (new, duplicate, invalid) must be the ones the generator planted, and the registry
must then hold exactly the planted valid rows and one audit event for each. A failed check exits 1.

Two parts, each in its own subprocess because DATABASE_URL is read once at Django setup:

* ``postgres`` (a fresh database, default ``jamsosdesa_bench_import`` on 127.0.0.1:5432, created by this
  script and dropped at the end, also when it fails or is stopped; migrate + regions_load first, not
  timed). Sections:
  ``import``   the 1,000,000-row CSV into an empty registry: rows/s (target >= 20,000), peak memory (< 2 GB);
  ``reimport`` the same file again, nothing new: rows/s (target: at least the first import's);
  ``xlsx``     the 100,000-row .xlsx into an emptied registry: seconds (target < 15 s);
  ``plain``    20,000 clean rows three ways, each into an emptied registry: a plain Django import (the same
               row validation, then ``Participant.objects.bulk_create`` in batches of 1,000 and the same
               audit events with ``AuditEvent.objects.bulk_create``), our import on its usual path, and our
               import on its bulk path (PostgreSQL bulk load, settings JAMSOSDESA_IMPORT_BULK_*): rows/s,
               seconds, peak memory and our speed as a multiple of the plain import's.
* ``sqlite`` (a fresh file database, WAL as in settings.py, copied from one migrated template for each
  section): ``sqlite`` the 100,000-row CSV, rows/s (target >= 10,000); ``sqlite-xlsx`` the 100,000-row
  .xlsx, seconds (target < 15 s); ``sqlite-plain`` the plain Django import and ours (its one path on SQLite).

"Emptied" is TRUNCATE ... CASCADE of the tables the imports fill (participants, heirs, audit events; the
tables that refer to participants, such as enrolments, are empty in the benchmark database anyway).

The parent prints a summary table (Markdown, as in bench/README.md). A MISS of a target does not fail the run.

    .venv/bin/python bench/imports.py                  # full size: about 1.5 minutes on 2 cores
    .venv/bin/python bench/imports.py --quick          # 20,000 / 5,000 / 2,000 rows: about 40 s
    .venv/bin/python bench/imports.py --only plain,sqlite-plain       # only the comparison
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
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
FILES = OUT / "import-files"
sys.path.insert(0, str(BENCH))

import make_import_file  # noqa: E402
from common import (  # noqa: E402
    code_version,
    django_env,
    exit_on_sigterm,
    pg_database,
    pg_drop,
    run_note,
    run_part,
    say,
    shield_cleanup,
)

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_import"
SIZES = {"full": {"big": 1_000_000, "medium": 100_000, "plain": 20_000},
         "quick": {"big": 20_000, "medium": 5_000, "plain": 2_000}}
TARGET_ROWS_PER_S = 20_000
TARGET_PEAK_MB = 2048
TARGET_XLSX_S, XLSX_TARGET_ROWS = 15.0, 100_000  # scaled with the row count in --quick
TARGET_SQLITE_ROWS_PER_S = 10_000
PLAIN_BATCH = 1_000
SEED = 2026
DESA_COUNT = 2000
PG_SECTIONS = ("import", "reimport", "xlsx", "plain")
SQLITE_SECTIONS = ("sqlite", "sqlite-xlsx", "sqlite-plain")
SECTIONS = PG_SECTIONS + SQLITE_SECTIONS
ALIASES = {"naive": "plain"}  # the section's earlier name


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def rss_mb() -> float:
    """This process's resident memory now."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return 0.0


def reset_peak_rss() -> bool:
    """Reset this process's peak RSS (Linux >= 4.0), so ru_maxrss afterwards is one section's peak. Memory
    freed by earlier sections is handed back to the system first (a full collection, then glibc's
    malloc_trim), or their leftovers would count in this section's peak."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    django_env()
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
    if {"plain", "sqlite-plain"} & set(args.only):
        # Clean rows: a plain import keeps the first of two rows with one NIK where ours refuses both when
        # they disagree, so only a clean file gives both the same rows to load. Every row is still validated.
        plan["plain.csv"] = {"rows": args.plain_rows, "fmt": "csv", "seed": SEED + 2, "bad_share": 0.0}
    for kw in plan.values():
        kw["desa_count"] = min(DESA_COUNT, kw["rows"])
    return plan


def file_path(args, name: str) -> Path:
    kw = file_plan(args)[name]
    stem, suffix = name.split(".")
    variant = ("-semicolon" if kw.get("delimiter") == ";" else "") + (
        f"-{kw['encoding']}" if kw.get("encoding", "utf-8") != "utf-8" else "")
    return Path(args.files_dir) / f"{stem}-{kw['rows']}-{str(kw['bad_share']).replace('.', '')}{variant}.{suffix}"


def prepare_files(args) -> dict[str, dict]:
    """Generate the files the sections need (or reuse matching cached ones); not timed."""
    infos = {}
    for name, kw in file_plan(args).items():
        path = file_path(args, name)
        start = time.perf_counter()
        info = make_import_file.cached(path, **kw)
        took = time.perf_counter() - start
        how = "cached" if info.get("cached") else f"generated in {took:.1f} s"
        say(f"File {path}: {kw['rows']:,} rows, {info['size_bytes'] / 1e6:,.1f} MB ({how}).")
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
        else:
            self.missing.append("engine._Writer")
        for owner, name, key in (("_Registered", "_stage", "registered participants among the file's NIKs"),
                                 ("_BulkLoad", "drop", "bulk: lock, drop indexes and foreign keys"),
                                 ("_BulkLoad", "rebuild", "bulk: rebuild indexes, validate foreign keys")):
            if getattr(engine, owner, None) is not None:
                self._wrap(getattr(engine, owner), name, key)
            else:
                self.missing.append(f"engine.{owner}")
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

    def progress(done: int, total: int, stage=None) -> None:
        if stage:  # the index rebuild after a bulk load, for example
            say(f"    {stage}")
        if total >= 200_000 and done >= shown["next"] * total:
            took = time.perf_counter() - shown["start"]
            say(f"    {done:,} / {total:,} rows after {took:.1f} s")
            shown["next"] += 0.1

    timer = Phases() if phases else None
    load_before = os.getloadavg()[0]
    peak_reset = reset_peak_rss()
    rss_start = rss_mb()
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
              "peak_rss_mb": round(peak_rss_mb()), "peak_is_section": peak_reset, "rss_start_mb": round(rss_start),
              "counts": {k: v for k, v in outcome.counts.items() if v}, "applied": outcome.applied,
              "bulk_load": outcome.bulk_load, "file_error": outcome.file_error,
              "load": [round(load_before, 1), round(os.getloadavg()[0], 1)]}
    if timer:
        result["phases"] = timer.report(took)
        result["phases_missing"] = timer.missing
    if profiler:
        profiler.dump_stats(profile)
        result["profile"] = profile
        print_profile(profile)
    path_taken = "bulk path" if outcome.bulk_load else "usual path"
    say(f"  {label}: {outcome.rows_total:,} rows in {took:.1f} s = {result['rows_per_s']:,} rows/s, "
        f"peak memory {result['peak_rss_mb']:,} MB (from {result['rss_start_mb']:,} MB); {result['counts']}; "
        f"{path_taken}; load average "
        f"{load_before:.1f} -> {os.getloadavg()[0]:.1f}")
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


# --- Checks: planted vs found ---------------------------------------------------------------------------


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
    """Participants in the registry, and audit events about participants."""
    from jamsosdesa.core.models import AuditEvent
    from jamsosdesa.participants.models import Participant

    return Participant.objects.count(), AuditEvent.objects.filter(object_type="participant").count()


def checked(section: str, result: dict, expected: dict, stored_new: int, *, reimport: bool = False,
            bulk: bool | None = None) -> dict:
    """Record in result["problems"] every way the import's outcome differs from what was planted: the counts it
    reported, the participants and audit events stored (one each per planted valid row), and, when `bulk` is
    given, the path it took."""
    problems = check_counts(result, expected, reimport=reimport)
    participants, audits = stored_counts()
    if participants != stored_new or audits != stored_new:
        problems.append(f"stored {participants:,} participants and {audits:,} audit events, expected {stored_new:,}")
    if bulk is not None and result.get("bulk_load", False) != bulk:
        problems.append(f"took the {'bulk' if result.get('bulk_load') else 'usual'} path, expected the "
                        f"{'bulk' if bulk else 'usual'} one")
    result["problems"] = problems
    for problem in problems:
        say(f"  !! {section}: {problem}")
    if not problems:
        say(f"  checked: counts as planted ({', '.join(f'{k} {v:,}' for k, v in result['counts'].items())}); "
            f"{participants:,} participants and {audits:,} audit events stored")
    return result


# --- The plain Django import ---------------------------------------------------------------------------
# What a Django developer would write for the same job without our engine. The calls into the project's
# validation and audit code are in the three functions below, so a rename there is one edit here.


def row_validator(positions: dict[str, int]):
    """The import's own row validator, set up as the import sets it up for a national admin."""
    from jamsosdesa.core.clock import today
    from jamsosdesa.core.regioncodes import Level
    from jamsosdesa.imports.rows import RowParser
    from jamsosdesa.participants.models import Occupation
    from jamsosdesa.regions.models import Region

    desa = set(Region.objects.filter(level=Level.DESA, is_historical=False).values_list("code", flat=True))
    return RowParser(positions, default_desa="", occupations=dict(Occupation.objects.values_list("code", "name")),
                     known_desa=desa, today=today())


def registered_events(actor, people: list, note: str, at) -> list:
    """The audit events our import writes for new participants, as model instances for bulk_create."""
    from jamsosdesa.core.models import AuditEvent, AuditEventType

    event = AuditEventType.PARTICIPANT_REGISTERED
    return [AuditEvent(at=at, actor=actor, actor_name=actor.username, event_type=event,
                       object_type=event.object_type, object_id=str(p.pk), region_code=p.desa_id, old=None,
                       new={"nik": p.nik, "full_name": p.full_name, "desa": p.desa_id}, note=note)
            for p in people]


FIELD_COLUMNS = {"desa": "desa_id", "occupation": "occupation_id"}


def plain_import(actor, path: str) -> dict:
    """csv.reader; every row through the import's row validator; a NIK already seen in the file is a duplicate;
    then, per batch of 1,000 valid rows, one query for the NIKs already registered,
    `Participant.objects.bulk_create` of the others and `AuditEvent.objects.bulk_create` of their audit
    events (the rows our import writes); all in one transaction. Returns the counts."""
    from django.db import transaction
    from django.utils import timezone

    from jamsosdesa.core.models import AuditEvent
    from jamsosdesa.imports.columns import TEMPLATE_COLUMNS
    from jamsosdesa.participants.models import Channel, Participant

    counts = {"new": 0, "duplicate": 0, "invalid": 0, "registered": 0}
    note = f"bench plain {Path(path).name}"
    now = timezone.now()
    batch: list[dict] = []

    def flush() -> None:
        registered = set(Participant.objects.filter(nik__in=[row["nik"] for row in batch])
                         .values_list("nik", flat=True))
        people = []
        for row in batch:
            if row["nik"] in registered:
                counts["registered"] += 1
                continue
            row.pop("died", None)
            fields = {FIELD_COLUMNS.get(k, k): v for k, v in row.items()}
            people.append(Participant(**fields, channel=Channel.IMPORT, registered_by=actor, created_at=now,
                                      updated_at=now).fill_derived())
        Participant.objects.bulk_create(people, batch_size=PLAIN_BATCH)  # sets each pk (RETURNING)
        AuditEvent.objects.bulk_create(registered_events(actor, people, note, now), batch_size=PLAIN_BATCH)
        counts["new"] += len(people)
        batch.clear()

    with open(path, newline="", encoding="utf-8-sig") as source, transaction.atomic():
        reader = csv.reader(source)
        header = [h.strip().lower() for h in next(reader)]
        validator = row_validator({TEMPLATE_COLUMNS[h]: i for i, h in enumerate(header) if h in TEMPLATE_COLUMNS})
        seen: set[str] = set()
        for cells in reader:
            if not any(cells):
                continue
            clean, errors, *_warnings = validator.parse(cells)  # the clean file has no warnings to weigh
            if errors:
                counts["invalid"] += 1
                continue
            if clean["nik"] in seen:
                counts["duplicate"] += 1
                continue
            seen.add(clean["nik"])
            batch.append(clean)
            if len(batch) == PLAIN_BATCH:
                flush()
        if batch:
            flush()
    return counts


def measure_plain(actor, path: str, *, label: str) -> dict:
    load_before = os.getloadavg()[0]
    peak_reset = reset_peak_rss()
    rss_start = rss_mb()
    start = time.perf_counter()
    counts = plain_import(actor, path)
    took = time.perf_counter() - start
    rows = sum(counts.values())
    result = {"seconds": round(took, 2), "rows": rows, "rows_per_s": round(rows / took) if took else 0,
              "peak_rss_mb": round(peak_rss_mb()), "peak_is_section": peak_reset, "rss_start_mb": round(rss_start),
              "counts": {k: v for k, v in counts.items() if v}, "applied": True, "file_error": "",
              "load": [round(load_before, 1), round(os.getloadavg()[0], 1)]}
    say(f"  {label}: {rows:,} rows in {took:.1f} s = {result['rows_per_s']:,} rows/s, peak memory "
        f"{result['peak_rss_mb']:,} MB (from {result['rss_start_mb']:,} MB); {result['counts']}; load average "
        f"{load_before:.1f} -> "
        f"{os.getloadavg()[0]:.1f}")
    return result


@contextlib.contextmanager
def import_path(*, bulk: bool, rows: int):
    """Our import on the path asked for. The bulk load is for large first loads (settings
    IMPORT_BULK_MIN_ROWS, default 10,000 new rows, and IMPORT_BULK_MIN_SHARE of the table): for the bulk
    path the row threshold is lowered to the file's size when the file is smaller (--quick); for the usual
    path it is raised out of reach."""
    from django.conf import settings
    from django.test import override_settings

    threshold = min(settings.IMPORT_BULK_MIN_ROWS, rows) if bulk else 10**12
    with override_settings(IMPORT_BULK_MIN_ROWS=threshold):
        yield


def compare_with_plain(section: str, admin, info: dict, sections: dict, *, fresh, paths: tuple[bool, ...],
                       phases: bool) -> None:
    """The plain import and ours on each of `paths` (True: bulk), each into an empty registry (`fresh()`)."""
    expected, rows = info["expected"], info["params"]["rows"]
    say(f"\n- {section}: plain Django import (same validation, bulk_create in batches of {PLAIN_BATCH:,}, "
        f"same audit events): {info['path']}")
    fresh()
    plain = measure_plain(admin, info["path"], label="plain Django import")
    sections[section] = checked(section, plain, expected, expected["new"])
    for bulk in paths:
        name = f"{section}:ours-{'bulk' if bulk else 'usual'}"
        fresh()
        with import_path(bulk=bulk, rows=rows):
            ours = import_file(admin, info["path"], phases=phases,
                               label=f"our import, {'bulk' if bulk else 'usual'} path, same rows")
        sections[name] = checked(name, ours, expected, expected["new"], bulk=bulk)
        ratio = plain["seconds"] / ours["seconds"] if ours["seconds"] else 0
        ours["ratio"] = round(ratio, 1)
        say(f"  our import ({'bulk' if bulk else 'usual'} path) is {ratio:.1f}x as fast as the plain import")


# --- PostgreSQL -----------------------------------------------------------------------------------------


def empty_registry() -> None:
    """Back to a registry without participants and audit events, as in a fresh database. CASCADE empties the
    tables that refer to participants too (enrolments and the like: empty here); without it PostgreSQL
    refuses to truncate a table another table's foreign key points at."""
    from django.db import connection

    if connection.vendor != "postgresql":
        raise RuntimeError("SQLite sections start from a copy of the fresh database instead")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE participants_heir, participants_participant, core_auditevent RESTART IDENTITY CASCADE")


def bench_admin():
    from jamsosdesa.accounts.models import User
    from jamsosdesa.core.roles import Role

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
    """The PostgreSQL sections in a database made for them, dropped at the end whatever happens (unless
    --keep-db)."""
    with pg_database(args.pg_url, keep=args.keep_db):
        django_setup(args.pg_url)
        return _run_postgres(args, files)


def _run_postgres(args, files: dict) -> dict:
    from django.db import connection

    result: dict = {"part": "postgres", "sections": {}}
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
        empty_registry()
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

    if "plain" in args.only:
        compare_with_plain("plain", admin, files["plain.csv"], sections, fresh=empty_registry, paths=(False, True),
                           phases=args.phases)
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

        try:
            setup_database(result)
            bench_admin()
            connection.close()  # the last connection checkpoints the WAL into the file
            shutil.copyfile(db, template)
            admin = {}

            def fresh_database():
                connection.close()
                for suffix in ("-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
                shutil.copyfile(template, db)
                admin["user"] = bench_admin()
                return admin["user"]

            for section, name in (("sqlite", "medium.csv"), ("sqlite-xlsx", "medium.xlsx")):
                if section not in args.only:
                    continue
                user = fresh_database()
                info = files[name]
                say(f"\n- {section}: {info['path']} into a fresh SQLite file database")
                outcome = import_file(user, info["path"], phases=args.phases, label=f"{name} on SQLite",
                                      profile=profile_path(args, section))
                result["sections"][section] = checked(section, outcome, info["expected"], info["expected"]["new"])
            if "sqlite-plain" in args.only:
                fresh_database()
                compare_with_plain("sqlite-plain", admin["user"], files["plain.csv"], result["sections"],
                                   fresh=fresh_database, paths=(False,), phases=args.phases)
        finally:
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
    """Table rows: measurement, database, rows, time, rows/s, peak memory, figure, target, status."""
    out = []
    pg = results.get("postgres", {}).get("sections", {})
    lite = results.get("sqlite", {}).get("sections", {})

    def base(label, db, r):
        return [label, db, f"{r['rows']:,}", f"{r['seconds']:.2f} s", f"{r['rows_per_s']:,}",
                f"{r['peak_rss_mb']:,} (from {r.get('rss_start_mb', 0):,})"]

    if "import" in pg:
        r = pg["import"]
        out.append(base("first import, CSV, full validation + dedup", "postgres", r)
                   + [f"{r['rows_per_s']:,} rows/s", f"≥ {TARGET_ROWS_PER_S:,} rows/s",
                      status(r["rows_per_s"] >= TARGET_ROWS_PER_S)])
        out.append(["peak memory of the first import (ru_maxrss)", "postgres", f"{r['rows']:,}", "", "", "",
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
    for db, sections, section in (("postgres", pg, "plain"), ("sqlite", lite, "sqlite-plain")):
        if section not in sections:
            continue
        out.append(base(f"plain Django import: same validation, bulk_create × {PLAIN_BATCH:,} + audit bulk_create",
                        db, sections[section]) + ["1×", "", ""])
        for path in ("usual", "bulk"):
            ours = sections.get(f"{section}:ours-{path}")
            if ours:
                out.append(base(f"our import, {path} path, same rows", db, ours)
                           + [f"{ours['ratio']}× the plain import", "", ""])
    return out


def print_summary(results: dict, files: dict, args) -> None:
    say("\n## Summary\n")
    code = results.pop("code", None) or code_version()
    servers = [r["server"] for r in results.values() if "server" in r]
    loads = [x for r in results.values() for s in r["sections"].values() if isinstance(s, dict)
             for x in s.get("load", [])]
    say(run_note(loads, code) + " " + ", ".join(servers) + "; load average taken around each import.\n")
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
    say(f"- Every import reported the planted counts and stored the planted rows: {'yes' if not problems else 'NO'}.")
    say("")
    say("| measurement | database | rows | time | rows/s | peak MB (at start) | figure | target | |")
    say("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for row in figure_rows(results, args):
        say("| " + " | ".join(row) + " |")
    for r in results.values():
        for section, s in r["sections"].items():
            if isinstance(s, dict) and "phases" in s:
                say(f"\nPhases of {section} ({r['part']}), seconds:")
                for key, value in s["phases"].items():
                    say(f"  {key:70} {value:8.2f}")


def run_parts(args, argv: list[str]) -> int:
    """Generate the files, run each database's part in a subprocess, print the summary. Temporary files
    (--quick's generated files) and the PostgreSQL database are removed at the end, also on failure."""
    parts = [p for p, secs in (("postgres", PG_SECTIONS), ("sqlite", SQLITE_SECTIONS)) if set(secs) & set(args.only)]
    temporary = None
    if args.files_dir is None:
        if args.quick:  # small and quick to make: not worth a cache
            temporary = args.files_dir = tempfile.mkdtemp(prefix="jamsosdesa-bench-import-files-")
        else:
            args.files_dir = str(FILES)
    results = {}
    try:
        files = prepare_files(args)
        version = code_version()
        say(f"Code: commit {version}.")
        for part in parts:
            say(f"\n=== {part} ===")
            result = run_part(__file__, [*argv, "--files-dir", args.files_dir], part)
            if result is not None:
                results[part] = result
    except BaseException:
        shield_cleanup()
        raise
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
        if "postgres" in parts and not args.keep_db:  # the part drops it; this catches a part killed before
            pg_drop(args.pg_url, quiet=True)
    if results:
        results["code"] = version
        print_summary(results, files, args)
        if not args.quick:
            OUT.mkdir(exist_ok=True)
            (OUT / "imports-last.json").write_text(json.dumps(
                {"args": vars(args), "files": files, "results": results}, indent=1, default=str))
    problems = [f"{part}/{name}: {p}" for part, r in results.items() if isinstance(r, dict)
                for name, s in r.get("sections", {}).items() if isinstance(s, dict) for p in s.get("problems", [])]
    problems += [f"the {part} part failed to run (see above)" for part in parts if part not in results]
    if problems:
        say(f"\nFAILED: {len(problems)} problem(s):")
        for problem in problems:
            say(f"  - {problem}")
        return 1
    say("\nEvery import reported and stored exactly what was planted.")
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--quick", action="store_true", help="20,000 / 5,000 / 2,000 rows instead of "
                                                             "1,000,000 / 100,000 / 20,000 (a smoke run)")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to run (default all: {','.join(SECTIONS)})")
    parser.add_argument("--rows", type=int, help="rows of the big CSV (import, reimport)")
    parser.add_argument("--medium-rows", type=int, help="rows of the .xlsx and the SQLite CSV")
    parser.add_argument("--plain-rows", "--naive-rows", type=int, dest="plain_rows",
                        help="rows of the comparison with the plain Django import")
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
    parser.add_argument("--keep-db", action="store_true",
                        help="leave the PostgreSQL database in place at the end (also after a failure)")
    parser.add_argument("--files-dir", help="where the generated files go (default: bench/out/import-files/, a "
                                            "cache reused while the arguments match; --quick: a temporary "
                                            "directory removed at the end)")
    parser.add_argument("--part", choices=["all", "postgres", "sqlite"], default="all",
                        help="run one database's sections in this process (default: each in a subprocess)")
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = SIZES["quick" if args.quick else "full"]
    args.rows = args.rows or sizes["big"]
    args.medium_rows = args.medium_rows or sizes["medium"]
    args.plain_rows = args.plain_rows or sizes["plain"]
    args.only = [ALIASES.get(s.strip(), s.strip()) for s in args.only.split(",") if s.strip()]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    if "reimport" in args.only and "import" not in args.only:
        args.only.append("import")  # a re-import needs the first one
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    exit_on_sigterm()
    if args.part == "all":
        return run_parts(args, argv)
    args.files_dir = args.files_dir or str(FILES)
    files = {name: {"path": str(file_path(args, name)), **make_import_file.cached(file_path(args, name), **kw)}
             for name, kw in file_plan(args).items()}
    result = run_postgres(args, files) if args.part == "postgres" else run_sqlite(args, files)
    result["peak_rss_mb"] = round(peak_rss_mb())
    if args.result_file:
        Path(args.result_file).write_text(json.dumps(result, default=str))
        return 0  # the parent judges the checks
    print_summary({result["part"]: result}, files, args)
    return 1 if any(s.get("problems") for s in result["sections"].values() if isinstance(s, dict)) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("\nStopped (Ctrl-C); the benchmark's databases and temporary files are removed.")
        sys.exit(130)
