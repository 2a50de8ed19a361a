"""Issue 11, "Leaks and abuse" 1: one file must not hold the import worker for hours. A CSV whose rows all share
one NIK is handled in linear time, and an .xlsx that unpacks to far more than it weighs is refused before it
is read."""

import io
import time

import pytest

from jamsosdesa.participants.models import Participant
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

NIK = "3311110505900003"


def one_nik_csv(rows: int, *, other_name_at: int | None = None) -> io.BytesIO:
    lines = ["nik,nama,tanggal_lahir,jenis_kelamin"]
    for n in range(rows):
        name = "Budi Lain" if n == other_name_at else "Sugeng Riyadi"
        lines.append(f"{NIK},{name},05-05-1990,L")
    return csv_bytes("\n".join(lines) + "\n")


def test_twenty_thousand_rows_of_one_nik_are_all_duplicates_of_the_first_and_quick(run, operator_a):
    # Before the fix every repeated row rebuilt the list of the NIK's other rows: 20,000 rows took 7 s, and
    # a million rows (33 MB, under the upload limit) about 4.6 hours.
    started = time.perf_counter()
    outcome = run(operator_a, one_nik_csv(20_000))
    elapsed = time.perf_counter() - started
    assert outcome.applied and outcome.counts["new"] == 1 and outcome.counts["duplicate"] == 19_999
    assert Participant.objects.filter(nik=NIK).count() == 1
    duplicates = [p for p in outcome.problems if p.group == "duplicate"]
    assert len(duplicates) == 19_999 and duplicates[0].row == 3 and duplicates[-1].row == 20_001
    assert {p.message for p in duplicates} == {"Sama dengan baris 2."}
    assert elapsed < 3.5, f"20,000 rows of one NIK took {elapsed:.1f} s"


def test_rows_of_one_nik_that_disagree_name_up_to_five_other_rows_each_and_stay_quick(run, operator_a):
    started = time.perf_counter()
    outcome = run(operator_a, one_nik_csv(20_000, other_name_at=5), dry_run=True)
    elapsed = time.perf_counter() - started
    assert outcome.counts["invalid"] == 20_000 and outcome.counts["new"] == 0
    by_row = {p.row: p.message for p in outcome.problems}
    assert "baris 3, 4, 5, 6, 7 " in by_row[2] and "baris 2, 3, 4, 5, 6 " in by_row[7]
    assert "baris 2, 3, 4, 5, 6 " in by_row[20_001]
    assert elapsed < 3.5, f"20,000 disagreeing rows of one NIK took {elapsed:.1f} s"
