"""What the import page says about rows held back for a NIK warning, in the reader's language: the groups are named
in English on the English page, the load button counts what the tick adds, and after a load without the tick the
page says the rows were not loaded and how to load them (found walking the page as an operator on a phone)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamsosdesa.imports.models import ImportJob
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A

pytestmark = pytest.mark.django_db

CSV = (b"nik,nama,tanggal_lahir,jenis_kelamin\n"
       b"3311110505900003,Sugeng Riyadi,05-05-1990,L\n"
       b"3311110506900001,Joko Lahir Lain,05-06-1985,L\n")  # the NIK says born 05-06-1990: a warning


def preview(user, data=CSV, *, language="id", capture):
    client = Client()
    client.force_login(user)
    client.post("/bahasa/", {"language": language, "next": "/impor/"})
    with capture(execute=True):
        client.post("/impor/", {"file": SimpleUploadedFile("desa.csv", data), "desa": DESA_A, "format": "auto",
                                "all_or_nothing": "0"})
    return client, ImportJob.objects.latest("pk")


def load(client, job, capture, **form):
    with capture(execute=True):
        client.post(f"/impor/{job.pk}/muat/", form)
    return client.get(f"/impor/{job.pk}/").content.decode()


def test_the_english_page_names_the_groups_in_english(operator_a, django_capture_on_commit_callbacks):
    client, job = preview(operator_a, language="en", capture=django_capture_on_commit_callbacks)
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "<th>New</th>" in page and "<th>Warnings, not loaded</th>" in page and "<th>Invalid</th>" in page
    assert "Ada peringatan, belum dimuat" not in page and "<th>Baru</th>" not in page
    client.post("/bahasa/", {"language": "id", "next": "/impor/"})
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "<th>Baru</th>" in page and "<th>Ada peringatan, belum dimuat</th>" in page


def test_the_load_button_counts_the_rows_the_tick_adds(operator_a, django_capture_on_commit_callbacks):
    client, job = preview(operator_a, capture=django_capture_on_commit_callbacks)
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "Muat sekarang: 1 baru, 0 diperbarui (+1 dengan peringatan bila dicentang)" in page
    page = load(client, job, django_capture_on_commit_callbacks, accept_warnings="on")
    assert Participant.objects.count() == 2 and "1 baris dimuat walaupun ada peringatan" in page


def test_after_a_load_without_the_tick_the_page_says_how_to_load_the_rest(operator_a,
                                                                           django_capture_on_commit_callbacks):
    client, job = preview(operator_a, capture=django_capture_on_commit_callbacks)
    page = load(client, job, django_capture_on_commit_callbacks)
    assert Participant.objects.count() == 1 and "Selesai dimuat." in page
    assert "1 baris ada peringatan dan tidak dimuat." in page and "unggah berkas ini lagi" in page

    # The same file again: the good row is unchanged, the warned row held back once more. The page must not claim
    # that every participant in the file is already registered.
    client, job = preview(operator_a, capture=django_capture_on_commit_callbacks)
    page = load(client, job, django_capture_on_commit_callbacks)
    assert Participant.objects.count() == 1
    assert "semua peserta di berkas sudah terdaftar" not in page
    assert "Tidak ada yang dimuat" in page and "1 baris ada peringatan dan tidak dimuat." in page


def test_a_file_of_known_rows_still_says_nothing_changed(operator_a, django_capture_on_commit_callbacks):
    good = b"nik,nama,tanggal_lahir,jenis_kelamin\n3311110505900003,Sugeng Riyadi,05-05-1990,L\n"
    client, job = preview(operator_a, good, capture=django_capture_on_commit_callbacks)
    load(client, job, django_capture_on_commit_callbacks)
    client, job = preview(operator_a, good, capture=django_capture_on_commit_callbacks)
    page = load(client, job, django_capture_on_commit_callbacks)
    assert "Tidak ada perubahan: semua peserta di berkas sudah terdaftar dengan data yang sama." in page
    assert "Tidak ada yang dimuat" not in page


def test_one_warned_row_is_one_row_in_english(operator_a, django_capture_on_commit_callbacks):
    """One warned row reads '1 row has a warning', not '1 rows have warnings' (a plural form, not one sentence)."""
    client, job = preview(operator_a, language="en", capture=django_capture_on_commit_callbacks)
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "1 row has a warning: its NIK does not match" in page, page
    page = load(client, job, django_capture_on_commit_callbacks)
    assert "1 row has a warning and was not loaded." in page
    assert "1 rows" not in page
