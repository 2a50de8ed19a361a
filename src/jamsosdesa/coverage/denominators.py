"""Denominators (issue 13, item 2): the working population of a region in a year, with its source, which coverage
is divided by.

One figure per region and year (a kabupaten's from BPS Sakernas, a desa's own count, or another source named in
its note). One service sets one figure (`denominator_set`: the page, the API and the CLI); one imports a CSV/XLSX
of them (`denominator_import`), all-or-nothing or partial, with a report per row; both check a figure with the same
cleaner (`denominator_clean`). Every change is audited with its old and new values.

For the dashboards: `denominator_for(region_code, year)` gives (count, source) or None, and `coverage_warning`
names what is wrong with a denominator before any percentage is shown (none, zero, or below the protected count):
coverage is never shown without naming its denominator, and never silently above 100 %.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.audit import AuditBatch, audit_record
from jamsosdesa.core.errors import ErrorCode, FieldErrors, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.money import thousands
from jamsosdesa.core.sheets import FileProblem, data_rows, normalize_header, open_table
from jamsosdesa.core.text import is_ascii_digits, strip_bad_chars

from .access import can_set_region, check_can_set, parse_region, region_code_text, region_rows
from .models import NATION, Denominator, DenominatorSource
from .targets import count_problem, year_problem

SOURCE_WORDS = {  # what a person writes in a file's source column -> the source
    "bps_sakernas": DenominatorSource.BPS_SAKERNAS, "bps": DenominatorSource.BPS_SAKERNAS,
    "sakernas": DenominatorSource.BPS_SAKERNAS, "bps sakernas": DenominatorSource.BPS_SAKERNAS,
    "village_count": DenominatorSource.VILLAGE_COUNT, "desa": DenominatorSource.VILLAGE_COUNT,
    "pendataan desa": DenominatorSource.VILLAGE_COUNT, "pendataan desa sendiri": DenominatorSource.VILLAGE_COUNT,
    "data desa": DenominatorSource.VILLAGE_COUNT, "other": DenominatorSource.OTHER, "lain": DenominatorSource.OTHER,
    "lainnya": DenominatorSource.OTHER, "sumber lain": DenominatorSource.OTHER,
}


def source_of(text) -> str | None:
    clean = " ".join(str(text or "").strip().lower().replace("_", " ").split())
    return SOURCE_WORDS.get(clean) or SOURCE_WORDS.get(clean.replace(" ", "_"))


@dataclass(frozen=True)
class DenominatorRequest:
    region: str  # as typed: 'ID' (or '') for the nation
    year: int
    count: int
    source: str  # DenominatorSource (or a word source_of reads: 'BPS', 'desa')
    source_note: str = ""  # e.g. 'Sakernas Agustus 2025, tabel 3'


def denominator_clean(*, year, count, source, source_note, errors: FieldErrors) -> dict:
    """The one cleaner of a denominator's figures (the form, the API, the CLI and each row of an import): the clean
    values, with the problems added to `errors` by field."""
    clean_year, problem = year_problem(year)
    if problem:
        errors.add("year", problem)
    clean_count, problem = count_problem(count, field_label=_("Jumlah penduduk bekerja"))
    if problem:
        errors.add("count", problem)
    clean_source = source_of(source)
    if clean_source is None:
        errors.add("source", _("Sumber '%(s)s' tidak dikenal: tulis bps_sakernas, village_count (pendataan desa) "
                               "atau other.") % {"s": str(source or "")[:30]})
    note = strip_bad_chars(str(source_note or "")).strip()
    if len(note) > 200:
        errors.add("source_note", _("Keterangan sumber paling panjang 200 huruf."))
    return {"year": clean_year, "count": clean_count, "source": clean_source, "source_note": note}


def _values(d: Denominator) -> dict:
    return {"region": region_code_text(d.region_code), "year": d.year, "count": d.count, "source": d.source,
            "source_note": d.source_note}


@transaction.atomic
def denominator_set(*, actor, request: DenominatorRequest) -> tuple[Denominator, bool]:
    """Set a region's working population for a year: created, or changed in place with the old and new values in
    the audit trail. Returns (the figure, whether it changed). 404 outside the actor's area, 403 for a region they
    see but do not set, INVALID for the rest."""
    region_code = parse_region(request.region)
    check_can_set(actor, region_code)
    errors = FieldErrors(_("Jumlah penduduk bekerja tidak disimpan: %(first)s"))
    clean = denominator_clean(year=request.year, count=request.count, source=request.source,
                              source_note=request.source_note, errors=errors)
    errors.raise_if_any()
    row = Denominator.objects.select_for_update().filter(region_code=region_code, year=clean["year"]).first()
    old = None if row is None else _values(row)
    if row is None:
        row = Denominator(region_code=region_code, year=clean["year"])
    row.count, row.source, row.source_note = clean["count"], clean["source"], clean["source_note"]
    new = _values(row)
    if old == new:
        return row, False
    row.set_by, row.set_at = actor, clock.now()
    row.save()
    audit_record(actor=actor, event=AuditEventType.DENOMINATOR_SET, obj=row, region_code=region_code, old=old,
                 new=new)
    return row, True


# --- import ------------------------------------------------------------------------------------------------------

COLUMNS = {
    "region": {"kode", "kode_wilayah", "kode_kemendagri", "kode_daerah", "region", "region_code", "wilayah"},
    "count": {"jumlah", "jumlah_penduduk_bekerja", "penduduk_bekerja", "bekerja", "count", "working_population"},
    "year": {"tahun", "year"},
    "source": {"sumber", "source", "sumber_data"},
    "source_note": {"keterangan", "keterangan_sumber", "source_note", "catatan", "note"},
}


def _columns(header) -> dict[str, int]:
    names = [normalize_header(h) for h in header]
    found = {}
    for key, words in COLUMNS.items():
        for i, name in enumerate(names):
            if name in words and key not in found:
                found[key] = i
    return found


def _looks_like_header(cells) -> bool:
    found = _columns(cells)
    return "region" in found and "count" in found


def region_code_from_cell(value) -> str:
    """A region code as a spreadsheet holds it: '33.11', BPS's '3311', or an Excel number (33.1 for 33.10)."""
    if isinstance(value, float):
        value = str(int(value)) if value.is_integer() else f"{value:.2f}"
    text = strip_bad_chars(str(value if value is not None else "")).strip().lstrip("'")
    if is_ascii_digits(text) and len(text) in (2, 4, 6, 10):  # undotted, as BPS writes them
        text = ".".join(p for p in (text[:2], text[2:4], text[4:6], text[6:]) if p)
    return text


