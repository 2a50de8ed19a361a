"""Import participants from a file: read, validate, deduplicate, classify, and load set-based.

The file is read twice. The first pass only notes where every NIK first appears (and compares names and
birth dates of NIKs that repeat), so that two rows with the same NIK are both known before anything is
written. Then the registered people among the file's NIKs are found (PostgreSQL: one join against a
temporary table; SQLite: per chunk). The second pass works in chunks: validate the rows, classify each,
and load the new ones with COPY through a staging table (PostgreSQL) or one executemany (SQLite). An
import that adds a large share of the table uses the bulk load instead (`_BulkLoad`: indexes and foreign
keys rebuilt after one streamed COPY). Everything happens in one transaction: a failure, or an
all-or-nothing import that finds an invalid row, leaves the database as it was.
"""

import gc
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jamsosdesa.core import audit, clock
from jamsosdesa.core.access import actor_refusal, code_in_scope, sees_everything, user_region_codes
from jamsosdesa.core.jobs import Stage
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.regioncodes import CODE_LENGTH, Level
from jamsosdesa.core.sheets import CSV_ENCODINGS, FileProblem, Table, data_rows, open_table
from jamsosdesa.core.text import has_bad_chars
from jamsosdesa.participants.access import changeable_participant_ids
from jamsosdesa.participants.fields import DesaStatus, FieldIssue, as_text, normalize_nik, parse_date, refused_issue
from jamsosdesa.participants.models import (
    Channel,
    DeactivationReason,
    Occupation,
    Participant,
    SectorSource,
    VillageRole,
)
from jamsosdesa.participants.outreach import outreach_code_checker
from jamsosdesa.participants.sectors import sector_for_occupation
from jamsosdesa.regions.models import Region

from .columns import ColumnProblem, Layout, layout_for, looks_like_header
from .rows import RowParser, describe

# "elsewhere": the NIK is registered to someone the user sees, in another desa or not theirs to change; "refused": the
# NIK or KPJ is held by someone outside the user's area (said only when loading, in neutral words: see _process_chunk).
GROUPS = ("new", "unchanged", "updated", "duplicate", "elsewhere", "refused", "invalid", "warning", "skipped")
# Groups of rows that are not loaded and go to the report; "warning_loaded" rows are loaded and reported too.
REPORTED = ("duplicate", "elsewhere", "refused", "invalid", "warning", "skipped", "warning_loaded")
SAMPLE_SIZE = 5
CHUNK = 10_000
# Fields an import may set on an existing participant (never the NIK or the desa).
UPDATABLE = ("full_name", "birth_place", "birth_date", "sex", "address", "rt", "rw", "phone", "occupation",
             "segment", "village_role", "declared_income", "kk", "kpj", "sector")
# What an update compares to follow the sector (see _sector_change): read with the registered rows when the file
# carries an occupation or a sector.
SECTOR_FIELDS = ("occupation", "sector", "sector_source")
INSERT_COLUMNS = ("nik", "kk", "full_name", "search_name", "birth_place", "birth_date", "sex", "desa_code",
                  "kec_code", "kab_code", "address", "rt", "rw", "phone", "occupation_id", "segment",
                  "village_role", "declared_income", "kpj", "channel", "registered_by_id", "created_at",
                  "updated_at", "is_active", "deactivation_reason", "deactivation_note", "confirmed_warnings",
                  "sector", "sector_source", "outreach_code")
# The audit event of each participant an import adds: its NIK, name and desa (SQL over the new row).
REGISTERED_VALUES = {"nik": "nik", "full_name": "full_name", "desa": "desa_code", "outreach_code": "outreach_code"}
# Arms the participant table's audit trigger for a bulk COPY (installed by migration participants 0004).
IMPORT_AUDIT_SETTING = "jamsosdesa.import_registered"
# Sheets of a workbook tried first for the participant table (then the others, in order).
PREFERRED_SHEETS = ("peserta", "data", "penduduk")
KEC_LENGTH, KAB_LENGTH = CODE_LENGTH[Level.KECAMATAN], CODE_LENGTH[Level.KABUPATEN]  # a desa code's prefixes


class ImportRejected(Exception):
    """Raised inside the transaction to undo an all-or-nothing import that found invalid rows."""


@dataclass
class ImportOptions:
    desa: str = ""  # target desa; rows may carry their own kode_desa
    format: str = "auto"  # auto / template / opensid / csv
    mapping: dict[str, str] | None = None
    dry_run: bool = True
    all_or_nothing: bool = False
    chunk_size: int = CHUNK
    note: str = ""
    # Load rows whose NIK disagrees with the birth date or sex given (the operator has checked them, as the
    # registration form's confirmation); otherwise they are the "warning" group: listed, not loaded.
    accept_warnings: bool = False


@dataclass
class ProblemRow:
    row: int
    group: str
    message: str
    cells: list
    issues: list[dict] = field(default_factory=list)  # {"field", "code", "message"} of each error or warning


