"""Reading a BPJS list of participants (issue 12 item 7): NIK, KPJ, status and paid-through month per row, from a
CSV/XLSX with BPJS's own headers ("NIK", "KPJ", "STATUS KEPESERTAAN", "BULAN TERAKHIR BAYAR", "IURAN TERAKHIR", …)
or a saved column mapping of kind `bpjs_list`. Pure: nothing here touches the database; `billing.crosscheck`
compares what is read, and `imports.bpjs_import` runs both as a job or for the command line.

Every row comes out as a `BpjsRow`, or as a `LineProblem` naming its row and column; a second row with a NIK
already read is reported, never compared twice. A file that cannot be read raises `FileProblem` (`ColumnsMissing`
when its columns are not known: the page then offers a column mapping).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from jamsosdesa.billing.crosscheck import BPJS_FIELD_LABELS, BPJS_FIELDS, BpjsRowIn
from jamsosdesa.core.sheets import FileProblem, data_rows, normalize_header, open_table

from .statements import ColumnsMissing, LineProblem, _first_row, _nik, _text, column_positions, shown_columns

BPJS_COLUMNS = {
    "nik": "nik", "no_nik": "nik", "nomor_nik": "nik", "no_identitas": "nik", "nomor_identitas": "nik",
    "kpj": "kpj", "no_kpj": "kpj", "nomor_kpj": "kpj", "no_peserta": "kpj", "nomor_peserta": "kpj",
    "status": "status", "status_kepesertaan": "status", "status_peserta": "status", "status_aktif": "status",
    "bulan_terakhir_bayar": "paid_through", "iuran_terakhir": "paid_through", "bulan_iuran_terakhir": "paid_through",
    "blth_terakhir": "paid_through", "lunas_sampai": "paid_through", "dibayar_sampai": "paid_through",
    "bayar_terakhir": "paid_through", "paid_through": "paid_through", "iuran_sampai": "paid_through",
    "nama": "name", "nama_peserta": "name", "nama_tk": "name",
}
BPJS_REQUIRED = ("nik", "status")
# What BPJS lists write as a status, normalised (keys in normalize_header form).
ACTIVE_WORDS = {"aktif", "active", "a", "aktif_bayar", "y", "ya"}
NON_ACTIVE_WORDS = {"non_aktif", "nonaktif", "na", "tidak_aktif", "tdk_aktif", "lapse", "lapsed", "inactive",
                    "non_active", "tidak", "n", "berhenti", "putus", "non"}
MONTH_NAMES = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "peb": 2, "pebruari": 2,
    "mar": 3, "maret": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "agustus": 8, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10, "october": 10, "nov": 11,
    "nopember": 11, "november": 11, "des": 12, "desember": 12, "dec": 12, "december": 12,
}
_YM = re.compile(r"^(\d{4})[-/.](\d{1,2})$")  # 2026-10
_MY = re.compile(r"^(\d{1,2})[-/.](\d{4})$")  # 10/2026
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")  # 31/10/2026
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")  # 2026-10-31
_NAMED = re.compile(r"^([a-z]+)[\s\-/.]*(\d{4})$")  # Okt 2026, Oktober-2026
_COMPACT = re.compile(r"^(\d{4})(\d{2})$")  # 202610


def normalise_status(value) -> str:
    """active | non_active | other, from what a BPJS list writes (AKTIF, NON AKTIF, NA, TIDAK AKTIF, LAPSE, …)."""
    word = normalize_header(_text(value))
    if word in ACTIVE_WORDS:
        return "active"
    if word in NON_ACTIVE_WORDS:
        return "non_active"
    return "other"


def parse_paid_through(value) -> date | None:
    """The month a cell names: 2026-10, 10/2026, Okt 2026, 31/10/2026, 202610, or a date cell; None when empty.
    Raises ValueError with the operator's message otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    text = _text(value).strip().lower()
    if not text or text in ("-", "0"):
        return None
    year = month = None
    for pattern, order in ((_YM, "ym"), (_MY, "my"), (_DMY, "dmy"), (_YMD, "ymd"), (_COMPACT, "ym")):
        found = pattern.match(text)
        if found:
            parts = found.groups()
            if order == "ym" or order == "ymd":
                year, month = int(parts[0]), int(parts[1])
            elif order == "my":
                month, year = int(parts[0]), int(parts[1])
            else:
                day, month, year = int(parts[0]), int(parts[1]), int(parts[2])
                if not 1 <= day <= 31:
                    month = 0
            break
    else:
        found = _NAMED.match(text)
        if found and found.group(1) in MONTH_NAMES:
            month, year = MONTH_NAMES[found.group(1)], int(found.group(2))
    if year is None or not (1 <= (month or 0) <= 12) or not 1900 <= year <= 2199:
        raise ValueError(_("bulan '%(v)s' tidak dapat dibaca (tulis mis. 2026-10, 10/2026 atau Okt 2026)")
                         % {"v": _text(value)[:40]})
    return date(year, month, 1)