@dataclass(frozen=True)
class RowProblem:
    row: int  # row number in the file
    field: str
    message: str


@dataclass
class ImportReport:
    file_name: str
    partial: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    loaded: bool = False  # whether anything was written (all-or-nothing with problems: nothing)

    @property
    def refused_rows(self) -> int:
        return len({p.row for p in self.problems})

    def as_json(self) -> dict:
        return {"file_name": self.file_name, "partial": self.partial, "rows": self.rows, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged, "refused_rows": self.refused_rows,
                "loaded": self.loaded,
                "problems": [{"row": p.row, "field": p.field, "message": p.message} for p in self.problems]}


def _existing_regions(codes: set[str]) -> set[str]:
    from jamsosdesa.regions.models import Region

    wanted, found = sorted(c for c in codes if c), set()
    for i in range(0, len(wanted), 5000):  # SQLite's limit on a query's parameters
        found.update(Region.objects.filter(code__in=wanted[i:i + 5000], is_historical=False)  # a retired code: unknown
                     .values_list("code", flat=True))
    return found


def _read(source, *, actor, default_year, default_source, report: ImportReport) -> list[dict]:
    """The clean rows of a file, the problems of the others in `report`."""
    try:
        table = open_table(source, looks_like_header=_looks_like_header, preferred_sheets=("data", "penduduk"))
    except FileProblem as exc:
        if exc.no_header:
            raise FileProblem(_("Tidak ada baris judul dengan kolom kode wilayah dan jumlah (mis. kode_wilayah, "
                                "tahun, jumlah, sumber, keterangan).")) from None
        raise
    try:
        columns = _columns(table.header)
        raw = []
        for row_no, cells in data_rows(table):
            def cell(key, cells=cells):
                i = columns.get(key)
                return cells[i] if i is not None and i < len(cells) else None
            raw.append((row_no, {key: cell(key) for key in COLUMNS}))
    finally:
        table.release()
    known = _existing_regions({region_code_from_cell(r["region"]) for _n, r in raw})
    clean_rows, first_row = [], {}
    for row_no, r in raw:
        report.rows += 1
        errors = FieldErrors("")
        code = region_code_from_cell(r["region"])
        if code in ("ID", "id", "nasional"):
            code = NATION
        elif code not in known:
            errors.add("region", _("kode wilayah '%(c)s' tidak dikenal") % {"c": code[:30]})
        if "region" not in errors.fields and not can_set_region(actor, code):
            errors.add("region", _("wilayah %(c)s di luar wilayah yang boleh Anda isi") % {
                "c": region_code_text(code)})
        year = r["year"] if r["year"] not in (None, "") else default_year
        source = r["source"] if r["source"] not in (None, "") else default_source
        if year in (None, ""):
            errors.add("year", _("tahun kosong (isi kolom tahun, atau pilih tahun untuk seluruh berkas)"))
            year = clock.today().year  # checked no further
        if source in (None, ""):
            errors.add("source", _("sumber kosong (isi kolom sumber, atau pilih sumber untuk seluruh berkas)"))
            source = DenominatorSource.OTHER
        clean = denominator_clean(year=year, count=r["count"], source=source, source_note=r["source_note"],
                                  errors=errors)
        if not errors.fields:
            key = (code, clean["year"])
            if key in first_row:
                errors.add("region", _("wilayah %(c)s tahun %(y)s sudah ada di baris %(n)s") % {
                    "c": region_code_text(code), "y": clean["year"], "n": first_row[key]})
            else:
                first_row[key] = row_no
        for name, messages in errors.fields.items():
            for message in messages:
                report.problems.append(RowProblem(row=row_no, field=name, message=message))
        if not errors.fields:
            clean_rows.append({"row": row_no, "region_code": code, **clean})
    return clean_rows


