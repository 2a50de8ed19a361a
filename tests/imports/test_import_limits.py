"""Issue 11, "Leaks and abuse" 1: one file must not hold the import worker for hours. A CSV whose rows all share
one NIK is handled in linear time, and an .xlsx that unpacks to far more than it weighs is refused before it
is read."""

import io
import time
import zipfile

import pytest
from django.test import override_settings

from jamsosdesa.participants.models import Participant
from tests.imports.conftest import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

NIK = "3311110505900003"


def one_nik_csv(rows: int, *, other_name_at: int | None = None) -> io.BytesIO:
    lines = ["nik,nama,tanggal_lahir,jenis_kelamin"]
    for n in range(rows):
        name = "Budi Lain" if n == other_name_at else "Sugeng Riyadi"
        lines.append(f"{NIK},{name},05-05-1990,L")
    return csv_bytes("\n".join(lines) + "\n")


def timed(run, *args, **kwargs):
    started = time.perf_counter()
    outcome = run(*args, **kwargs)
    return outcome, time.perf_counter() - started


def assert_linear(small: float, large: float) -> None:
    """Ten times the rows in at most ~25 times the time: linear work with room for a busy machine, where the old
    quadratic handling took about 100 times as long (the speed itself is bench/one_nik.py's, not a test's)."""
    assert large < 25 * max(small, 0.05), f"2,000 rows took {small:.2f} s, 20,000 rows {large:.2f} s"


def test_twenty_thousand_rows_of_one_nik_are_all_duplicates_of_the_first_and_quick(run, operator_a):
    # Before the fix every repeated row rebuilt the list of the NIK's other rows: 20,000 rows took 7 s, and
    # a million rows (33 MB, under the upload limit) about 4.6 hours.
    small, elapsed_small = timed(run, operator_a, one_nik_csv(2_000))
    assert small.counts["duplicate"] == 1_999
    Participant.objects.all().delete()
    outcome, elapsed = timed(run, operator_a, one_nik_csv(20_000))
    assert outcome.applied and outcome.counts["new"] == 1 and outcome.counts["duplicate"] == 19_999
    assert Participant.objects.filter(nik=NIK).count() == 1
    duplicates = [p for p in outcome.problems if p.group == "duplicate"]
    assert len(duplicates) == 19_999 and duplicates[0].row == 3 and duplicates[-1].row == 20_001
    assert {p.message for p in duplicates} == {"Sama dengan baris 2."}
    assert_linear(elapsed_small, elapsed)


def test_rows_of_one_nik_that_disagree_name_up_to_five_other_rows_each_and_stay_quick(run, operator_a):
    _small, elapsed_small = timed(run, operator_a, one_nik_csv(2_000, other_name_at=5), dry_run=True)
    outcome, elapsed = timed(run, operator_a, one_nik_csv(20_000, other_name_at=5), dry_run=True)
    assert outcome.counts["invalid"] == 20_000 and outcome.counts["new"] == 0
    by_row = {p.row: p.message for p in outcome.problems}
    assert "baris 3, 4, 5, 6, 7 " in by_row[2] and "baris 2, 3, 4, 5, 6 " in by_row[7]
    assert "baris 2, 3, 4, 5, 6 " in by_row[20_001]
    assert_linear(elapsed_small, elapsed)


def xlsx_unpacking_to(megabytes: int, rows: list[list[str]]) -> io.BytesIO:
    """A real .xlsx of `rows` with a padding part that unpacks to `megabytes` MB (a few MB on disk)."""
    buffer = xlsx(rows)
    padding = b"<row><c t=\"inlineStr\"><is><t>3311110505900003</t></is></c></row>" * 16384
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open("xl/worksheets/sheet9.xml", "w", force_zip64=True) as part:
        written = 0
        while written < megabytes * 1024 * 1024:
            part.write(padding)
            written += len(padding)
    buffer.seek(0)
    return buffer


def test_an_xlsx_that_unpacks_to_890_mb_is_refused_before_it_is_read(run, operator_a):
    bomb = xlsx_unpacking_to(890, [["nik", "nama", "tanggal_lahir"], [NIK, "Sugeng Riyadi", "05-05-1990"]])
    assert len(bomb.getvalue()) < 8 * 1024 * 1024
    outcome = run(operator_a, bomb)  # refused from the archive's directory: no row is read (bench: one_nik.py)
    assert "890 MB" in outcome.file_error and "300 MB" in outcome.file_error
    assert "JAMSOSDESA_SHEET_MAX_UNPACKED_MB" in outcome.file_error
    assert not outcome.applied and Participant.objects.count() == 0


def test_the_unpacked_size_limit_is_a_setting(run, operator_a):
    rows = [["nik", "nama", "tanggal_lahir"], [NIK, "Sugeng Riyadi", "05-05-1990"]]
    with override_settings(SHEET_MAX_UNPACKED_MB=2):
        refused = run(operator_a, xlsx_unpacking_to(3, rows))
        assert "batas 2 MB" in refused.file_error and Participant.objects.count() == 0
        loaded = run(operator_a, xlsx_unpacking_to(1, rows))
    assert loaded.applied and loaded.counts["new"] == 1


def test_the_report_keeps_the_first_rows_up_to_a_limit_and_says_how_many_it_left_out(run, operator_a, tmp_path):
    from python_calamine import CalamineWorkbook

    from jamsosdesa.imports.report import write_report

    with override_settings(IMPORT_REPORT_MAX_ROWS=1000):
        outcome = run(operator_a, one_nik_csv(5000), dry_run=True)
    assert outcome.counts["duplicate"] == 4999  # every row counted
    assert len(outcome.problems) == 1000 and outcome.problems[-1].row == 1002 and outcome.problems_left_out == 3999
    assert outcome.summary()["report_left_out"] == 3999
    rows = CalamineWorkbook.from_path(str(write_report(outcome, tmp_path / "r.xlsx"))).get_sheet_by_index(0)
    rows = rows.to_python()
    assert len(rows) == 1 + 1000 + 1 and "3.999 baris lain yang tidak dicantumkan" in rows[-1][2]
    assert "paling banyak 1.000 baris" in rows[-1][2]


def test_an_xlsx_that_understates_its_unpacked_size_is_not_read_past_it(run, operator_a):
    """The check trusts the sizes the zip declares; the reader then stops at them (a part larger than declared is
    an error), so a file that lies about its size cannot unpack more than it declared."""
    import struct

    rows = [["nik", "nama", "tanggal_lahir"]] + [[NIK, "Sugeng Riyadi", "05-05-1990"]] * 5000
    data = bytearray(xlsx(rows).getvalue())
    part = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    data[part.header_offset + 22:part.header_offset + 26] = struct.pack("<I", 1000)  # local header
    entry = data.find(b"PK\x01\x02")
    while entry != -1:  # the central directory's entry of the same part
        length = struct.unpack("<H", data[entry + 28:entry + 30])[0]
        if data[entry + 46:entry + 46 + length] == part.filename.encode():
            data[entry + 24:entry + 28] = struct.pack("<I", 1000)
        entry = data.find(b"PK\x01\x02", entry + 4)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()) < 20_000
    outcome = run(operator_a, io.BytesIO(bytes(data)))
    assert "rusak" in outcome.file_error and "larger than its declared" in outcome.file_error
    assert not outcome.applied and Participant.objects.count() == 0
