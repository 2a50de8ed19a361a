"""Scheme pages: the budget view, enrolling from the page, the report and the printable sheet."""

import io
import os

import pytest
from django.test import Client

from jamsosdesa.funding.models import Enrolment, EnrolmentBatch
from jamsosdesa.funding.services import enrolment_batch_run_job
from tests.conftest import DESA_A, DESA_B

from .conftest import month_text, people

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_operator_fills_its_desa_quota_from_the_page_and_prints_the_sheet(make_scheme, operator_a, operator_b,
                                                                             django_capture_on_commit_callbacks):
    scheme = make_scheme(quota_per_desa=2)
    mine = people(3, DESA_A)
    page = logged_in(operator_a)
    assert "Satu Desa 100 Pekerja Rentan" in page.get("/skema/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the background job runs once the request commits
        answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"region": DESA_A, "start_month": month_text(0)})
    assert answer.status_code == 302 and "/skema/daftar/" in answer["Location"]
    report = page.get(answer["Location"]).content.decode()
    assert "2 orang didaftarkan" in report and "kuota desa sudah penuh" in report
    assert Enrolment.objects.count() == 2
    detail = page.get(f"/skema/{scheme.pk}/").content.decode()
    assert "Krajan" in detail and "Sanggung" not in detail  # the operator's own desa only
    sheet = page.get(f"/skema/{scheme.pk}/lembar-anggaran/?desa={DESA_A}").content.decode()
    assert "Rp201.600" in sheet and mine[0].full_name in sheet  # 2 people × Rp100,800
    assert logged_in(operator_b).get(f"/skema/{scheme.pk}/lembar-anggaran/?desa={DESA_A}").status_code == 404
    assert logged_in(operator_b).get(answer["Location"]).status_code == 404


def test_the_page_says_why_a_single_enrolment_was_refused(make_scheme, official, official_gianyar):
    scheme = make_scheme()
    worker = people(1, DESA_B, segment="PU")[0]
    page = logged_in(official)
    answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"nik": worker.nik}, follow=True)
    assert "segmen peserta tidak sesuai paket skema" in answer.content.decode()
    assert not Enrolment.objects.exists()
    assert logged_in(official_gianyar).get(f"/skema/{scheme.pk}/").status_code == 404


def test_a_list_enrolment_runs_in_the_background_and_the_page_follows_it(make_scheme, official, operator_a,
                                                                         django_capture_on_commit_callbacks,
                                                                         settings):
    scheme = make_scheme(quota_per_desa=None)
    listed = people(2, DESA_A)
    upload = io.BytesIO(("NIK\n" + "\n".join([listed[0].nik, listed[1].nik, "3311110000000000"]) + "\n").encode())
    upload.name = "penerima.csv"
    page = logged_in(official)
    answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"file": upload, "start_month": month_text(0)})
    batch = EnrolmentBatch.objects.get()
    assert answer["Location"] == f"/skema/daftar/{batch.pk}/" and batch.status == "queued"
    waiting = page.get(answer["Location"]).content.decode()
    assert "Menunggu giliran" in waiting and "<progress" in waiting and 'hx-trigger="every 1s"' in waiting
    assert not Enrolment.objects.exists()  # nothing happens before the worker takes it
    stored = batch.file_path
    assert enrolment_batch_run_job(batch.pk).status == "done"
    report = page.get(answer["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "2 orang didaftarkan" in report and "NIK tidak ada di registri" in report
    assert "Alasan ditolak" in report  # refusals counted by reason above the list
    assert "every 1s" not in report and "<html" not in report  # the partial stops polling once done
    assert Enrolment.objects.count() == 2
    assert not os.path.exists(stored)  # the uploaded list of NIKs is not kept
    assert logged_in(operator_a).get(answer["Location"]).status_code == 404  # not its batch, not its scheme


def test_a_broken_list_fails_the_batch_with_a_message_and_enrols_nobody(make_scheme, official,
                                                                        django_capture_on_commit_callbacks):
    scheme = make_scheme(quota_per_desa=None)
    people(2, DESA_A)
    upload = io.BytesIO(b"nama;alamat\nSri;Krajan\n")
    upload.name = "salah.csv"
    page = logged_in(official)
    with django_capture_on_commit_callbacks(execute=True):
        answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"file": upload})
    text = page.get(answer["Location"]).content.decode()
    assert "Pendaftaran gagal" in text and "Tidak ada kolom berjudul NIK" in text
    assert EnrolmentBatch.objects.get().status == "failed" and not Enrolment.objects.exists()
    empty = io.BytesIO(b"")
    empty.name = "kosong.csv"
    answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"file": empty}, follow=True)
    assert "berkas daftar NIK" in answer.content.decode() and "kosong" in answer.content.decode()
    assert EnrolmentBatch.objects.count() == 1


def test_a_filter_outside_the_users_region_is_said_at_once(make_scheme, operator_a, official):
    scheme = make_scheme(quota_per_desa=None)
    page = logged_in(operator_a)
    answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"region": DESA_B}, follow=True)
    assert "di luar wilayah kerja Anda" in answer.content.decode()
    answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"region": "99"}, follow=True)
    assert "Wilayah 99 tidak dikenal" in answer.content.decode()
    assert not EnrolmentBatch.objects.exists()
    # a village operator may still name the kecamatan around its desa: it enrols its own people
    people(1, DESA_A)
    people(1, DESA_B)
    answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"region": "33.11.11"})
    assert enrolment_batch_run_job(EnrolmentBatch.objects.get().pk).enrolled == 1


def test_a_stale_batch_stops_waiting_and_its_list_is_deleted(make_scheme, official):
    from datetime import timedelta

    from django.utils import timezone

    from jamsosdesa.core.jobs import jobs_cleanup

    scheme = make_scheme(quota_per_desa=None)
    upload = io.BytesIO(b"NIK\n3311110703850001\n")
    upload.name = "daftar.csv"
    page = logged_in(official)
    answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"file": upload})  # no worker runs it
    batch = EnrolmentBatch.objects.get()
    EnrolmentBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(hours=2))
    text = page.get(answer["Location"]).content.decode()
    assert "pekerja latar tidak menjalankannya" in text and "every 1s" not in text
    assert enrolment_batch_run_job(batch.pk).status == "failed"  # a worker that comes back later does not run it
    assert os.path.exists(batch.file_path) and f"/skema/daftar/{batch.pk}/ulang/" in text  # kept for a retry...
    EnrolmentBatch.objects.filter(pk=batch.pk).update(finished_at=timezone.now() - timedelta(hours=2))
    jobs_cleanup()  # ... for an hour: `jamsosdesa serve` runs this every few minutes
    assert not os.path.exists(batch.file_path) and not EnrolmentBatch.objects.get().can_retry()


def test_the_report_masks_what_a_list_gave_and_names_non_niks(make_scheme, official):
    from jamsosdesa.funding.services import EnrolmentSelection, enrolment_batch_run

    scheme = make_scheme(quota_per_desa=None)
    batch = enrolment_batch_run(actor=official, scheme=scheme, selection=EnrolmentSelection(
        niks=["331111070385001", "3311110703850001234567", "33111107038500019"]))
    assert batch.refused == 3 and batch.enrolled == 0  # values longer than a NIK do not break the batch
    text = logged_in(official).get(f"/skema/daftar/{batch.pk}/").content.decode()
    assert "331111070385001" not in text and "3311•••••••5001" in text  # a typo: only its ends
    assert "bukan NIK (harus 16 angka)" in text and "3311110703850001234567" not in text