@transaction.atomic
def denominator_import(*, actor, source: str | Path | BinaryIO, partial: bool = False, file_name: str = "",
                       default_year: int | None = None, default_source: str = "") -> ImportReport:
    """Load a CSV/XLSX of working-population figures (columns kode_wilayah, jumlah, and tahun, sumber, keterangan
    unless given for the whole file). All-or-nothing (default): one problem and nothing is loaded; `partial`: the
    good rows are loaded. The report names every refused row: an unknown region code, a region outside the actor's
    area, a bad number, a row repeating an earlier one's region and year. FileProblem when the file cannot be read
    as such a table."""
    report = ImportReport(file_name=file_name or (str(source) if isinstance(source, str | Path) else ""),
                          partial=partial)
    rows = _read(source, actor=actor, default_year=default_year, default_source=default_source, report=report)
    if report.problems and not partial:
        return report
    if not rows:
        return report
    existing = {}
    keys = {(r["region_code"], r["year"]) for r in rows}
    for year in {r["year"] for r in rows}:
        codes = sorted({c for c, y in keys if y == year})
        for i in range(0, len(codes), 5000):
            for d in Denominator.objects.select_for_update().filter(year=year, region_code__in=codes[i:i + 5000]):
                existing[(d.region_code, d.year)] = d
    now = clock.now()
    to_create, to_update, events = [], [], []
    for r in rows:
        row = existing.get((r["region_code"], r["year"]))
        old = None if row is None else _values(row)
        if row is None:
            row = Denominator(region_code=r["region_code"], year=r["year"])
        row.count, row.source, row.source_note = r["count"], r["source"], r["source_note"]
        if old == _values(row):
            report.unchanged += 1
            continue
        row.set_by, row.set_at = actor, now
        (to_create if old is None else to_update).append(row)
        events.append((row, old))
    Denominator.objects.bulk_create(to_create, batch_size=2000)
    Denominator.objects.bulk_update(to_update, ["count", "source", "source_note", "set_by", "set_at"],
                                    batch_size=2000)
    report.created, report.updated = len(to_create), len(to_update)
    AuditBatch(actor=actor, event=AuditEventType.DENOMINATORS_IMPORTED, at=now,
               note=_("berkas %(f)s") % {"f": report.file_name[:150]}).write(
        [(row.pk, row.region_code, old, _values(row)) for row, old in events])
    report.loaded = bool(to_create or to_update)
    return report


