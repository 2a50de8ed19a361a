"""An import that writes nothing must not tell whether a NIK or KPJ is registered outside the user's area.

A preview answers for such a number as for a free one (tests/imports/test_import_template.py). An all-or-nothing
load with one invalid row writes nothing either (it is rejected), but it went through the loading path, which
refuses a number held elsewhere: its report said "tidak dapat didaftarkan di sini" for a NIK registered in another
village and "new" for a free one. One invalid row added to any file made the load a free look-up, with nothing
written and nothing in the audit trail. A rejected load now answers as its preview."""

import pytest

from jamsosdesa.core.models import AuditEvent
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_B
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

TAKEN, FREE = "3311110505900003", "3311110505900088"  # TAKEN: registered in Krajan (desa A) by operator A
BROKEN = "3311110505900077,Salah,31-02-1990,L,\n"  # an invalid row (31 February): the load is all or nothing


def file(nik: str, kpj: str = "", *, broken: bool = True):
    text = f"nik,nama,tanggal_lahir,jenis_kelamin,kpj\n{nik},Orang Lain,05-05-1990,L,{kpj}\n"
    return csv_bytes(text + (BROKEN if broken else ""))


def told(outcome) -> dict:
    """What the outcome says, with the NIKs and KPJs blanked (they differ between the two files by design)."""
    summary = outcome.summary()
    samples = {group: [{**row, "nik": ""} for row in rows] for group, rows in summary["samples"].items()}
    problems = [(p.row, p.group, p.message.replace(TAKEN, "").replace(FREE, "")) for p in outcome.problems]
    return {**summary, "samples": samples, "problems": problems}


@pytest.fixture
def held_elsewhere(operator_a, register):
    return register(operator_a, kpj="12345678901")


def test_a_rejected_all_or_nothing_load_answers_for_a_nik_held_elsewhere_as_for_a_free_one(run, operator_b,
                                                                                           held_elsewhere):
    events = AuditEvent.objects.count()
    taken = run(operator_b, file(TAKEN), desa=DESA_B, all_or_nothing=True)
    free = run(operator_b, file(FREE), desa=DESA_B, all_or_nothing=True)
    assert taken.rejected and free.rejected and not taken.applied
    assert told(taken) == told(free)
    assert taken.counts["refused"] == 0 and taken.counts["new"] == 1 and taken.counts["invalid"] == 1
    assert Participant.objects.count() == 1 and AuditEvent.objects.count() == events  # nothing written


def test_the_same_for_a_kpj_held_elsewhere(run, operator_b, held_elsewhere):
    taken = run(operator_b, file(FREE, "12345678901"), desa=DESA_B, all_or_nothing=True)
    free = run(operator_b, file(FREE, "12345678902"), desa=DESA_B, all_or_nothing=True)
    assert taken.rejected and told(taken) == told(free)


def test_a_load_that_writes_still_refuses_the_nik_held_elsewhere_in_neutral_words(run, operator_b, held_elsewhere):
    outcome = run(operator_b, file(TAKEN, broken=False), desa=DESA_B, all_or_nothing=True)
    assert outcome.applied and outcome.counts["refused"] == 1 and outcome.counts["new"] == 0
    assert "hubungi kantor cabang" in outcome.samples["refused"][0]["message"]
    outcome = run(operator_b, file(TAKEN), desa=DESA_B)  # not all or nothing: the valid rows load, this one refused
    assert outcome.applied and outcome.counts["refused"] == 1 and outcome.counts["invalid"] == 1


def test_past_the_reports_length_the_withheld_rows_are_counted_alike(run, operator_a, operator_b, register,
                                                                     settings):
    """Beyond the report's length the refused rows are only counted (not held in memory): still alike."""
    settings.IMPORT_REPORT_MAX_ROWS = 1
    taken = [f"33111105059000{n:02d}" for n in (11, 12, 13, 14, 15, 16, 17)]
    for n, nik in enumerate(taken):
        register(operator_a, nik=nik, full_name=f"Warga {n}")
    free = [f"33111105059000{n:02d}" for n in (31, 32, 33, 34, 35, 36, 37)]

    def many(niks, broken=True):
        rows = "".join(f"{nik},Orang {n},05-05-1990,L,\n" for n, nik in enumerate(niks))
        return csv_bytes("nik,nama,tanggal_lahir,jenis_kelamin,kpj\n" + rows + (BROKEN if broken else ""))

    def blanked(outcome) -> dict:
        summary = told(outcome)
        summary["samples"] = {g: [{**row, "nik": ""} for row in rows] for g, rows in summary["samples"].items()}
        return summary

    rejected = [run(operator_b, many(niks), desa=DESA_B, all_or_nothing=True) for niks in (taken, free)]
    assert rejected[0].counts["new"] == 7 and blanked(rejected[0]) == blanked(rejected[1])
    loaded = run(operator_b, many(taken, broken=False), desa=DESA_B)
    assert loaded.counts["refused"] == 7 and len(loaded.problems) == 1 and loaded.problems_left_out == 6
    assert len(loaded.samples["refused"]) == 5 and [s["row"] for s in loaded.samples["refused"]] == [2, 3, 4, 5, 6]
