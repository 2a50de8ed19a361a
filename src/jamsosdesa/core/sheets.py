"""Open a spreadsheet or CSV file as a header and a stream of rows, whatever its type, for any package that
reads tables from its users (the participant import, a scheme's list of NIKs, later bank statements).

Every problem with the file itself (not a spreadsheet, empty, no header, no suitable sheet) raises
`FileProblem` with a message for the operator; problems with single rows are the caller's validator's job.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from .cells import csv_unsafe

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CSV_DELIMITERS = ",;\t"
HEADER_SCAN_ROWS = 20


class FileProblem(Exception):
    """The file cannot be read as the table the caller wants. `no_header`: it was read, but no row looked like
    the column titles the caller wanted (the caller may say what it was looking for)."""

    def __init__(self, message: str, *, no_header: bool = False):
        super().__init__(message)
        self.no_header = no_header


@dataclass
class Table:
    kind: str  # xlsx / xls / csv
    header: list[str]
    rows: Iterator[list]  # cell values after the header row; first data row is header_row + 1
    header_row: int  # 1-based row number of the header in the file
    sheet: str = ""
    notes: list[str] = field(default_factory=list)  # things worth telling the user (merged cells, encoding)
    text: io.TextIOWrapper | None = None

    def release(self) -> None:
        """Let go of the file without closing it, so the caller can read it again."""
        if self.text is not None:
            self.text.detach()
            self.text = None


def normalize_header(value: object) -> str:
    text = "" if value is None else str(value)
    return "_".join(text.strip().lower().replace("-", " ").replace(".", " ").split())


def sniff_kind(head: bytes) -> str:
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(XLS_MAGIC):
        return "xls"
    if b"\x00" in head[:4096]:
        raise FileProblem(_("Berkas ini bukan spreadsheet (.xlsx, .xls) atau CSV."))
    return "csv"


def _decode(head: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            head.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


CSV_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # tried in this order; latin-1 accepts every byte


def _csv_table(stream: BinaryIO, looks_like_header, encoding: str | None = None) -> Table:
    head = stream.read(256 * 1024)
    stream.seek(0)
    if not head.strip():
        raise FileProblem(_("Berkas kosong."))
    encoding = encoding or _decode(head[: head.rfind(b"\n") + 1] or head)
    # Strict decoding: a byte that does not fit further down raises UnicodeDecodeError, and the
    # importer reads the file again with the next encoding instead of corrupting names.
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    first_line = head.decode(encoding, errors="replace").splitlines()[0]
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(text, delimiter=delimiter)
    header_row = 0
    for header in _csv_rows(reader):
        header_row += 1
        if any(cell.strip() for cell in header):
            break
    else:
        raise FileProblem(_("Berkas kosong."))
    if not looks_like_header(header):
        text.detach()
        raise FileProblem(_("Baris pertama bukan judul kolom (mis. nik, nama, tanggal_lahir). "
                            "Unduh templat untuk contoh."), no_header=True)
    notes = [_("Dibaca sebagai CSV (pemisah '%(d)s', %(e)s).") % {"d": delimiter, "e": encoding}]
    return Table(kind="csv", header=header, rows=_csv_rows(reader, unescape=True), header_row=header_row,
                 notes=notes, text=text)


def _csv_rows(reader, *, unescape: bool = False) -> Iterator[list]:
    """The reader's rows; its errors (a cell over the csv module's limit, a broken quote) become a FileProblem
    naming the line, not Python's English words. With `unescape`, a cell `csv_safe` wrote ('=x) is read back as it
    was (=x), so an export of ours imports unchanged."""
    try:
        if not unescape:
            yield from reader
            return
        for row in reader:
            for i, cell in enumerate(row):
                if cell[:1] == "'":
                    row[i] = csv_unsafe(cell)
            yield row
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise FileProblem(_("Baris %(n)s: satu sel berisi lebih dari %(k)s KB teks, terlalu panjang untuk data "
                                "peserta. Periksa baris itu (mungkin ada tanda kutip yang tidak ditutup).")
                              % {"n": reader.line_num, "k": csv.field_size_limit() // 1024}) from None
        raise FileProblem(_("Baris %(n)s tidak dapat dibaca sebagai CSV. Simpan ulang berkasnya sebagai CSV atau "
                            "Excel.") % {"n": reader.line_num}) from None


def _check_unpacked_size(stream: BinaryIO) -> None:
    """Refuse an .xlsx (a zip) whose parts unpack to more than settings.SHEET_MAX_UNPACKED_MB, before anything
    is unpacked: a 3.4 MB file can unpack to 890 MB and hold the import worker (and its memory) for hours."""
    limit_mb = settings.SHEET_MAX_UNPACKED_MB
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise FileProblem(_("Berkas Excel tidak dapat dibuka (rusak atau berpassword): %(e)s") % {"e": exc}) from None
    finally:
        stream.seek(0)
    if unpacked > limit_mb * 1024 * 1024:
        raise FileProblem(_("Berkas Excel ini terurai menjadi %(size)s MB, lebih dari batas %(limit)s MB "
                            "(pengaturan JAMSOSDESA_SHEET_MAX_UNPACKED_MB). Simpan sebagai CSV atau bagi menjadi "
                            "beberapa berkas.") % {"size": f"{unpacked / (1024 * 1024):,.0f}".replace(",", "."),
                                                   "limit": limit_mb})


def _excel_table(stream: BinaryIO, kind: str, looks_like_header, preferred_sheets: tuple[str, ...]) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    if kind == "xlsx":
        _check_unpacked_size(stream)
    try:
        workbook = CalamineWorkbook.from_filelike(stream)
    except (CalamineError, ValueError, OSError) as exc:
        raise FileProblem(_("Berkas Excel tidak dapat dibuka (rusak atau berpassword): %(e)s") % {"e": exc}) from None
    names = list(workbook.sheet_names)
    if not names:
        raise FileProblem(_("Berkas Excel tidak berisi lembar kerja."))
    ordered = sorted(names, key=lambda n: (n.strip().lower() not in preferred_sheets, names.index(n)))
    broken = None  # a sheet that could not be read (e.g. a part larger than the zip declares): said if no other fits
    for name in ordered:
        try:
            sheet = workbook.get_sheet_by_name(name)
        except CalamineError as exc:
            broken = broken or exc
            continue
        rows = sheet.iter_rows()
        header_row = 0
        for row in rows:
            header_row += 1
            if any(cell not in ("", None) for cell in row):
                if looks_like_header(row):
                    notes = []
                    merged = getattr(sheet, "merged_cell_ranges", None)
                    if merged:
                        notes.append(_("Lembar '%(s)s' berisi sel gabungan (merge); nilai hanya dibaca dari sel "
                                       "pertama setiap gabungan.") % {"s": name})
                    header = ["" if c is None else str(c) for c in row]
                    return Table(kind=kind, header=header, rows=(list(r) for r in rows),
                                 header_row=header_row + (sheet.start[0] if sheet.start else 0), sheet=name,
                                 notes=notes)
                break
            if header_row > HEADER_SCAN_ROWS:
                break
    if broken is not None:
        raise FileProblem(_("Berkas Excel tidak dapat dibuka (rusak atau berpassword): %(e)s") % {"e": broken})
    raise FileProblem(_("Tidak ada lembar dengan judul kolom yang dikenali (mis. nik, nama). Lembar yang ada: "
                        "%(s)s.") % {"s": ", ".join(names)}, no_header=True)


def open_table(source: str | Path | BinaryIO, *, looks_like_header, preferred_sheets: tuple[str, ...] = (),
               encoding: str | None = None) -> Table:
    """`looks_like_header(cells)` tells whether a row is a header the caller understands; the sheets named in
    `preferred_sheets` (lower case) are tried first, then the others in the workbook's order."""
    stream = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    head = stream.read(8192)
    stream.seek(0)
    if not head:
        raise FileProblem(_("Berkas kosong."))
    kind = sniff_kind(head)
    if kind == "csv":
        return _csv_table(stream, looks_like_header, encoding)
    return _excel_table(stream, kind, looks_like_header, preferred_sheets)


def _is_end_marker(cells: list) -> bool:
    """OpenSID ends its data at a row whose second cell is ###."""
    return len(cells) > 1 and isinstance(cells[1], str) and cells[1].strip() == "###"


def _blank(cells: list) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def data_rows(table: Table) -> Iterator[tuple[int, list]]:
    """(row number in the file, cells) for every data row: blank rows skipped, stop at OpenSID's ###."""
    row_no = table.header_row
    for cells in table.rows:
        row_no += 1
        if _is_end_marker(cells):
            return
        if not _blank(cells):
            yield row_no, cells
