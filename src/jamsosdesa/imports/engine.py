"""Import participants from a file: read, validate, deduplicate, classify, and load set-based.

The file is read twice. The first pass only notes every row's NIK with its name and birth date, so that
two rows with the same NIK are both known before anything is written. The second pass works in
chunks: validate the rows, look up the chunk's NIKs in one query, classify each row, and load the new
ones with COPY (PostgreSQL) or one executemany (SQLite). Everything happens in one transaction: a
failure, or an all-or-nothing import that finds an invalid row, leaves the database as it was.
"""

import gc
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import BinaryIO

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsosdesa.core.access import can_change_participant, code_in_scope, sees_everything, user_region_codes
from jamsosdesa.core.models import AuditAction
from jamsosdesa.participants.models import Channel, DeactivationReason, Occupation, Participant, VillageRole
from jamsosdesa.regions.models import Level, Region

from .columns import ColumnProblem, Layout, layout_for, looks_like_header
from .readers import CSV_ENCODINGS, FileProblem, Table, open_table
from .rows import RowParser, cell_text, describe, parse_date

GROUPS = ("new", "unchanged", "updated", "duplicate", "elsewhere", "invalid", "skipped")
SAMPLE_SIZE = 5
CHUNK = 10_000
# Fields an import may set on an existing participant (never the NIK or the desa).
UPDATABLE = ("full_name", "birth_place", "birth_date", "sex", "address", "rt", "rw", "phone", "occupation",
             "segment", "village_role", "declared_income", "kk", "kpj")
INSERT_COLUMNS = ("nik", "kk", "full_name", "search_name", "birth_place", "birth_date", "sex", "desa_code",
                  "kec_code", "kab_code", "address", "rt", "rw", "phone", "occupation_id", "segment",
                  "village_role", "declared_income", "kpj", "channel", "registered_by_id", "created_at",
                  "updated_at", "is_active", "deactivation_reason", "deactivation_note", "confirmed_warnings")
AUDIT_COLUMNS = ("at", "actor_id", "actor_name", "action", "object_type", "object_id", "region_code", "old", "new",
                 "note")


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


@dataclass
class ProblemRow:
    row: int
    group: str
    message: str
    cells: list


@dataclass
class ImportOutcome:
    format: str = ""
    header: list[str] = field(default_factory=list)
    rows_total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    samples: dict[str, list[dict]] = field(default_factory=lambda: {g: [] for g in GROUPS})
    problems: list[ProblemRow] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False
    rejected: bool = False
    file_error: str = ""
    column_problem: bool = False  # the file is readable but its columns need a mapping
    deactivated: int = 0

    @property
    def nothing_changed(self) -> bool:
        return self.counts["new"] == 0 and self.counts["updated"] == 0

    def summary(self) -> dict:
        return {"format": self.format, "rows_total": self.rows_total, "counts": self.counts,
                "samples": self.samples, "unknown_columns": self.unknown_columns, "notes": self.notes,
                "applied": self.applied, "rejected": self.rejected, "file_error": self.file_error,
                "column_problem": self.column_problem, "header": self.header,
                "deactivated": self.deactivated, "nothing_changed": self.nothing_changed}

    def add(self, group: str, row: int, *, nik: str = "", name: str = "", message: str = "", cells=None) -> None:
        self.counts[group] += 1
        if len(self.samples[group]) < SAMPLE_SIZE:
            self.samples[group].append({"row": row, "nik": nik, "name": name, "message": message})
        if group in ("duplicate", "elsewhere", "invalid", "skipped") and cells is not None:
            self.problems.append(ProblemRow(row, group, message, list(cells)))


def _desa_in_scope(user) -> set[str]:
    qs = Region.objects.filter(level=Level.DESA, is_historical=False)
    if sees_everything(user):
        return set(qs.values_list("code", flat=True))
    codes = set()
    for code in user_region_codes(user):
        codes |= set(qs.filter(Q(code=code) | Q(code__startswith=code + ".")).values_list("code", flat=True))
    return codes


