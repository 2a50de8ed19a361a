import io
from datetime import date

import pytest
import xlsxwriter

from jamsosdesa.imports.engine import ImportOptions, participants_import
from tests.conftest import DESA_A

TEMPLATE_HEADER = ["nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "alamat", "rt", "rw",
                   "kode_pekerjaan", "penghasilan"]


def xlsx(rows: list[list], *, sheets: dict[str, list[list]] | None = None, text_columns=(0,)) -> io.BytesIO:
    """An .xlsx in memory: `rows` on the first sheet (or several named sheets)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = book.add_format({"num_format": "dd-mm-yyyy"})
    for name, sheet_rows in (sheets or {"Peserta": rows}).items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(sheet_rows):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write_datetime(r, c, value, date_format)
                elif value is None:
                    continue
                elif c in text_columns or isinstance(value, str):
                    sheet.write_string(r, c, str(value))
                else:
                    sheet.write(r, c, value)
    book.close()
    buffer.seek(0)
    return buffer


def csv_bytes(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


@pytest.fixture
def run():
    """run(actor, source, **options) -> ImportOutcome; writes unless dry_run=True."""

    def _run(actor, source, **kw):
        kw.setdefault("desa", DESA_A)
        kw.setdefault("dry_run", False)
        return participants_import(actor=actor, source=source, options=ImportOptions(**kw))

    return _run


def xls(rows: list[list], *, sheet: str = "Peserta") -> io.BytesIO:
    """A legacy Excel 97-2003 .xls in memory, as older village laptops still save them."""
    import xlwt

    buffer = io.BytesIO()
    book = xlwt.Workbook()
    page = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="DD-MM-YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, date):
                page.write(r, c, value, date_style)
            elif value is not None:
                page.write(r, c, value)
    book.save(buffer)
    buffer.seek(0)
    return buffer
