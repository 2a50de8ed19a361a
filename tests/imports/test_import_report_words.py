"""Issue 11: what the import page and its report (laporan.xlsx) say. The page says how many problem rows the report
left out; a NIK or KPJ held outside the user's area is refused in neutral words on the page and in the report, never
as "registered elsewhere"; the report is written in the language of the user who ran the import, and the page names
an update's fields in its reader's language."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from python_calamine import CalamineWorkbook

from jamsosdesa.imports.engine import ImportOptions, participants_import
from jamsosdesa.imports.models import ImportJob
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A, DESA_B

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_after():
    """A page drawn in English leaves English active in this thread (the language middleware activates, never
    deactivates): later tests of this process expect the default."""
    yield
    translation.activate("id")

HEADER = "nik,nama,tanggal_lahir,jenis_kelamin,kpj\n"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def import_file(client, capture, text: str, desa: str = DESA_A, *, load: bool = True) -> ImportJob:
    with capture(execute=True):
        client.post("/impor/", {"file": SimpleUploadedFile("desa.csv", text.encode()), "desa": desa,
                                "format": "auto", "all_or_nothing": "0"})
    job = ImportJob.objects.latest("pk")
    if load:
        with capture(execute=True):
            client.post(f"/impor/{job.pk}/muat/")
        job.refresh_from_db()
    return job


def report_bytes(client, job) -> bytes:
    answer = client.get(f"/impor/{job.pk}/laporan.xlsx")
    assert answer.status_code == 200
    return b"".join(answer.streaming_content)


def report_rows(client, job) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(report_bytes(client, job))).get_sheet_by_index(0).to_python()


def test_the_page_says_how_many_problem_rows_the_report_left_out(operator_a, settings,
                                                                  django_capture_on_commit_callbacks):
    settings.IMPORT_REPORT_MAX_ROWS = 1
    bad = "".join(f"33111131029000{i:02d},Salah {i},31-02-1990,L,\n" for i in range(1, 5))
    client = client_for(operator_a)
    job = import_file(client, django_capture_on_commit_callbacks, HEADER + bad, load=False)
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert job.summary["report_left_out"] == 3
    assert 'id="report-left-out"' in page and "Laporan tidak memuat 3 baris bermasalah lainnya" in page
    assert len(report_rows(client, job)) == 3  # header, one row, the note of what was left out


def test_a_nik_held_outside_the_users_area_is_refused_in_neutral_words_in_the_report(
        operator_a, operator_b, register, django_capture_on_commit_callbacks):
    register(operator_a)  # 3311110505900003 in Krajan
    client = client_for(operator_b)
    job = import_file(client, django_capture_on_commit_callbacks,
                      HEADER + "3311110505900003,Orang Lain,05-05-1990,L,\n", DESA_B)
    assert job.summary["counts"]["refused"] == 1 and job.summary["counts"]["elsewhere"] == 0
    rows = report_rows(client, job)
    assert rows[1][1] == "Tidak dapat didaftarkan di sini" and "hubungi kantor cabang" in rows[1][2]
    assert "terdaftar di tempat lain" not in str(rows)
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "<th>Sudah terdaftar di tempat lain</th><td>0</td>" in page
    assert "<th>Tidak dapat didaftarkan di sini</th><td>1</td>" in page
    for words in (rows, page):
        assert "Krajan" not in str(words) and DESA_A not in str(words) and "Sugeng" not in str(words)


def test_a_kpj_held_outside_the_users_area_previews_as_free_and_is_refused_on_load(
        operator_a, operator_b, register, django_capture_on_commit_callbacks):
    register(operator_a, kpj="12345678901")
    client = client_for(operator_b)
    taken = HEADER + "3311110505900088,Orang Lain,05-05-1990,L,12345678901\n"
    free = HEADER + "3311110505900088,Orang Lain,05-05-1990,L,12345678902\n"
    previews = [import_file(client, django_capture_on_commit_callbacks, text, DESA_B, load=False)
                for text in (taken, free)]
    assert previews[0].summary["counts"] == previews[1].summary["counts"]
    assert previews[0].summary["counts"]["new"] == 1 and previews[0].summary["counts"]["invalid"] == 0

    job = import_file(client, django_capture_on_commit_callbacks, taken, DESA_B)
    assert job.summary["counts"]["refused"] == 1 and job.summary["counts"]["new"] == 0
    sample = job.summary["samples"]["refused"][0]
    assert sample["issues"][0]["code"] == "kpj_refused" and "hubungi kantor cabang" in sample["message"]
    assert "Sugeng" not in sample["message"] and "sudah dipakai" not in sample["message"]
    assert not Participant.objects.filter(nik="3311110505900088").exists()


def test_an_officer_who_sees_the_kpj_holder_is_told_it_is_taken(operator_a, register,
                                                                 django_capture_on_commit_callbacks):
    register(operator_a, kpj="12345678901")
    client = client_for(operator_a)
    job = import_file(client, django_capture_on_commit_callbacks,
                      HEADER + "3311110505900088,Orang Lain,05-05-1990,L,12345678901\n", load=False)
    sample = job.summary["samples"]["invalid"][0]
    assert sample["issues"][0]["code"] == "kpj_taken" and "sudah dipakai" in sample["message"]


def test_the_report_is_in_the_language_of_the_user_who_ran_the_import(operator_a, register,
                                                                       django_capture_on_commit_callbacks):
    register(operator_a)
    client = client_for(operator_a)
    client.post("/bahasa/", {"language": "en", "next": "/impor/"})  # the user's choice, kept on the account
    text = HEADER + ("3311110505900003,Sugeng Riyadi Baru,05-05-1990,L,\n"  # an update of the full name
                     "3311113102900001,Salah,31-02-1990,L,\n"  # invalid
                     "3311113102900001,Salah,31-02-1990,L,\n")
    job = import_file(client, django_capture_on_commit_callbacks, text, load=False)
    header, *rows = report_rows(client, job)
    assert header[1:3] == ["Status", "Notes"]
    assert {row[1] for row in rows} <= {"Invalid", "Duplicate in file"} and "Invalid" in {row[1] for row in rows}
    assert "Tidak valid" not in str(rows) and "Keterangan" not in header
    assert "date of birth: " in str(rows) and "tanggal lahir: " not in str(rows)  # the field named in English too

    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "<th>Updated</th>" in page and "full name" in page and "full_name" not in page

    # The English report, corrected and uploaded again: its own columns are known, not "unknown columns".
    again = participants_import(actor=operator_a, source=io.BytesIO(report_bytes(client, job)),
                                options=ImportOptions(desa=DESA_A, dry_run=True))
    assert again.unknown_columns == [] and again.counts["invalid"] == 2


def test_a_row_of_someone_registered_in_another_desa_links_to_them(operator_a, register,
                                                                   django_capture_on_commit_callbacks):
    from jamsosdesa.core.roles import Role
    from tests.conftest import make_user

    existing = register(operator_a)  # in Krajan
    branch = make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])  # sees Krajan and Sanggung
    client = client_for(branch)
    job = import_file(client, django_capture_on_commit_callbacks,
                      HEADER + "3311110505900003,Sugeng Riyadi,05-05-1990,L,\n", DESA_B, load=False)
    assert job.summary["counts"]["elsewhere"] == 1
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert f'<a href="/peserta/{existing.pk}/">Sugeng Riyadi</a> — Sudah terdaftar di desa {DESA_A}.' in page