def _open(source, options: ImportOptions, outcome: ImportOutcome | None = None,
          encoding: str | None = None) -> tuple[Table, Layout]:
    table = open_table(source, looks_like_header=looks_like_header, encoding=encoding)
    if outcome is not None:
        outcome.header = [str(h) for h in table.header]  # kept even if the columns cannot be mapped
    layout = layout_for(table.header, fmt=options.format, mapping=options.mapping)
    return table, layout


def _rewind(source, table: Table):
    table.release()
    if hasattr(source, "seek"):
        source.seek(0)
    return source


def _is_end_marker(cells: list) -> bool:
    """OpenSID ends its data at a row whose second cell is ###."""
    return len(cells) > 1 and isinstance(cells[1], str) and cells[1].strip() == "###"


def _blank(cells: list) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _data_rows(table: Table) -> Iterator[tuple[int, list]]:
    """(row number in the file, cells) for every data row: blank rows skipped, stop at OpenSID's ###."""
    row_no = table.header_row
    for cells in table.rows:
        row_no += 1
        if _is_end_marker(cells):
            return
        if not _blank(cells):
            yield row_no, cells


def _first_pass(table: Table, layout: Layout) -> tuple[int, dict[str, tuple[int, tuple]], dict[str, list[int]]]:
    """Count the rows and find every NIK that appears more than once, with the rows it appears in."""
    nik_at, name_at, birth_at = (layout.positions.get(f) for f in ("nik", "full_name", "birth_date"))
    first: dict[str, tuple[int, tuple]] = {}
    repeats: dict[str, list[int]] = {}
    rows = 0
    for row_no, cells in _data_rows(table):
        rows += 1
        nik = cell_text(cells[nik_at] if nik_at < len(cells) else None).replace(" ", "").replace(".", "")
        if not nik or nik == "0":
            continue
        name = " ".join(cell_text(cells[name_at] if name_at < len(cells) else None).split()).upper()
        try:
            birth = parse_date(cells[birth_at] if birth_at < len(cells) else None)
        except (ValueError, OverflowError):
            birth = None
        signature = (name, birth)
        seen = first.get(nik)
        if seen is None:
            first[nik] = (row_no, signature)
        else:
            repeats.setdefault(nik, [seen[0]]).append(row_no)
            if seen[1] != signature:
                first[nik] = (seen[0], None)  # None: rows disagree about who this is
    conflicts = {nik: (first[nik][0], first[nik][1]) for nik in repeats}
    return rows, conflicts, repeats