# --- reads ---------------------------------------------------------------------------------------------------------

def denominator_list(*, user, region: str | None = None, year: int | None = None):
    """Figures the user sees: of one region (404 when they do not see it), or of their whole area."""
    return region_rows(user, Denominator.objects.select_related("set_by"), region=region, year=year).order_by(
        "region_code", "-year")


def source_label(source: str, note: str = "") -> str:
    label = str(DenominatorSource(source).label) if source in DenominatorSource.values else source
    return f"{label} ({note})" if note else label


class DenominatorFigure(NamedTuple):
    count: int
    source: str  # named for people: 'BPS Sakernas (Sakernas Agustus 2025)'


def denominator_for(region_code: str, year: int) -> DenominatorFigure | None:
    """The working population a dashboard divides by for a region (stored code: '' for the nation) and year, with
    its source named; None when none is recorded for that year (no other year's and no sum of the children's is
    taken in its place: a dashboard says there is none). No scoping: the caller has checked the region."""
    row = Denominator.objects.filter(region_code=region_code, year=year).first()
    return None if row is None else DenominatorFigure(row.count, source_label(row.source, row.source_note))


class CoverageWarning(NamedTuple):
    code: str  # no_denominator, zero_denominator, below_protected
    message: str


def coverage_warning(protected: int, denominator) -> CoverageWarning | None:
    """What is wrong with dividing `protected` by `denominator` (an int, a DenominatorFigure or None), named for the
    page; None when coverage may be shown as it is (with its denominator named)."""
    count = denominator.count if isinstance(denominator, DenominatorFigure) else denominator
    if count is None:
        return CoverageWarning("no_denominator", _(
            "Jumlah penduduk bekerja wilayah ini untuk tahun ini belum dicatat: cakupan tidak dihitung."))
    if count == 0:
        return CoverageWarning("zero_denominator", _(
            "Jumlah penduduk bekerja tercatat 0: cakupan tidak dapat dihitung. Periksa dan perbaiki angkanya."))
    if count < protected:
        return CoverageWarning("below_protected", _(
            "Jumlah penduduk bekerja (%(d)s) lebih kecil dari jumlah peserta terlindungi (%(p)s): cakupan akan di "
            "atas 100%%. Perbarui jumlah penduduk bekerja.") % {"d": thousands(count), "p": thousands(protected)})
    return None


def coverage_percent(protected: int, denominator) -> float | None:
    """Coverage in percent, one decimal; None whenever `coverage_warning` names a problem (no denominator, zero, or
    one below the protected count): a page shows that warning in its place, never a figure above 100 %."""
    count = denominator.count if isinstance(denominator, DenominatorFigure) else denominator
    if coverage_warning(protected, count) is not None:
        return None
    return round(100 * protected / count, 1)


def denominator_as_json(d: Denominator, names: dict[str, str] | None = None) -> dict:
    return {"id": d.pk, "region": region_code_text(d.region_code),
            "region_name": (names or {}).get(d.region_code, "") or ("Indonesia" if d.region_code == NATION else ""),
            "year": d.year, "count": d.count, "source": d.source, "source_label": source_label(d.source),
            "source_note": d.source_note, "set_by": d.set_by.username if d.set_by_id else "",
            "set_at": d.set_at.isoformat()}


def import_error(exc: FileProblem) -> ServiceError:
    """A file that cannot be read, as the API's and CLI's refusal."""
    return ServiceError(code=ErrorCode.INVALID, message=str(exc), fields={"file": [str(exc)]})

