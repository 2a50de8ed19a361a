"""The row parser's quick path must give exactly what the full parser (the participant field cleaner) gives, for
every kind of cell: never accept what the cleaner refuses or warns about, never refuse anything itself."""

import random
from datetime import date, datetime

from jamsosdesa.imports.columns import layout_for
from jamsosdesa.imports.rows import RowParser

DESA = "33.11.11.2004"
OTHER_DESA = "33.11.11.2001"
HEADER = ["nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "kode_desa", "alamat", "rt", "rw",
          "no_hp", "kode_pekerjaan", "segmen", "peran", "penghasilan", "no_kk", "kpj"]
# For each column, values a village file may hold: clean ones, messy but valid ones, and wrong ones.
CHOICES = {
    "nik": ["3311110505900001", "3311114505900002", " 3311110505900003", "3311.1105.0590.0004", "331111050590000",
            "3311113102900001", "3311110505900000", "0", "", None, 3311110505900001.0, "'3311110505900005",
            "3311116505900001", "3311110513900001", "3311110506900001", "3311114505850001"],
    "nama": ["Sutrisno", "  siti   AMINAH ", "", None, "X" * 121, "Ma’ruf", 12345.0, "Sugeng\x00"],
    "tempat_lahir": ["Sukoharjo", " Klaten  Utara ", "", None, "K" * 80, "K" * 60],
    "tanggal_lahir": ["05-05-1990", "31-02-1990", "1990-05-05", "5/5/1990", "05.05.1990", "05-05-2990",
                      "01-01-1850", "", None, datetime(1990, 5, 5), date(1990, 5, 5), 32998.0, "05-05-90",
                      "5-05-1990 ", "ab-cd-efgh"],
    "jenis_kelamin": ["L", "p", "Perempuan", "1", "", None, "X", 2.0],
    "kode_desa": [DESA, OTHER_DESA, "", None, "99.99.99.9999", f" {DESA} "],
    "alamat": ["Dusun Krajan", "  Jl.  Mawar  3 ", "", None, "A" * 250, "Jl.\x00Mawar"],
    "rt": ["003", "3", "0", "", "-", "1234", "a", None, 3.0, "¹", "٣"],
    "rw": ["001", "12", "", None],
    "no_hp": ["0812 3456 7890", "", None, 81234567890.0, "0812 3456 7890 1234 5678 9"],
    "kode_pekerjaan": ["88", "1", "85", "86", "", None, "999", "Petani", 88.0],
    "segmen": ["", "BPU", "pu", "XYZ", None],
    "peran": ["", "vulnerable_worker", "Perangkat Desa", "??", None],
    "penghasilan": ["1500000", "", "Rp 1.500.000", "-5", None, 1500000.0, "5000000000000", "1000000000000",
                    "12345678901234567890", "١٢٣"],
    "no_kk": ["", "3311110101900001", "123", None],
    "kpj": ["", "12345678901", "1234", None],
}


def _parser(header):
    layout = layout_for(header, fmt="auto", mapping=None)
    return RowParser(layout.positions, default_desa=DESA, known_desa={DESA, OTHER_DESA},
                     occupations={1: "Belum/Tidak Bekerja", 85: "Perangkat Desa", 86: "Kepala Desa", 88: "Petani"},
                     today=date(2026, 11, 21))


def _clean_row(header):
    return [CHOICES[name][0] for name in header]


def test_quick_path_takes_clean_rows_and_gives_what_the_full_parser_gives():
    for header in (HEADER, HEADER[:11], ["nama", "nik", "tanggal_lahir", "alamat"]):
        parser = _parser(header)
        row = _clean_row(header)
        assert parser._quick(row) is not None, header
        assert parser.parse(row) == parser._full(row)


def test_quick_path_agrees_with_the_full_parser_on_messy_rows():
    rnd = random.Random(2026)
    parser = _parser(HEADER)
    quick_rows = 0
    for _ in range(5000):
        row = _clean_row(HEADER)
        for index in rnd.sample(range(len(HEADER)), rnd.choice((1, 1, 2, 3))):
            row[index] = rnd.choice(CHOICES[HEADER[index]])
        if rnd.random() < 0.05:
            row = row[: rnd.randrange(len(row))]  # a short row, as CSV lines sometimes are
        quick_rows += parser._quick(row) is not None
        assert parser.parse(row) == parser._full(row), row
    assert quick_rows > 1000  # the comparison covered many rows the quick path accepted


def test_what_the_import_took_and_the_form_refused_goes_to_the_cleaner_and_is_refused():
    parser = _parser(HEADER)
    for column, value, code in (("penghasilan", "5000000000000", "income_too_large"),
                                ("penghasilan", "12345678901234567890", "income_too_large"),
                                ("tempat_lahir", "K" * 80, "too_long"), ("rt", "¹", "rt_rw_invalid"),
                                ("no_kk", "123", "kk_length"), ("kpj", "1234", "kpj_invalid")):
        row = _clean_row(HEADER)
        row[HEADER.index(column)] = value
        assert parser._quick(row) is None, column
        clean, errors, warnings = parser.parse(row)
        assert [e.code for e in errors] == [code], column


def test_a_nik_that_disagrees_with_the_row_is_a_warning_with_the_forms_words():
    parser = _parser(HEADER)
    row = _clean_row(HEADER)  # 3311110505900001, born 05-05-1990, L
    row[HEADER.index("tanggal_lahir")] = "05-05-1985"
    clean, errors, warnings = parser.parse(row)
    assert errors == [] and [w.code for w in warnings] == ["nik_birth_date_mismatch"]
    assert warnings[0].message == "Tanggal lahir 05-05-1985 tidak sesuai dengan NIK (05-05-1990)."
    row = _clean_row(HEADER)
    row[HEADER.index("jenis_kelamin")] = "P"
    assert [w.code for w in parser.parse(row)[2]] == ["nik_sex_mismatch"]


def test_the_quick_nik_test_never_accepts_a_nik_the_full_check_refuses():
    from jamsosdesa.imports.rows import quick_nik_ok
    from jamsosdesa.participants.nik import check_nik

    today = date(2026, 11, 21)
    accepted = 0
    for day in range(0, 73):
        for month in range(0, 14):
            for yy in ("00", "24", "26", "27", "90"):
                for region, serial in (("331111", "0001"), ("001111", "0001"), ("331111", "0000")):
                    nik = f"{region}{day:02d}{month:02d}{yy}{serial}"
                    if quick_nik_ok(nik):
                        accepted += 1
                        assert check_nik(nik, region_status=lambda prefix: "current", today=today).valid, nik
    assert accepted > 3000  # and it does accept the ordinary ones (otherwise every row takes the slow path)
    assert not quick_nik_ok("٣٣١١١١٠٥٠٥٩٠٠٠٠١")  # digits, but not ASCII ones