@dataclass
class BpjsFile:
    kind: str  # csv | xlsx | xls
    header: list[str] = field(default_factory=list)
    rows: list[BpjsRowIn] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_total: int = 0


def _looks_like_bpjs_header(mapping: dict[str, str] | None):
    wanted = {normalize_header(c) for c in (mapping or {}).values() if c} or set(BPJS_COLUMNS)

    def looks(cells) -> bool:
        names = {normalize_header(c) for c in cells if isinstance(c, str)}
        return len(names & wanted) >= min(2, len(wanted))

    return looks


def bpjs_layout(header: list[str], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """field -> column index, from a saved mapping {field: header} or from BPJS's own headers. Raises
    ColumnsMissing naming the columns that are not there."""
    positions = column_positions(header, mapping, BPJS_FIELDS, BPJS_COLUMNS)
    missing = [str(BPJS_FIELD_LABELS[f]) for f in BPJS_REQUIRED if f not in positions]
    if missing:
        raise ColumnsMissing(_("Kolom wajib daftar BPJS tidak ada: %(c)s. Kolom yang ada: %(h)s.") % {
            "c": ", ".join(missing), "h": shown_columns(header)})
    return positions


def read_bpjs_list(source: str | Path | BinaryIO, *, mapping: dict[str, str] | None = None) -> BpjsFile:
    """A CSV/XLSX list from BPJS, one participant per row. Raises FileProblem (ColumnsMissing for columns)."""
    try:
        table = open_table(source, looks_like_header=_looks_like_bpjs_header(mapping),
                           preferred_sheets=("peserta", "data", "daftar"))
    except UnicodeDecodeError:
        raise FileProblem(_("Berkas ini bukan spreadsheet (.xlsx, .xls) atau CSV.")) from None
    except FileProblem as exc:
        if exc.no_header:
            raise ColumnsMissing(_("Tidak ada baris judul kolom daftar BPJS (mis. NIK, KPJ, STATUS KEPESERTAAN, "
                                   "BULAN TERAKHIR BAYAR). Pilih atau buat pemetaan kolom."),
                                 header=_first_row(source)) from None
        raise
    header = [str(h) for h in table.header]
    try:
        positions = bpjs_layout(header, mapping)
    except ColumnsMissing as exc:
        table.release()
        exc.header = header
        raise
    result = BpjsFile(kind=table.kind, header=header, notes=list(table.notes))
    seen: dict[str, int] = {}
    width = max(positions.values()) + 1
    try:
        for row_no, cells in data_rows(table):
            result.rows_total += 1
            if len(cells) < width:
                cells = list(cells) + [None] * (width - len(cells))
            _row(result, seen, positions, row_no, cells)
    except UnicodeDecodeError:
        raise FileProblem(_("Berkas CSV berisi karakter yang tidak dapat dibaca; simpan ulang sebagai UTF-8 atau "
                            "Excel.")) from None
    finally:
        table.release()
    if result.rows_total == 0:
        raise FileProblem(_("Berkas tidak berisi baris data di bawah judul kolom."))
    return result


def _row(result: BpjsFile, seen: dict[str, int], positions: dict[str, int], row_no: int, cells: list) -> None:
    def cell(fld):
        return cells[positions[fld]] if fld in positions else None

    cells_shown = [_text(c) for c in cells]
    errors = []
    nik = _nik(cell("nik"))
    if not nik:
        errors.append(_("kolom NIK kosong"))
    elif not (len(nik) == 16 and nik.isdigit()):
        errors.append(_("kolom NIK: '%(v)s' bukan 16 angka") % {"v": nik[:40]})
    raw_status = _text(cell("status"))
    if not raw_status:
        errors.append(_("kolom %(c)s kosong") % {"c": BPJS_FIELD_LABELS["status"]})
    paid_through = None
    try:
        paid_through = parse_paid_through(cell("paid_through"))
    except ValueError as exc:
        errors.append(_("kolom %(c)s: %(why)s") % {"c": BPJS_FIELD_LABELS["paid_through"], "why": exc})
    if errors:
        result.problems.append(LineProblem(row_no, "invalid", _("Baris %(row)s: %(why)s.") % {
            "row": row_no, "why": "; ".join(errors)}, cells_shown))
        return
    first = seen.get(nik)
    if first is not None:
        result.problems.append(LineProblem(row_no, "duplicate", _(
            "Baris %(row)s: NIK sama dengan baris %(first)s; hanya baris %(first)s yang dicocokkan.") % {
            "row": row_no, "first": first}, cells_shown))
        return
    seen[nik] = row_no
    result.rows.append(BpjsRowIn(row_no=row_no, nik=nik, kpj=_text(cell("kpj"))[:20],
                                 status=normalise_status(raw_status), status_raw=raw_status[:40],
                                 paid_through=paid_through))
