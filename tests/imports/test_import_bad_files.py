"""Broken and odd files: each gets a clear message, and nothing is half-written."""

import io

import pytest

from jamsosdesa.participants.models import Participant
from tests.imports.conftest import TEMPLATE_HEADER, csv_bytes, xlsx

pytestmark = pytest.mark.django_db

GOOD = ["3311110505900003", "Sugeng", "", "05-05-1990", "L", "", "", "", "", ""]


@pytest.mark.parametrize("source,expected", [
    (io.BytesIO(b""), "kosong"),
    (csv_bytes("\n\n  \n"), "kosong"),
    (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)), "bukan spreadsheet"),
    (io.BytesIO(b"PK\x03\x04garbage-not-a-zip" + bytes(50)), "tidak dapat dibuka"),
    (csv_bytes("3311110505900003,Sugeng,05-05-1990\n"), "judul kolom"),
    (csv_bytes("nik,alamat\n3311110505900003,x\n"), "Kolom wajib tidak ada: nama, tanggal lahir"),
    (csv_bytes("nik,nama,tanggal_lahir\n"), "tidak berisi baris data"),
])
def test_a_broken_file_gets_a_clear_message_and_writes_nothing(run, operator_a, source, expected):
    outcome = run(operator_a, source)
    assert expected in outcome.file_error and not outcome.applied
    assert Participant.objects.count() == 0


def test_unknown_columns_are_listed_by_name(run, operator_a):
    outcome = run(operator_a, csv_bytes("nik,nama,tanggal_lahir,warna_favorit,Hobi\n3311110505900003,A,05-05-1990,"
                                        "biru,x\n"))
    assert outcome.unknown_columns == ["warna_favorit", "Hobi"] and outcome.counts["new"] == 1


def test_the_data_sheet_is_found_when_it_is_not_the_first(run, operator_a):
    source = xlsx([], sheets={"Petunjuk": [["Isi lembar Peserta"]], "Data": [TEMPLATE_HEADER, GOOD]})
    assert run(operator_a, source).counts["new"] == 1


def test_a_workbook_without_a_data_sheet_names_its_sheets(run, operator_a):
    source = xlsx([], sheets={"Petunjuk": [["halo"]], "Lain": [["a", "b"], [1, 2]]})
    outcome = run(operator_a, source)
    assert "Petunjuk, Lain" in outcome.file_error


def test_semicolon_csv_in_windows_1252(run, operator_a):
    source = csv_bytes("nik;nama;tanggal_lahir;jenis_kelamin\n3311110505900003;José Ñoño;05-05-1990;L\n", "cp1252")
    outcome = run(operator_a, source)
    assert outcome.counts["new"] == 1 and Participant.objects.get().full_name == "José Ñoño"


def test_niks_with_spaces_or_dots_and_mixed_case_names_load_clean(run, operator_a):
    outcome = run(operator_a, csv_bytes("NIK,Nama,Tanggal Lahir\n3311.1105 0590.0003,  sUGeng   riyadi ,5-5-1990\n"))
    assert outcome.counts["new"] == 1
    p = Participant.objects.get()
    assert p.nik == "3311110505900003" and p.full_name == "sUGeng riyadi" and p.search_name == "SUGENG RIYADI"


def test_impossible_dates_and_bad_codes_name_row_and_field(run, operator_a):
    text = ("nik,nama,tanggal_lahir,jenis_kelamin,kode_pekerjaan,kpj\n"
            "3311110505900003,A,31-02-1990,L,9,\n"
            "3311110606900001,B,06-06-1990,X,9,\n"
            "3311110707900001,C,07-07-1990,L,999,\n"
            "3311110808900001,D,08-08-1990,L,9,123\n")
    outcome = run(operator_a, csv_bytes(text))
    messages = {s["row"]: s["message"] for s in outcome.samples["invalid"]}
    assert "tanggal lahir" in messages[2] and "31-02-1990" in messages[2]
    assert messages[3].startswith("jenis kelamin") and messages[4].startswith("pekerjaan")
    assert messages[5].startswith("KPJ") and outcome.counts["new"] == 0


def test_two_rows_with_the_same_nik_and_different_names_are_both_refused(run, operator_a):
    text = "nik,nama,tanggal_lahir\n3311110505900003,Sugeng,05-05-1990\n3311110505900003,Slamet,05-05-1990\n"
    outcome = run(operator_a, csv_bytes(text))
    assert outcome.counts["invalid"] == 2 and Participant.objects.count() == 0
    assert "baris 3" in outcome.samples["invalid"][0]["message"]


def test_formulas_are_read_as_their_values_and_merged_cells_are_mentioned(run, operator_a):
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Peserta")
    sheet.write_row(0, 0, ["nik", "nama", "tanggal_lahir", "penghasilan"])
    sheet.write_string(1, 0, "3311110505900003")
    sheet.write_string(1, 1, "Sugeng")
    sheet.write_string(1, 2, "05-05-1990")
    sheet.write_formula(1, 3, "=500000*2", None, 1000000)
    sheet.merge_range(3, 0, 3, 3, "Catatan: data desa Krajan")
    book.close()
    buffer.seek(0)
    outcome = run(operator_a, buffer)
    assert Participant.objects.get().declared_income == 1_000_000
    assert any("gabungan" in note for note in outcome.notes)
    assert outcome.counts["invalid"] == 1  # the merged note row is not a participant


def test_a_nik_stored_as_an_excel_number_ending_in_zero_is_refused(run, operator_a):
    source = xlsx([["nik", "nama", "tanggal_lahir"], [3311110505900010.0, "A", "05-05-1990"],
                   [3311110505900003.0, "B", "05-05-1990"]], text_columns=())
    outcome = run(operator_a, source)
    assert outcome.counts["new"] == 1 and "15 digit" in outcome.samples["invalid"][0]["message"]


def test_a_windows_1252_byte_far_down_the_file_is_not_corrupted(run, operator_a):
    lines = ["nik;nama;tanggal_lahir;jenis_kelamin"]
    for i in range(1, 9000):  # more than the first 256 KB are plain ASCII
        day = 1 + i % 28
        lines.append(f"331111{day:02d}0190{i:04d};Warga {i};{day:02d}-01-1990;L")
    lines.append("3311110101800001;Ma\u2019ruf Amin;01-01-1980;L")
    source = csv_bytes("\n".join(lines) + "\n", "cp1252")
    outcome = run(operator_a, source, desa="33.11.11.2004")
    assert Participant.objects.get(nik="3311110101800001").full_name == "Ma\u2019ruf Amin"
    assert outcome.counts["new"] == 9000
