"""The import report puts all of a row's problems on one line: each message ends with a full stop, and the
line must not read '(gunakan DD-MM-YYYY).; pekerjaan: …' with a stop before the semicolon."""

from jamsosdesa.imports.rows import describe
from jamsosdesa.participants.fields import FieldIssue


def test_a_rows_problems_are_joined_without_a_stop_before_the_semicolon():
    issues = [FieldIssue("birth_date", "date", "Tanggal tidak terbaca (gunakan DD-MM-YYYY)."),
              FieldIssue("occupation", "unknown", "Pekerjaan tidak dikenal."),
              FieldIssue("nik", "nik_length", "NIK harus 16 digit, yang diisi 3 digit.")]
    line = describe(issues)
    assert ".;" not in line, line
    assert "(gunakan DD-MM-YYYY); " in line, line
    assert "Pekerjaan tidak dikenal; " in line, line
    assert line.endswith("yang diisi 3 digit."), line


def test_one_problem_keeps_its_full_stop():
    assert describe([FieldIssue("nik", "nik_length", "NIK harus 16 digit.")]).endswith("16 digit.")
