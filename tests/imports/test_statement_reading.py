"""Reading payment lists and bank statements (imports/statements.py): what a line says, and the clear message
for each kind of bad file or line. Pure reading: nothing is matched or written here."""

import io
from datetime import timedelta

import pytest

from jamsosdesa.core import clock
from jamsosdesa.core.sheets import FileProblem
from jamsosdesa.imports.statements import (
    ColumnsMissing,
    parse_amount,
    read_mt940,
    read_payment_table,
    read_statement,
)
from tests.imports.conftest import csv_bytes, xlsx


def day(back: int = 1):
    return clock.today() - timedelta(days=back)


def dmy(back: int = 1) -> str:
    return f"{day(back):%d/%m/%Y}"


@pytest.mark.parametrize("written", [33600, 33600.0, "33600", "33.600", "Rp33.600", "Rp 33.600,00", "33600,00",
                                     "IDR 33.600", "33600.00"])
def test_amounts_as_people_write_them_read_as_whole_rupiah(written):
    assert parse_amount(written) == 33600


@pytest.mark.parametrize("written,words", [("33.600,50", "pecahan"), (33600.5, "pecahan"), ("33,600", "tidak jelas"),
                                           ("0", "lebih dari 0"), ("-16800", "lebih dari 0"), ("tiga puluh", "dibaca"),
                                           ("", "kosong")])
def test_a_fraction_or_unreadable_amount_is_refused_in_words(written, words):
    with pytest.raises(ValueError, match=words):
        parse_amount(written)


def test_a_csv_list_reads_each_line_with_its_row_and_both_date_forms():
    source = csv_bytes("nik;jumlah;tanggal;referensi;keterangan\n"
                       f"3311110505900003;Rp33.600;{dmy(2)};R-1;Sugeng\n"
                       f";16.800;{day(3).isoformat()};R-2;bayar INV/2026-12/S17-1\n")
    statement = read_payment_table(source)
    assert statement.problems == []
    first, second = statement.lines
    assert (first.row, first.amount, first.paid_on, first.reference, first.nik) == (2, 33600, day(2), "R-1",
                                                                                       "3311110505900003")
    assert (second.row, second.amount, second.paid_on, second.invoice) == (3, 16800, day(3), "INV/2026-12/S17-1")


def test_an_xlsx_list_with_a_saved_mapping_reads_its_own_headers():
    source = xlsx([["No Peserta", "Nominal Setor", "Tgl Transaksi", "No Ref"],
                   ["3311110505900003", 33600, day(1), "X9"]])
    mapping = {"nik": "No Peserta", "amount": "Nominal Setor", "date": "Tgl Transaksi", "reference": "No Ref"}
    statement = read_payment_table(source, mapping=mapping)
    assert statement.kind == "xlsx"
    assert [(line.nik, line.amount, line.paid_on, line.reference) for line in statement.lines] == [
        ("3311110505900003", 33600, day(1), "X9")]


def test_wrong_columns_name_what_is_missing():
    with pytest.raises(ColumnsMissing, match="Kolom wajib tidak ada: jumlah, tanggal bayar"):
        read_payment_table(csv_bytes("nik;nama\n3311110505900003;Sugeng\n"))


def test_a_mapping_naming_a_column_the_file_lacks_says_which():
    with pytest.raises(ColumnsMissing, match="Nominal Setor"):
        read_payment_table(csv_bytes("nik;jumlah;tanggal\n3311110505900003;1;01/01/2026\n"),
                           mapping={"nik": "nik", "amount": "Nominal Setor", "date": "tanggal"})


@pytest.mark.parametrize("source,words", [
    (io.BytesIO(b""), "kosong"),
    (io.BytesIO(b"PK\x03\x04garbage-not-a-zip" + bytes(50)), "tidak dapat dibuka"),
    (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)), "bukan spreadsheet"),
    (csv_bytes("nik;jumlah;tanggal\n"), "tidak berisi baris data"),
])
def test_a_broken_file_gets_a_clear_message(source, words):
    with pytest.raises(FileProblem, match=words):
        read_statement(source)


def test_a_bad_line_names_its_row_and_column_and_the_others_still_read():
    source = csv_bytes("nik;jumlah;tanggal;referensi\n"
                       f"3311110505900003;33.600,50;{dmy()};A\n"
                       f"3311110505900003;33600;31/02/2026;B\n"
                       f"12345;33600;{dmy()};C\n"
                       f"3311110505900003;33600;{(clock.today() + timedelta(days=3)):%d/%m/%Y};D\n"
                       f"3311110505900003;33600;{dmy()};E\n")
    statement = read_payment_table(source)
    assert [line.reference for line in statement.lines] == ["E"]
    messages = {p.row: p.message for p in statement.problems}
    assert "Baris 2" in messages[2] and "jumlah" in messages[2] and "pecahan" in messages[2]
    assert "Baris 3" in messages[3] and "tanggal" in messages[3]
    assert "NIK" in messages[4] and "16 angka" in messages[4]
    assert "masa depan" in messages[5]


def test_a_duplicate_line_in_one_file_is_reported_and_counted_once():
    source = csv_bytes("nik;jumlah;tanggal;referensi\n"
                       f"3311110505900003;33600;{dmy()};R-7\n"
                       f"3311110505900003;33600;{dmy()};R-7\n"
                       f"3311110505900003;99999;{dmy()};R-7\n")
    statement = read_payment_table(source)
    assert len(statement.lines) == 1
    duplicate, conflict = statement.problems
    assert duplicate.group == conflict.group == "duplicate"
    assert "sama dengan baris 2" in duplicate.message and "dihitung sekali" in duplicate.message
    assert "jumlah atau tanggal lain" in conflict.message