@dataclass
class ImportOutcome:
    format: str = ""
    header: list[str] = field(default_factory=list)
    rows_total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    samples: dict[str, list[dict]] = field(default_factory=lambda: {g: [] for g in GROUPS})
    problems: list[ProblemRow] = field(default_factory=list)
    # Problem rows beyond settings.IMPORT_REPORT_MAX_ROWS: counted in their groups, not kept for the report (a
    # file of a million bad rows would otherwise hold them all in memory and spend minutes writing the report).
    problems_left_out: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False
    rejected: bool = False
    file_error: str = ""
    column_problem: bool = False  # the file is readable but its columns need a mapping
    deactivated: int = 0
    bulk_load: bool = False  # PostgreSQL bulk load: indexes and foreign keys rebuilt after the rows
    warnings_loaded: int = 0  # rows loaded although the NIK disagrees (accept_warnings), counted as new/updated

    @property
    def nothing_changed(self) -> bool:
        return self.counts["new"] == 0 and self.counts["updated"] == 0

    def summary(self) -> dict:
        return {"format": self.format, "rows_total": self.rows_total, "counts": self.counts,
                "samples": self.samples, "unknown_columns": self.unknown_columns, "notes": self.notes,
                "applied": self.applied, "rejected": self.rejected, "file_error": self.file_error,
                "column_problem": self.column_problem, "header": self.header,
                "deactivated": self.deactivated, "nothing_changed": self.nothing_changed,
                "bulk_load": self.bulk_load, "warnings_loaded": self.warnings_loaded,
                "report_left_out": self.problems_left_out}

    def add(self, group: str, row: int, *, nik: str = "", name: str = "", message: str = "", cells=None,
            issues: list[FieldIssue] = (), fields: list[str] = (), person: int | None = None,
            late: bool = False) -> None:
        """Count a row in its group (a sample of the first rows, a report line of a problem row). `late`: said after
        later rows were, so its sample takes its place among the group's first rows by row number."""
        self.counts[group] += 1
        if late or len(self.samples[group]) < SAMPLE_SIZE:
            sample = {"row": row, "nik": nik, "name": name, "message": message}
            if issues:
                sample["issues"] = [i.as_dict() for i in issues]
            if fields:
                sample["fields"] = list(fields)
            if person:  # the registered person the row is about (one the user sees): the page links to them
                sample["person"] = person
            self.samples[group].append(sample)
            if late:
                self.samples[group] = sorted(self.samples[group], key=lambda s: s["row"])[:SAMPLE_SIZE]
        if group in REPORTED and cells is not None:
            self.report(group, row, message=message, cells=cells, issues=issues)

    def report(self, group: str, row: int, *, message: str, cells, issues: list[FieldIssue] = ()) -> None:
        if len(self.problems) >= settings.IMPORT_REPORT_MAX_ROWS:
            self.problems_left_out += 1
            return
        self.problems.append(ProblemRow(row, group, message, list(cells), [i.as_dict() for i in issues]))


def _desa_in_scope(user) -> set[str]:
    qs = Region.objects.filter(level=Level.DESA, is_historical=False)
    if sees_everything(user):
        return set(qs.values_list("code", flat=True))
    codes = set()
    for code in user_region_codes(user):
        codes |= set(qs.filter(Q(code=code) | Q(code__startswith=code + ".")).values_list("code", flat=True))
    return codes


def _desa_status_outside(before_query: Callable[[], None]) -> Callable[[str], str]:
    """For a row's desa code outside the user's current desa: unknown, not current, or outside the user's area.
    The regions are read once, at the first such code (`before_query` first: a bulk load's COPY must end)."""
    statuses: dict[str, str] = {}

    def status(code: str) -> str:
        if not statuses:
            before_query()
            for region_code, level, historical in Region.objects.values_list("code", "level", "is_historical"):
                statuses[region_code] = (DesaStatus.NOT_CURRENT if level != Level.DESA or historical
                                         else DesaStatus.OUTSIDE)
        return statuses.get(code, DesaStatus.UNKNOWN)

    return status


def _outreach_checker(before_query: Callable[[], None]) -> Callable[[str], bool]:
    """participants.outreach's checker of outreach event codes, with `before_query` first (a bulk load's COPY
    must end before the lookup's query). A row with a code no event has is invalid: refused with the column named
    (the rest loaded, or nothing with all-or-nothing), never loaded without its code. A registered person's code
    is never changed by an import (outreach_code is not in UPDATABLE): an event counts the people it registered."""
    known = outreach_code_checker()

    def check(code: str) -> bool:
        before_query()
        return known(code)

    return check


def _open(source, options: ImportOptions, outcome: ImportOutcome | None = None,
          encoding: str | None = None) -> tuple[Table, Layout]:
    table = open_table(source, looks_like_header=looks_like_header, preferred_sheets=PREFERRED_SHEETS,
                       encoding=encoding)
    if outcome is not None:
        outcome.header = [str(h) for h in table.header]  # kept even if the columns cannot be mapped
    layout = layout_for(table.header, fmt=options.format, mapping=options.mapping)
    return table, layout


def _rewind(source, table: Table):
    table.release()
    if hasattr(source, "seek"):
        source.seek(0)
    return source


def _signature(name_cell, birth_cell) -> tuple:
    """Who a row says the person is, to tell a repeated row from another person with the same NIK."""
    try:
        birth = parse_date(birth_cell, today=clock.today())
    except (ValueError, OverflowError):
        birth = None
    return " ".join(as_text(name_cell).split()).upper(), birth


@dataclass
class FirstPass:
    rows: int
    # NIK -> (row number, chunk number, name cell, birth date cell) of its first row; the chunk is the
    # second pass's (0-based).
    first: dict[str, tuple]
    # NIKs on more than one row: NIK -> (first row, its signature, or None if the rows disagree) ...
    conflicts: dict[str, tuple[int, tuple | None]]
    repeats: dict[str, list[int]]  # ... and every row it is on