class _Writer:
    """Set-based writes for one import: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, actor, note: str):
        self.actor = actor
        self.note = note
        self.now = timezone.now()
        self.postgres = connection.vendor == "postgresql"

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
        if self.postgres:
            self._insert_postgres(values)
            return
        self._bulk("participants_participant", INSERT_COLUMNS, values)
        ids = dict(Participant.objects.filter(nik__in=[r["nik"] for r in rows]).values_list("nik", "pk"))
        self.audit([(ids[r["nik"]], r["desa"], AuditAction.CREATE, None,
                     {"nik": r["nik"], "full_name": r["full_name"], "desa": r["desa"]}) for r in rows])

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
            cursor.execute(
                f"WITH created AS (INSERT INTO participants_participant ({columns}) SELECT {columns} FROM import_chunk "
                "RETURNING id, nik, full_name, desa_code) "
                f"INSERT INTO core_auditevent ({', '.join(AUDIT_COLUMNS)}) "
                "SELECT %s, %s, %s, %s, 'participant', id::text, desa_code, NULL, "
                "jsonb_build_object('nik', nik, 'full_name', full_name, 'desa', desa_code), %s FROM created",
                [self.now, self.actor.pk, self.actor.username, AuditAction.CREATE.value, self.note])
            cursor.execute("TRUNCATE import_chunk")

    def _participant_values(self, rows: list[dict]) -> list[tuple]:
        actor_id = self.actor.pk
        return [(
            r["nik"], r.get("kk", ""), r["full_name"], r["full_name"].upper(), r.get("birth_place", ""),
            r["birth_date"], r["sex"], r["desa"], r["desa"][:8], r["desa"][:5], r.get("address", ""),
            r.get("rt", ""), r.get("rw", ""), r.get("phone", ""), r.get("occupation"), r.get("segment", "BPU"),
            r.get("village_role", VillageRole.VULNERABLE_WORKER), r.get("declared_income", 0), r.get("kpj"),
            Channel.IMPORT, actor_id, self.now, self.now, True, "", "", "[]",
        ) for r in rows]

    def update(self, changes: list[tuple[int, str, dict, dict]]) -> None:
        """(participant id, desa, old values, new values) for each changed participant."""
        for pk, _desa, _old, new in changes:
            values = {("occupation_id" if k == "occupation" else k): v for k, v in new.items()}
            if "full_name" in values:
                values["search_name"] = " ".join(values["full_name"].split()).upper()
            Participant.objects.filter(pk=pk).update(**values, updated_at=self.now)
        self.audit([(pk, desa, AuditAction.UPDATE, old, new) for pk, desa, old, new in changes])

    def audit(self, events: list[tuple]) -> None:
        def dump(value):
            return None if value is None else json.dumps(value, default=str)

        name = self.actor.username
        rows = [(self.now, self.actor.pk, name, action, "participant", str(pk), desa, dump(old), dump(new), self.note)
                for pk, desa, action, old, new in events]
        self._bulk("core_auditevent", AUDIT_COLUMNS, rows)


def participants_import(*, actor, source: str | Path | BinaryIO, options: ImportOptions,
                        progress: Callable[[int, int], None] | None = None) -> ImportOutcome:
    """Import (or preview, with dry_run) a participant file on behalf of `actor`."""
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
    while True:  # the first pass reads the whole file: a CSV byte that does not decode shows up here
        try:
            total, dup_first, dup_rows = _first_pass(table, layout)
            break
        except UnicodeDecodeError:
            tried = table.text.encoding if table.text else "utf-8-sig"
            later = [e for e in CSV_ENCODINGS if CSV_ENCODINGS.index(e) > CSV_ENCODINGS.index(tried)] \
                if tried in CSV_ENCODINGS else ["latin-1"]
            encoding = later[0]
            table, layout = _open(_rewind(source, table), options, encoding=encoding)

    outcome.notes = table.notes
    outcome.rows_total = total
    if total == 0:
        outcome.file_error = _("Berkas tidak berisi baris data di bawah judul kolom.")
        return outcome
    table, layout = _open(_rewind(source, table), options, encoding=encoding)

    parser = RowParser(layout.positions, default_desa=options.desa,
                       occupations=dict(Occupation.objects.values_list("code", "name")),
                       known_desa=allowed_desa, today=timezone.localdate())
    carried = [f for f in UPDATABLE
               if f in layout.positions or (f == "village_role" and "occupation" in layout.positions)]
    writer = _Writer(actor, options.note or _("impor berkas"))

    def flush(rows):
        blocked = options.dry_run or (options.all_or_nothing and outcome.counts["invalid"] > 0)
        _process_chunk(rows, parser, dup_first, dup_rows, carried, actor, outcome, writer, write=not blocked)

    try:
        with transaction.atomic():
            done = 0
            chunk: list[tuple[int, list]] = []
            for row in _data_rows(table):
                chunk.append(row)
                if len(chunk) >= options.chunk_size:
                    flush(chunk)
                    done += len(chunk)
                    chunk = []
                    if progress:
                        progress(done, total)
            if chunk:
                flush(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
            if options.dry_run:
                raise ImportRejected  # a preview writes nothing
            if options.all_or_nothing and outcome.counts["invalid"]:
                outcome.rejected = True
                raise ImportRejected
            outcome.applied = True
    except ImportRejected:
        pass
    return outcome


def _existing(niks: list[str], fields: list[str]) -> Iterator[dict]:
    """The registered participants among `niks`, as dicts of `fields`."""
    if connection.vendor == "postgresql":
        # nik = ANY(array): one parameter, where IN (...) would send and parse thousands of them.
        yield from Participant.objects.extra(where=["nik = ANY(%s)"], params=[niks]).values(*fields)
        return
    for start in range(0, len(niks), 5000):
        yield from Participant.objects.filter(nik__in=niks[start:start + 5000]).values(*fields)


def _process_chunk(chunk, parser: RowParser, dup_first, dup_rows, carried, actor, outcome: ImportOutcome,
                   writer: _Writer, write: bool) -> None:
    parsed = []
    for row_no, cells in chunk:
        clean, errors = parser.parse(cells)
        nik = clean.get("nik", "")
        if not errors and nik in dup_first:
            first_row, signature = dup_first[nik]
            others = [r for r in dup_rows[nik] if r != row_no]
            if signature is None:
                errors.append(("nik", _("NIK sama dengan baris %(r)s tetapi nama atau tanggal lahirnya berbeda.")
                               % {"r": ", ".join(map(str, others[:5]))}))
            elif row_no != first_row:
                outcome.add("duplicate", row_no, nik=nik, name=clean.get("full_name", ""), cells=cells,
                            message=_("Sama dengan baris %(r)s.") % {"r": first_row})
                continue
        if errors:
            outcome.add("invalid", row_no, nik=nik, name=clean.get("full_name", ""), message=describe(errors),
                        cells=cells)
            continue
        parsed.append((row_no, cells, clean))

    niks = [clean["nik"] for _, _, clean in parsed]
    fields = ["pk", "nik", "desa_id", "registered_by_id", "is_active", *carried]  # "occupation" gives the code
    existing = {row["nik"]: row for row in _existing(niks, fields)}
    kpjs = [c["kpj"] for _, _, c in parsed if c.get("kpj")]
    taken_kpj = dict(Participant.objects.filter(kpj__in=kpjs).values_list("kpj", "nik")) if kpjs else {}

    new_rows, changes = [], []
    for row_no, cells, clean in parsed:
        nik, name = clean["nik"], clean["full_name"]
        current = existing.get(nik)
        kpj = clean.get("kpj")
        if kpj and taken_kpj.get(kpj, nik) != nik:
            outcome.add("invalid", row_no, nik=nik, name=name, cells=cells,
                        message=describe([("kpj", _("Nomor KPJ sudah dipakai peserta lain."))]))
            continue
        if current is None:
            if clean.get("died"):
                outcome.add("skipped", row_no, nik=nik, name=name, cells=cells,
                            message=_("Meninggal dunia menurut berkas; tidak didaftarkan."))
                continue
            new_rows.append(clean)
            outcome.add("new", row_no, nik=nik, name=name)
            continue
        probe = SimpleNamespace(desa_id=current["desa_id"], registered_by_id=current["registered_by_id"])
        visible = code_in_scope(actor, current["desa_id"]) or current["registered_by_id"] == actor.pk
        if current["desa_id"] != clean["desa"] or not can_change_participant(actor, probe):
            where = (_("Sudah terdaftar di desa %(d)s.") % {"d": current["desa_id"]} if visible
                     else _("NIK sudah terdaftar di wilayah lain."))
            outcome.add("elsewhere", row_no, nik=nik, name=name, message=where, cells=cells)
            continue
        old, new = {}, {}
        for fld in carried:
            if fld not in clean:
                continue
            before = current[fld]
            if isinstance(before, date) and not isinstance(clean[fld], date):
                before = before.isoformat()
            if before != clean[fld]:
                old[fld], new[fld] = before, clean[fld]
        if clean.get("died") and current["is_active"]:
            old.update(is_active=True, deactivation_reason="")
            new.update(is_active=False, deactivation_reason=DeactivationReason.DIED,
                       deactivated_at=writer.now)
            outcome.deactivated += 1
        if new:
            changes.append((current["pk"], current["desa_id"], old, new))
            outcome.add("updated", row_no, nik=nik, name=name,
                        message=", ".join(sorted(k for k in new if k != "deactivated_at")))
        else:
            outcome.add("unchanged", row_no, nik=nik, name=name)
    if write:
        writer.insert(new_rows)
        writer.update(changes)
