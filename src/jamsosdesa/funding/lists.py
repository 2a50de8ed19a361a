"""Read a list of NIKs (beneficiaries 'by name by address', a DTKS extract) from a spreadsheet or CSV."""

from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from jamsosdesa.core.sheets import FileProblem, data_rows, normalize_header, open_table
from jamsosdesa.core.text import has_bad_chars, is_ascii_digits
from jamsosdesa.participants.fields import as_text


def _no_nik_column() -> str:
    return _("Tidak ada kolom berjudul NIK di berkas: baris judul harus memuat kolom 'NIK' (satu NIK per baris).")


NIK_HEADERS = {"nik", "no_nik", "nomor_nik", "nik_peserta", "nomor_induk_kependudukan"}


def _has_nik_column(cells) -> bool:
    return any(normalize_header(c) in NIK_HEADERS for c in cells if isinstance(c, str))


def read_niks(source: str | Path | BinaryIO) -> list[str]:
    """The NIK column's values in file order (blank cells skipped; an Excel number is written back as
    digits). FileProblem when the file has no NIK column."""
    try:
        table = open_table(source, looks_like_header=_has_nik_column, preferred_sheets=("peserta", "data", "dtks"))
    except FileProblem as exc:
        if exc.no_header:
            raise FileProblem(_no_nik_column()) from None
        raise
    try:
        names = [normalize_header(h) for h in table.header]
        column = next((i for i, n in enumerate(names) if n in NIK_HEADERS), None)
        if column is None:
            raise FileProblem(_no_nik_column())
        return _nik_cells(table, column)
    finally:
        table.release()


def _nik_cells(table, column: int) -> list[str]:
    niks = []
    for _row_no, row in data_rows(table):  # the rows an import would read: blank ones and OpenSID's ### end skipped
        if column >= len(row):
            continue
        text = as_text(row[column]).lstrip("'")  # an Excel number back as its digits, Excel's text mark gone
        if text:
            niks.append(text)
    return niks


def parse_quotas(lines) -> dict[str, int]:
    """Desa quotas written one per line as `33.11.11.2004 = 100` (or with a space, ';' or tab between): the
    web form's text box and the CLI's --quota both read them here. ValueError names the line."""
    quotas: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        for sep in ("=", ";", "\t"):
            text = text.replace(sep, " ")
        parts = text.split()
        if len(parts) != 2 or not is_ascii_digits(parts[1]) or len(parts[1]) > 9 or has_bad_chars(parts[0]):
            raise ValueError(_("Baris %(n)d: tulis kuota sebagai KODE_DESA=JUMLAH, mis. 33.11.11.2004=100.")
                             % {"n": number})
        quotas[parts[0]] = int(parts[1])
    return quotas