def _first_pass(table: Table, layout: Layout, chunk_size: int) -> FirstPass:
    """Count the rows, note where each NIK first appears, and find every NIK on more than one row.

    Cheap on purpose (a million rows): names and birth dates are only compared for NIKs that repeat."""
    nik_at, name_at, birth_at = (layout.positions.get(f) for f in ("nik", "full_name", "birth_date"))
    width = max(nik_at, name_at, birth_at) + 1
    first: dict[str, tuple] = {}
    repeats: dict[str, list[int]] = {}
    conflicts: dict[str, tuple[int, tuple | None]] = {}
    rows = 0
    for row_no, cells in data_rows(table):
        chunk = rows // chunk_size
        rows += 1
        if len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        value = cells[nik_at]
        nik = value if type(value) is str and len(value) == 16 and value.isdigit() else normalize_nik(value)
        if not nik or nik == "0" or has_bad_chars(nik):  # a NUL byte: the row is refused, and PostgreSQL takes no NUL
            continue
        seen = first.get(nik)
        if seen is None:
            first[nik] = (row_no, chunk, cells[name_at], cells[birth_at])
            continue
        if nik not in conflicts:
            conflicts[nik] = (seen[0], _signature(seen[2], seen[3]))
            repeats[nik] = [seen[0]]
        repeats[nik].append(row_no)
        # The same name and birth date cells as the first row need no parsing (a file of one NIK repeated a million
        # times); rows already known to disagree need no more comparing.
        if (conflicts[nik][1] is not None and (cells[name_at] != seen[2] or cells[birth_at] != seen[3])
                and conflicts[nik][1] != _signature(cells[name_at], cells[birth_at])):
            conflicts[nik] = (seen[0], None)  # None: rows disagree about who this is
    return FirstPass(rows, first, conflicts, repeats)


