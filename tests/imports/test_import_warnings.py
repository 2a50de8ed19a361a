"""A row whose NIK disagrees with the birth date or sex given is warned about as on the registration form: listed
in the preview and the report with the form's words, held back unless the operator chose to load it."""

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from python_calamine import CalamineWorkbook

from jamsosdesa.imports.models import ImportJob
from jamsosdesa.imports.report import write_report
from jamsosdesa.participants import services
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A, person
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

CSV = ("nik,nama,tanggal_lahir,jenis_kelamin,alamat\n"
       "3311110505900003,Sugeng Riyadi,05-05-1990,L,Krajan\n"
       "3311110506900001,Joko Lahir Lain,05-06-1985,L,Krajan\n"  # the NIK says born 05-06-1990
       "3311114506900002,Sri Bukan Laki,05-06-1990,L,Krajan\n"  # the NIK says female
       "3311110707900001,Budi,07-07-1990,,Krajan\n")  # no sex given: taken from the NIK, nothing to warn
BIRTH_WORDS = "Tanggal lahir 05-06-1985 tidak sesuai dengan NIK (05-06-1990)."
SEX_WORDS = "Jenis kelamin Laki-laki tidak sesuai dengan NIK (Perempuan)."


def test_by_default_they_are_listed_with_the_forms_words_and_not_loaded(run, operator_a, tmp_path):
    outcome = run(operator_a, csv_bytes(CSV))
    assert outcome.applied and outcome.counts["new"] == 2 and outcome.counts["warning"] == 2
    assert set(Participant.objects.values_list("nik", flat=True)) == {"3311110505900003", "3311110707900001"}
    samples = outcome.samples["warning"]
    assert [s["issues"][0]["code"] for s in samples] == ["nik_birth_date_mismatch", "nik_sex_mismatch"]
    assert samples[0]["message"] == f"tanggal lahir: {BIRTH_WORDS}"
    assert samples[1]["message"] == f"jenis kelamin: {SEX_WORDS}"
    rows = CalamineWorkbook.from_path(str(write_report(outcome, tmp_path / "r.xlsx"))).get_sheet_by_index(0).to_python()
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [
        (3, "Ada peringatan, belum dimuat", f"tanggal lahir: {BIRTH_WORDS}"),
        (4, "Ada peringatan, belum dimuat", f"jenis kelamin: {SEX_WORDS}")]


def test_the_preview_says_so_too(run, operator_a):
    outcome = run(operator_a, csv_bytes(CSV), dry_run=True)
    assert outcome.counts["warning"] == 2 and outcome.counts["new"] == 2 and not Participant.objects.exists()


def test_when_chosen_they_load_with_their_warnings_confirmed_and_stay_in_the_report(run, operator_a):
    outcome = run(operator_a, csv_bytes(CSV), accept_warnings=True)
    assert outcome.counts["new"] == 4 and outcome.counts["warning"] == 0 and outcome.warnings_loaded == 2
    confirmed = dict(Participant.objects.values_list("nik", "confirmed_warnings"))
    assert confirmed == {"3311110505900003": [], "3311110707900001": [],
                         "3311110506900001": ["nik_birth_date_mismatch"], "3311114506900002": ["nik_sex_mismatch"]}
    assert [(p.row, p.group) for p in outcome.problems] == [(3, "warning_loaded"), (4, "warning_loaded")]
    assert Participant.objects.get(nik="3311110506900001").birth_date == date(1985, 6, 5)


def test_a_warning_confirmed_once_is_not_asked_again_but_a_new_one_is(run, operator_a):
    services.participant_register(actor=operator_a, data=person(nik="3311110506900001", birth_date=date(1985, 6, 5)),
                                  confirm_warnings=True)
    same = "nik,nama,tanggal_lahir,jenis_kelamin,alamat\n3311110506900001,Sugeng Riyadi,05-06-1985,L,Dusun Baru\n"
    outcome = run(operator_a, csv_bytes(same))
    assert outcome.counts["updated"] == 1 and outcome.counts["warning"] == 0
    other_sex = same.replace(",L,", ",P,").replace("Dusun Baru", "Dusun Lain")
    outcome = run(operator_a, csv_bytes(other_sex))
    assert outcome.counts["warning"] == 1 and outcome.counts["updated"] == 0
    assert Participant.objects.get().address == "Dusun Baru"
    outcome = run(operator_a, csv_bytes(other_sex), accept_warnings=True)
    p = Participant.objects.get()
    assert outcome.counts["updated"] == 1 and (p.sex, p.address) == ("P", "Dusun Lain")
    assert p.confirmed_warnings == ["nik_birth_date_mismatch", "nik_sex_mismatch"]


def test_the_command_line_holds_them_back_unless_told(operator_a, tmp_path):
    path = tmp_path / "desa.csv"
    path.write_text(CSV)
    out = StringIO()
    call_command("import", "participants", str(path), "--desa", DESA_A, "--user", operator_a.username, "--quiet",
                 stdout=out)
    assert "2 baris ada peringatan" in out.getvalue() and Participant.objects.count() == 2
    out = StringIO()
    call_command("import", "participants", str(path), "--desa", DESA_A, "--user", operator_a.username, "--quiet",
                 "--accept-warnings", stdout=out)
    assert "2 baris dengan peringatan dimuat" in out.getvalue() and Participant.objects.count() == 4


def test_the_page_offers_to_load_them_after_the_preview(operator_a, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/impor/", {"file": SimpleUploadedFile("desa.csv", CSV.encode()), "desa": DESA_A,
                                "format": "auto", "all_or_nothing": "0"})
    job = ImportJob.objects.get()
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "2 baris ada peringatan" in page and 'name="accept_warnings"' in page
    assert BIRTH_WORDS in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/impor/{job.pk}/muat/", {"accept_warnings": "on"})
    assert Participant.objects.count() == 4
    assert "2 baris dimuat walaupun ada peringatan" in client.get(f"/impor/{job.pk}/").content.decode()