def test_lines_without_a_reference_get_one_that_is_stable_across_imports():
    text = "nik;jumlah;tanggal\n" + f"3311110505900003;33600;{dmy()}\n" * 2
    once, again = read_payment_table(csv_bytes(text)), read_payment_table(csv_bytes(text))
    assert len(once.lines) == 2  # two identical lines without a reference: two payments
    assert [line.reference for line in once.lines] == [line.reference for line in again.lines]
    assert len({line.reference for line in once.lines}) == 2


# --- MT940 ------------------------------------------------------------------------------------------------------

def yymmdd(back: int = 1) -> str:
    return f"{day(back):%y%m%d}"


def mt940(*lines: str, bom: bool = False, account: str = "1234567890") -> io.BytesIO:
    body = "\r\n".join([":20:STMT-JAMSOS", f":25:{account}", ":28C:00001/001", f":60F:C{yymmdd(5)}IDR0,00",
                        *lines, f":62F:C{yymmdd(1)}IDR0,00", "-"]) + "\r\n"
    return io.BytesIO(("\ufeff" if bom else "").encode() + body.encode("utf-8"))


def test_an_mt940_with_unusual_fields_reads_its_credit_lines():
    d = yymmdd(2)
    source = mt940(f":61:{d}{d[2:]}C33600,00NTRFBPJS-R123//BANK1",
                   ":86:SETORAN IURAN NIK 3311110505900003",
                   "SUGENG RIYADI KRAJAN",
                   ":NS:22PT BANK CONTOH",
                   ":99:tag tidak dikenal",
                   f":61:{d}C16800,NTRFNONREF//BANK2",
                   ":86:BAYAR INV/2026-12/S17-1",
                   f":61:{d}D5000,00NMSCNONREF",
                   ":86:BIAYA ADMINISTRASI", bom=True)
    statement = read_statement(source)
    assert statement.kind == "mt940"
    person, invoice = statement.lines
    assert (person.amount, person.paid_on, person.reference, person.nik) == (33600, day(2), "BPJS-R123",
                                                                              "3311110505900003")
    assert "SUGENG" in person.text
    assert (invoice.amount, invoice.reference, invoice.invoice) == (16800, "BANK2", "INV/2026-12/S17-1")
    (debit,) = statement.problems
    assert debit.group == "debit" and "dilewati" in debit.message


def test_a_thousands_dot_in_an_mt940_amount_refuses_that_line_naming_it():
    """The library reads 1.000,00 as Rp1: the line is refused instead, with its line number."""
    source = mt940(f":61:{yymmdd()}C1.000,00NTRFREF-A", ":86:NIK 3311110505900003",
                   f":61:{yymmdd()}C1000,00NTRFREF-B", ":86:NIK 3311110505900003")
    statement = read_mt940(source)
    assert [line.reference for line in statement.lines] == ["REF-B"]
    (problem,) = statement.problems
    assert problem.group == "invalid" and "Baris 5" in problem.message and "'1.000,00'" in problem.message


def test_a_fraction_of_a_rupiah_in_an_mt940_line_is_refused():
    statement = read_mt940(mt940(f":61:{yymmdd()}C33600,50NTRFREF-A", ":86:x"))
    assert statement.lines == [] and "pecahan" in statement.problems[0].message


@pytest.mark.parametrize("text", [b"hello, this is not a bank statement\n", b"nik;jumlah\n1;2\n"])
def test_a_file_that_is_not_mt940_is_refused_not_read_as_empty(text):
    with pytest.raises(FileProblem, match="bukan rekening koran MT940"):
        read_mt940(io.BytesIO(text))


def test_nonref_lines_get_a_hash_reference_stable_across_imports_and_distinct_within_one_file():
    lines = [f":61:{yymmdd()}C33600,NTRFNONREF", ":86:NIK 3311110505900003"] * 2
    once, again = read_mt940(mt940(*lines)), read_mt940(mt940(*lines))
    assert len(once.lines) == 2 and once.problems == []
    assert [line.reference for line in once.lines] == [line.reference for line in again.lines]
    assert once.lines[0].reference != once.lines[1].reference
    other_account = read_mt940(mt940(*lines, account="999"))
    assert other_account.lines[0].reference != once.lines[0].reference


def test_two_niks_or_a_nik_and_an_invoice_are_all_kept_for_matching():
    statement = read_mt940(mt940(f":61:{yymmdd()}C33600,NTRFR1", ":86:3311110505900003 DAN 3311110505900011",
                                 f":61:{yymmdd()}C33600,NTRFR2", ":86:3311110505900003 INV/2026-12/S1-1"))
    two, both = statement.lines
    assert two.niks == ["3311110505900003", "3311110505900011"] and two.nik == ""
    assert both.niks == ["3311110505900003"] and both.invoices == ["INV/2026-12/S1-1"]


def test_a_file_whose_titles_are_all_unknown_still_offers_them_for_a_mapping():
    with pytest.raises(ColumnsMissing) as missing:
        read_payment_table(csv_bytes("No Peserta;Setor;Waktu\n3311110505900003;16800;01/12/2026\n"))
    assert missing.value.header == ["No Peserta", "Setor", "Waktu"]