class _Writer:
    """Set-based writes for one import: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, actor, note: str):
        self.actor = actor
        self.note = note
        self.now = clock.now()
        self.registered = audit.AuditBatch(actor=actor, event=AuditEventType.PARTICIPANT_REGISTERED, note=note,
                                           at=self.now)
        self.updated = audit.AuditBatch(actor=actor, event=AuditEventType.PARTICIPANT_UPDATED, note=note, at=self.now)
        self.deactivated = audit.AuditBatch(actor=actor, event=AuditEventType.PARTICIPANT_DEACTIVATED, note=note,
                                            at=self.now)  # a death in an OpenSID export
        self.postgres = connection.vendor == "postgresql"
        self.bulk = False  # set once the bulk load holds the tables
        self._copy = self._copy_context = None  # bulk: the COPY into participants, open across chunks

    def _bulk(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def insert(self, rows: list[dict]) -> None:
        if not rows:
            return
        values = self._participant_values(rows)
        if self.bulk:
            self._insert_bulk(values)
            return
        if self.postgres:
            self._insert_postgres(values)
            return
        self._bulk("participants_participant", INSERT_COLUMNS, values)
        ids = dict(Participant.objects.filter(nik__in=[r["nik"] for r in rows]).values_list("nik", "pk"))
        self.registered.write([(ids[r["nik"]], r["desa"], None,
                                {"nik": r["nik"], "full_name": r["full_name"], "desa": r["desa"],
                                 "outreach_code": r.get("outreach_code", "")}) for r in rows])

    def _insert_postgres(self, values: list[tuple]) -> None:
        """COPY the chunk into a temporary table, then one statement inserts the participants and their
        audit events together (INSERT … RETURNING feeds the audit rows, so no ids travel back)."""
        columns = ", ".join(INSERT_COLUMNS)
        with connection.cursor() as cursor:
            if not getattr(self, "_staging", False):
                cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS import_chunk ON COMMIT DROP AS "
                               f"SELECT {columns} FROM participants_participant WITH NO DATA")
                cursor.execute("TRUNCATE import_chunk")
                self._staging = True
            with cursor.cursor.copy(f"COPY import_chunk ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            self.registered.write_from(
                cursor, with_=f"WITH created AS (INSERT INTO participants_participant ({columns}) SELECT {columns} "
                "FROM import_chunk RETURNING id, nik, full_name, desa_code, outreach_code)",
                source="created", object_id="id", region_code="desa_code", new=REGISTERED_VALUES)
            cursor.execute("TRUNCATE import_chunk")

    def start_bulk(self) -> None:
        """Stream new rows into the (index-free, locked) participant table in one COPY while the file is still
        being read: the database stores them while Python parses the next rows. The participant table's row
        trigger, armed for this import only, writes each participant's audit event (REGISTERED_VALUES) as the row
        arrives, so that work overlaps too."""
        self.bulk = True
        self._cursor = connection.cursor()
        self.registered.arm_trigger(self._cursor, IMPORT_AUDIT_SETTING)

    def _insert_bulk(self, values: list[tuple]) -> None:
        if self._copy is None:
            self._copy_context = self._cursor.cursor.copy(
                f"COPY participants_participant ({', '.join(INSERT_COLUMNS)}) FROM STDIN")
            self._copy = self._copy_context.__enter__()
        write = self._copy.write_row
        for row in values:
            write(row)

    def pause(self, exc: BaseException | None = None) -> None:
        """End the open COPY (before any other statement on the connection; with `exc`, abort it)."""
        if self._copy is not None:
            context, self._copy, self._copy_context = self._copy_context, None, None
            context.__exit__(type(exc) if exc else None, exc, exc.__traceback__ if exc else None)

    def finish_bulk(self) -> None:
        self.pause()
        audit.AuditBatch.disarm_trigger(self._cursor, IMPORT_AUDIT_SETTING)
        self._cursor.close()

    def _participant_values(self, rows: list[dict]) -> list[tuple]:
        if self.postgres:
            # COPY's text format: the same value for every row goes as ready text (formatting a timestamp
            # with its time zone for every row costs about 4 µs, half of the whole row).
            tail = (Channel.IMPORT.value, str(self.actor.pk), self.now.isoformat(), self.now.isoformat(), "t", "",
                    "")
        else:
            tail = (Channel.IMPORT.value, self.actor.pk, self.now, self.now, True, "", "")
        # Warnings the operator confirmed (accept_warnings), as the registration form keeps them.
        return [(
            r["nik"], r.get("kk", ""), r["full_name"], r["full_name"].upper(), r.get("birth_place", ""),
            r["birth_date"], r["sex"], r["desa"], r["desa"][:KEC_LENGTH], r["desa"][:KAB_LENGTH], r.get("address", ""),
            r.get("rt", ""), r.get("rw", ""), r.get("phone", ""), r.get("occupation"), r.get("segment", "BPU"),
            r.get("village_role", VillageRole.VULNERABLE_WORKER), r.get("declared_income", 0), r.get("kpj"), *tail,
            json.dumps(r["confirmed_warnings"]) if "confirmed_warnings" in r else "[]",
            r.get("sector") or sector_for_occupation(r.get("occupation")),
            SectorSource.MANUAL.value if r.get("sector") else SectorSource.OCCUPATION.value,
            r.get("outreach_code", ""),
        ) for r in rows]

    def update(self, changes: list[tuple[int, str, dict, dict]]) -> None:
        """(participant id, desa, old values, new values) for each changed participant: one bulk update per set
        of changed fields (a file that corrects one column for thousands of people is one statement)."""
        groups: dict[tuple[str, ...], list[Participant]] = {}
        for pk, _desa, _old, new in changes:
            values = {("occupation_id" if k == "occupation" else k): v for k, v in new.items()}
            if "full_name" in values:
                values["search_name"] = " ".join(values["full_name"].split()).upper()
            values["updated_at"] = self.now
            groups.setdefault(tuple(sorted(values)), []).append(Participant(pk=pk, **values))
        for fields, participants in groups.items():
            Participant.objects.bulk_update(participants, fields, batch_size=500)
        self.updated.write([change for change in changes if change[3].get("is_active") is not False])
        self.deactivated.write([change for change in changes if change[3].get("is_active") is False])


def participants_import(*, actor, source: str | Path | BinaryIO, options: ImportOptions,
                        progress: Callable[..., None] | None = None) -> ImportOutcome:
    """Import (or preview, with dry_run) a participant file on behalf of `actor`. `progress(done, total, stage)`
    hears the rows done and, when the work is not counted in rows, what is under way (a core.jobs.Stage)."""
    # Millions of short-lived row objects make the cyclic garbage collector run thousands of times
    # (6-7 s of a 1M-row import, measured); nothing here builds reference cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(actor=actor, source=source, options=options, progress=progress)
    finally:
        if collecting:
            gc.enable()


def _import(*, actor, source, options: ImportOptions, progress) -> ImportOutcome:
    outcome = ImportOutcome()
    refusal = actor_refusal(actor)  # e.g. an inactive agent (core.access.actor_refusals): nothing is read or loaded
    if refusal:
        outcome.file_error = refusal
        return outcome
    try:
        table, layout = _open(source, options, outcome)
    except ColumnProblem as exc:
        outcome.file_error, outcome.column_problem = str(exc), True
        return outcome
    except FileProblem as exc:
        outcome.file_error = str(exc)
        return outcome
    except UnicodeDecodeError:
        outcome.file_error = _("Berkas ini bukan spreadsheet (.xlsx, .xls) atau CSV.")
        return outcome
    outcome.format = layout.format
    outcome.unknown_columns, outcome.notes = layout.unknown, table.notes
    allowed_desa = _desa_in_scope(actor)
    if options.desa and options.desa not in allowed_desa and "desa" not in layout.positions:
        outcome.file_error = _("Desa tujuan %(c)s tidak dikenal atau di luar wilayah kerja Anda.") % {"c": options.desa}
        return outcome
    encoding = None
    if progress:
        progress(0, 0, Stage(gettext_noop("membaca berkas")))
    while True:  # the first pass reads the whole file: a CSV byte that does not decode shows up here
        try:
            scan = _first_pass(table, layout, options.chunk_size)
            break
        except FileProblem as exc:  # a row the CSV reader cannot read (a 1 MB cell)
            outcome.file_error = str(exc)
            return outcome
        except UnicodeDecodeError:
            tried = table.text.encoding if table.text else "utf-8-sig"
            later = [e for e in CSV_ENCODINGS if CSV_ENCODINGS.index(e) > CSV_ENCODINGS.index(tried)] \
                if tried in CSV_ENCODINGS else ["latin-1"]
            encoding = later[0]
            table, layout = _open(_rewind(source, table), options, encoding=encoding)

    outcome.notes = table.notes
    outcome.rows_total = total = scan.rows
    if total == 0:
        outcome.file_error = _("Berkas tidak berisi baris data di bawah judul kolom.")
        return outcome
    table, layout = _open(_rewind(source, table), options, encoding=encoding)

    writer = _Writer(actor, options.note or _("impor berkas"))
    parser = RowParser(layout.positions, default_desa=options.desa,
                       occupations=dict(Occupation.objects.values_list("code", "name")),
                       known_desa=allowed_desa, today=clock.today(), desa_status=_desa_status_outside(writer.pause),
                       outreach_code_known=_outreach_checker(writer.pause))
    carried = [f for f in UPDATABLE
               if f in layout.positions or (f == "village_role" and "occupation" in layout.positions)]

    try:
        with transaction.atomic():
            follows = SECTOR_FIELDS if {"occupation", "sector"} & set(carried) else ()
            registered = _Registered(list(dict.fromkeys(["pk", "nik", "desa_id", "registered_by_id", "is_active",
                                                         "confirmed_warnings", *carried, *follows])), scan.first)
            state = _ChunkState(parser, scan, carried, actor, outcome, writer, registered, options.accept_warnings)
            state.preview = options.dry_run
            bulk = None
            if _bulk_wanted(options, len(scan.first) - registered.count):
                # Keep the KPJ index when the file carries KPJs: each chunk looks them up.
                keep = {"participant_kpj_unique"} if "kpj" in layout.positions else set()
                tables = ["participants_participant"]
                if len(scan.first) >= settings.IMPORT_BULK_MIN_SHARE * _table_rows(audit.TABLE):
                    tables.append(audit.TABLE)
                bulk = _BulkLoad(tables, keep)
                if bulk.drop():
                    writer.start_bulk()
            try:
                _second_pass(table, options, state, outcome, progress)
            except BaseException as exc:
                writer.pause(exc)  # the connection must leave COPY before the rollback
                raise
            writer.pause()
            if options.dry_run:
                raise ImportRejected  # a preview writes nothing
            if options.all_or_nothing and outcome.counts["invalid"]:
                outcome.rejected = True
                state.say_withheld(as_preview=True)  # it writes nothing either: no look-up of numbers elsewhere
                raise ImportRejected
            state.say_withheld(as_preview=False)
            if writer.bulk:
                writer.finish_bulk()
                bulk.rebuild(lambda stage: progress and progress(total, total, stage))
                outcome.bulk_load = True
            outcome.applied = True
    except ImportRejected:
        pass
    except _UNIQUE_ERRORS:
        # Another import (or a registration) committed some of these NIKs or KPJs after this one looked them up:
        # the transaction is rolled back, and the next run finds them registered.
        outcome.applied = False
        outcome.file_error = _("Tidak ada yang dimuat: sebagian peserta di berkas ini baru saja didaftarkan oleh "
                               "proses lain (mis. impor lain yang berjalan bersamaan). Jalankan impor ini lagi; "
                               "yang sudah terdaftar akan dikenali.")
    return outcome


def _unique_errors() -> tuple[type[BaseException], ...]:
    """Django's IntegrityError, and psycopg's own (a COPY runs on the raw cursor, outside Django's wrapping)."""
    try:
        import psycopg
    except ImportError:  # SQLite only
        return (IntegrityError,)
    return (IntegrityError, psycopg.IntegrityError)


_UNIQUE_ERRORS = _unique_errors()


def _second_pass(table: Table, options: ImportOptions, state: "_ChunkState", outcome: ImportOutcome,
                 progress) -> None:
    done, chunk_no, total = 0, 0, outcome.rows_total
    chunk: list[tuple[int, list]] = []
    for row in data_rows(table):
        chunk.append(row)
        if len(chunk) >= options.chunk_size:
            _process_chunk(state, chunk, chunk_no, write=_writing(options, outcome))
            done += len(chunk)
            chunk = []
            chunk_no += 1
            if progress:
                progress(done, total, "")
    if chunk:
        _process_chunk(state, chunk, chunk_no, write=_writing(options, outcome))
        done += len(chunk)
        if progress:
            progress(done, total, "")


def _writing(options: ImportOptions, outcome: ImportOutcome) -> bool:
    return not (options.dry_run or (options.all_or_nothing and outcome.counts["invalid"] > 0))


def _bulk_wanted(options: ImportOptions, new_at_most: int) -> bool:
    if connection.vendor != "postgresql" or options.dry_run:
        return False
    # By size (settings IMPORT_BULK_MIN_ROWS / IMPORT_BULK_MIN_SHARE): the bulk load locks the table meanwhile.
    return (new_at_most >= settings.IMPORT_BULK_MIN_ROWS
            and new_at_most >= settings.IMPORT_BULK_MIN_SHARE * _table_rows("participants_participant"))


def _column(name: str) -> str:
    return "id" if name == "pk" else Participant._meta.get_field(name.removesuffix("_id")).column


class _Registered:
    """The registered participants among the file's NIKs, handed out chunk by chunk.

    On PostgreSQL one join against a temporary table of the file's NIKs finds them all at the start
    (also before a bulk load drops the NIK index) and keeps them in a temporary table by chunk;
    elsewhere each chunk asks for its own NIKs."""

    def __init__(self, fields: list[str], first: dict[str, tuple]):
        self.fields = fields
        self.postgres = connection.vendor == "postgresql"
        self.chunks: set[int] = set()
        self.count = 0
        if self.postgres and first:
            self._stage(first)

    def _stage(self, first: dict[str, tuple]) -> None:
        columns = ", ".join(f'p.{_column(f)} AS "{f}"' for f in self.fields)
        with connection.cursor() as cursor:
            # ON COMMIT DROP does not fire when the import runs inside an outer transaction (tests do).
            cursor.execute("DROP TABLE IF EXISTS import_nik, import_registered")
            cursor.execute("CREATE TEMPORARY TABLE import_nik (nik text, chunk integer) ON COMMIT DROP")
            with cursor.cursor.copy("COPY import_nik (nik, chunk) FROM STDIN") as copy:
                for nik, seen in first.items():
                    copy.write_row((nik, seen[1]))
            cursor.execute("ANALYZE import_nik")
            cursor.execute("CREATE TEMPORARY TABLE import_registered ON COMMIT DROP AS "
                           f"SELECT n.chunk, {columns} FROM import_nik n "
                           "JOIN participants_participant p ON p.nik = n.nik")
            cursor.execute("CREATE INDEX ON import_registered (chunk)")
            cursor.execute("SELECT chunk, count(*) FROM import_registered GROUP BY chunk")
            counts = dict(cursor.fetchall())
        self.chunks, self.count = set(counts), sum(counts.values())

    def asks(self, chunk_no: int) -> bool:
        """Whether `rows` will query the database for this chunk."""
        return not self.postgres or chunk_no in self.chunks

    def rows(self, chunk_no: int, niks: list[str]) -> Iterator[dict]:
        if self.postgres:
            if chunk_no in self.chunks:
                names = ", ".join(f'"{f}"' for f in self.fields)
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT {names} FROM import_registered WHERE chunk = %s", [chunk_no])
                    for row in cursor.fetchall():
                        yield dict(zip(self.fields, row, strict=True))
            return
        for start in range(0, len(niks), 5000):
            yield from Participant.objects.filter(nik__in=niks[start:start + 5000]).values(*self.fields)


def _table_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        estimate = cursor.fetchone()[0]
        if estimate >= 0:
            return estimate
        cursor.execute(f"SELECT count(*) FROM {table}")  # never analysed: counting is cheap then
        return cursor.fetchone()[0]


class _BulkLoad:
    """Drop a table's secondary indexes and foreign keys for a large load, and build them again after.

    Building an index once over a million rows is several times cheaper than maintaining it row by row,
    and one foreign-key validation is cheaper than a million checks. The price is an ACCESS EXCLUSIVE
    lock on the tables until the import commits, so this is only for imports that add a large share of
    a table (a district's or the nation's first load). Everything happens inside the import's
    transaction: a failure, or a duplicate the rebuilt unique index finds, undoes it all.

    Locking, dropping and building indexes and constraints are the table owner's rights, and production runs
    the application as a role that owns nothing (so that it cannot switch off the audit trail's triggers): the
    owner's functions of migration participants 0004 do them (`jamsosdesa_bulk_begin` keeps what it dropped,
    `jamsosdesa_bulk_rebuild` builds one step again, and the transaction cannot commit before all are back).
    A role not allowed to call them gets the usual path."""

    def __init__(self, tables: list[str], keep: set[str]):
        self.tables = tables
        self.keep = keep
        self.steps: list[tuple[int, str, str]] = []  # (step, kind: i index / u unique / f foreign key, name)

    def drop(self) -> bool:
        """False if the role may not use the bulk load, or another transaction holds the tables for too long:
        then the import runs the usual way."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(has_function_privilege(to_regprocedure(%s), 'EXECUTE'), false)",
                           ["jamsosdesa_bulk_begin(text[], text[])"])
            if not cursor.fetchone()[0]:
                return False
            # Earlier work in this transaction may have foreign-key checks queued for commit, and a table
            # with queued checks cannot be altered: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            savepoint = transaction.savepoint()
            try:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [settings.IMPORT_BULK_LOCK_TIMEOUT])
                cursor.execute("SELECT step_no, step_kind, object_name FROM jamsosdesa_bulk_begin(%s::text[], "
                               "%s::text[])", [self.tables, sorted(self.keep)])
                self.steps = cursor.fetchall()
            except OperationalError:
                transaction.savepoint_rollback(savepoint)
                return False
            cursor.execute("SELECT set_config('lock_timeout', '0', true)")
            transaction.savepoint_commit(savepoint)
        return True

    def rebuild(self, stage: Callable[[Stage], None] = lambda stage: None) -> None:
        """Build the indexes and constraints again, telling `stage` which one (each takes seconds per million
        rows, with the rows all in: the page says what it waits for instead of standing at 100 %)."""
        steps = len(self.steps)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)",
                           [settings.IMPORT_BULK_MAINTENANCE_WORK_MEM])
            for n, (step, kind, name) in enumerate(self.steps, 1):
                words = {"i": gettext_noop("membangun ulang indeks %(name)s (%(n)d dari %(steps)d)"),
                         "f": gettext_noop("memeriksa kunci asing %(name)s (%(n)d dari %(steps)d)")}.get(
                    kind, gettext_noop("membangun ulang kunci unik %(name)s (%(n)d dari %(steps)d)"))
                stage(Stage(words, {"name": name, "n": n, "steps": steps}))
                cursor.execute("SELECT jamsosdesa_bulk_rebuild(%s)", [step])


class _ChunkState:
    """What the second pass carries from chunk to chunk."""

    def __init__(self, parser: RowParser, scan: FirstPass, carried: list[str], actor, outcome: ImportOutcome,
                 writer: _Writer, registered: _Registered, accept_warnings: bool = False):
        self.parser, self.scan, self.carried, self.actor = parser, scan, carried, actor
        self.outcome, self.writer, self.registered = outcome, writer, registered
        self.accept_warnings = accept_warnings
        self.preview = False  # a dry run: see _process_chunk on NIKs registered outside the user's area
        # The rows refused for a NIK or KPJ held outside the user's area, said at the end (`say_withheld`): in
        # full (what a preview says of the row, the refusal) as far as a sample or the report can show them, then
        # only counted by what the preview says (a file of a million such rows must not fill the memory).
        self.withheld: list[tuple[tuple[str, int, dict], tuple[str, int, dict]]] = []
        self.withheld_counted: dict[str, int] = {"new": 0, "updated": 0}
        self.kpj_rows: dict[str, str] = {}  # KPJ -> NIK of the row in this file that carries it
        self.last_repeat: tuple | None = None  # (cells, clean, errors, warnings) of the last repeated NIK's row

    def withhold(self, row_no: int, preview: tuple[str, dict], refusal: FieldIssue, *, nik: str, name: str,
                 cells) -> None:
        if len(self.withheld) >= max(SAMPLE_SIZE, settings.IMPORT_REPORT_MAX_ROWS):
            self.withheld_counted[preview[0]] += 1
            return
        self.withheld.append(((preview[0], row_no, preview[1]),
                              ("refused", row_no, {"nik": nik, "name": name, "message": refusal.message,
                                                   "cells": cells, "issues": [refusal]})))

    def say_withheld(self, *, as_preview: bool) -> None:
        """Say the refused rows once it is known whether the load writes: refused (in neutral words) when it does;
        as the preview says them (new, updated) when it writes nothing (an all-or-nothing load with an invalid
        row), since an import that writes nothing must not tell whether a number is registered elsewhere: one
        invalid row added to any file made the load a free look-up, with nothing written and nothing audited."""
        for preview, refusal in self.withheld:
            group, row_no, words = preview if as_preview else refusal
            self.outcome.add(group, row_no, late=True, **words)
        for group, count in self.withheld_counted.items():  # past every sample, and past the report's length
            if as_preview:
                self.outcome.counts[group] += count
            else:
                self.outcome.counts["refused"] += count
                self.outcome.problems_left_out += count
        self.withheld, self.withheld_counted = [], {"new": 0, "updated": 0}


def _process_chunk(state: _ChunkState, chunk, chunk_no: int, write: bool) -> None:
    parser, outcome, writer, actor, carried = state.parser, state.outcome, state.writer, state.actor, state.carried
    dup_first, dup_rows = state.scan.conflicts, state.scan.repeats
    parsed = []
    same_as = _("Sama dengan baris %(r)s.")  # translated once a chunk, not for each of a million duplicates
    for row_no, cells in chunk:
        repeat = state.last_repeat  # the last row whose NIK repeats in the file, parsed
        if repeat is not None and cells == repeat[0]:
            # The same cells as that row: the same verdict, without parsing again (a file of one row a million
            # times must not take a million parses).
            clean, errors, warnings = repeat[1], list(repeat[2]), repeat[3]
        else:
            clean, errors, warnings = parser.parse(cells)
            if clean.get("nik", "") in dup_first:
                state.last_repeat = (cells, clean, tuple(errors), warnings)
        nik = clean.get("nik", "")
        if not errors and nik in dup_first:
            first_row, signature = dup_first[nik]
            if signature is None:
                # The first five other rows only: building the whole list for every row of a NIK repeated on
                # a million rows made this quadratic (hours for one file).
                others = list(islice((r for r in dup_rows[nik] if r != row_no), 5))
                errors.append(FieldIssue("nik", "nik_repeated_in_file",
                                         _("NIK sama dengan baris %(r)s tetapi nama atau tanggal lahirnya berbeda.")
                                         % {"r": ", ".join(map(str, others))}))
            elif row_no != first_row:
                outcome.add("duplicate", row_no, nik=nik, name=clean.get("full_name", ""), cells=cells,
                            message=same_as % {"r": first_row})
                continue
        if errors:
            outcome.add("invalid", row_no, nik=nik, name=clean.get("full_name", ""), message=describe(errors),
                        cells=cells, issues=errors)
            continue
        parsed.append((row_no, cells, clean, warnings))

    niks = [clean["nik"] for _, _, clean, _ in parsed]
    kpjs = [c["kpj"] for _, _, c, _ in parsed if c.get("kpj")]
    if kpjs or state.registered.asks(chunk_no):
        writer.pause()  # a bulk load's COPY must end before another statement
    existing = {row["nik"]: row for row in state.registered.rows(chunk_no, niks)}
    # KPJ -> (NIK of its holder, whether the user sees the holder)
    taken_kpj = {kpj: (holder, _sees(actor, desa, registrar)) for kpj, holder, desa, registrar in
                 Participant.objects.filter(kpj__in=kpjs).values_list("kpj", "nik", "desa_id", "registered_by_id")
                 } if kpjs else {}
    # Who of the registered people in this chunk the user may change: one set-based question for the chunk.
    changeable = changeable_participant_ids(actor, [row["pk"] for row in existing.values()]) if existing else set()

    new_rows, changes = [], []
    for row_no, cells, clean, warnings in parsed:
        nik, name = clean["nik"], clean["full_name"]
        current = existing.get(nik)
        kpj = clean.get("kpj")
        holder, holder_seen = taken_kpj.get(kpj, (nik, True)) if kpj else (nik, True)
        if kpj and ((holder != nik and holder_seen) or state.kpj_rows.setdefault(kpj, nik) != nik):
            taken = [FieldIssue("kpj", "kpj_taken", _("Nomor KPJ sudah dipakai peserta lain."))]
            outcome.add("invalid", row_no, nik=nik, name=name, cells=cells, message=describe(taken), issues=taken)
            continue
        visible = current is not None and _sees(actor, current["desa_id"], current["registered_by_id"])
        # A NIK or KPJ held outside the user's area: a preview answers exactly as for a free one (it writes
        # nothing, so it must not answer whether a number exists somewhere); loading refuses the row, after its
        # warnings as the registration form does, in the form's neutral words.
        refused = None
        if current is not None and not visible:
            refused = refused_issue("nik", nik)
        elif holder != nik:
            refused = refused_issue("kpj", kpj)
        if current is None or not visible:
            if clean.get("died"):
                outcome.add("skipped", row_no, nik=nik, name=name, cells=cells,
                            message=_("Meninggal dunia menurut berkas; tidak didaftarkan."))
                continue
            if warnings:
                if not _warned(state, row_no, nik, name, cells, warnings):
                    continue
                clean["confirmed_warnings"] = [w.code for w in warnings]
            if refused is not None and not state.preview:
                state.withhold(row_no, ("new", {"nik": nik, "name": name}), refused, nik=nik, name=name, cells=cells)
                continue
            if current is None:
                new_rows.append(clean)
            outcome.add("new", row_no, nik=nik, name=name)
            continue
        if current["desa_id"] != clean["desa"] or current["pk"] not in changeable:
            outcome.add("elsewhere", row_no, nik=nik, name=name, cells=cells, person=current["pk"],
                        message=_("Sudah terdaftar di desa %(d)s.") % {"d": current["desa_id"]})
            continue
        old, new = {}, {}
        for fld in carried:
            if fld not in clean or fld == "sector":  # the sector: _sector_change below
                continue
            before = current[fld]
            if isinstance(before, date) and not isinstance(clean[fld], date):
                before = before.isoformat()
            if before != clean[fld]:
                old[fld], new[fld] = before, clean[fld]
        if "sector_source" in current:
            _sector_change(current, clean, old, new)
        if clean.get("died") and current["is_active"]:
            old.update(is_active=True, deactivation_reason="")
            new.update(is_active=False, deactivation_reason=DeactivationReason.DIED,
                       deactivated_at=writer.now)
            outcome.deactivated += 1
        if new and warnings:
            confirmed = current["confirmed_warnings"]
            confirmed = json.loads(confirmed) if isinstance(confirmed, str) else list(confirmed or [])
            warnings = [w for w in warnings if w.code not in confirmed]  # as the form: confirmed once is enough
            if warnings:
                if not _warned(state, row_no, nik, name, cells, warnings):
                    continue
                old["confirmed_warnings"] = confirmed
                new["confirmed_warnings"] = sorted({*confirmed, *(w.code for w in warnings)})
        changed = sorted(k for k in new if k not in ("deactivated_at", "confirmed_warnings"))
        if new and refused is not None and not state.preview:  # a KPJ held outside the user's area
            state.withhold(row_no, ("updated", {"nik": nik, "name": name, "message": ", ".join(changed),
                                                "fields": changed}), refused, nik=nik, name=name, cells=cells)
            continue
        if new:
            changes.append((current["pk"], current["desa_id"], old, new))
            # The fields as codes: the page names them in its reader's language.
            outcome.add("updated", row_no, nik=nik, name=name, message=", ".join(changed), fields=changed)
        else:
            outcome.add("unchanged", row_no, nik=nik, name=name)
    if write:
        if changes:
            writer.pause()
            writer.update(changes)
        writer.insert(new_rows)


def _sector_change(current: dict, clean: dict, old: dict, new: dict) -> None:
    """Add the sector to a registered person's changes, as the registration form would set it: a sector in the
    file is chosen by hand (kept when the occupation changes later); a blank one follows the occupation again; with
    no sector in the file, a new occupation changes the sector only while it follows the occupation. A bulk update
    writes only the fields it names, so this is said here (Participant.fill_derived does not run)."""
    source = clean.get("sector_source", current["sector_source"])
    if "sector" in clean:
        sector = clean["sector"]
    elif source == SectorSource.OCCUPATION:
        sector = sector_for_occupation(clean.get("occupation", current["occupation"]))
    else:
        sector = current["sector"]
    for fld, value in (("sector", sector), ("sector_source", source)):
        if value != current[fld]:
            old[fld], new[fld] = current[fld], value


def _sees(actor, desa_code: str, registered_by_id: int | None) -> bool:
    """Whether the user sees a registered person (as participants.access.scope_participants decides, for one row
    without a query)."""
    return code_in_scope(actor, desa_code) or registered_by_id == actor.pk


def _warned(state: _ChunkState, row_no: int, nik: str, name: str, cells, warnings: list[FieldIssue]) -> bool:
    """A row the cleaner has warnings about: reported either way; loaded (True) only if the operator chose so."""
    message = describe(warnings)
    if state.accept_warnings:
        state.outcome.warnings_loaded += 1
        state.outcome.report("warning_loaded", row_no, message=message, cells=cells, issues=warnings)
        return True
    state.outcome.add("warning", row_no, nik=nik, name=name, message=message, cells=cells, issues=warnings)
    return False
