"""The statement import pages: a branch officer uploads, previews, records and downloads the report; nobody else
reaches them (404)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamsosdesa.billing.models import Payment, ReconciliationItem
from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from jamsosdesa.imports.models import StatementImport
from tests.billing.conftest import DESA_A, people
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def branch(db):
    return make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])


def upload(client, data: bytes, **fields):
    return client.post("/impor/rekening/", {"file": SimpleUploadedFile("rekening.csv", data), "format": "auto",
                                            "channel": "bank", **fields})


def test_a_branch_officer_previews_records_and_downloads_the_report(branch, django_capture_on_commit_callbacks):
    (person,) = people(1, DESA_A)
    day = f"{clock.today() - timedelta(days=1):%d/%m/%Y}"
    data = (f"nik;jumlah;tanggal;referensi\n{person.nik};33.600;{day};T-1\n3311110101800099;16800;{day};T-2\n"
            f"{person.nik};1,5;{day};T-3\n").encode()
    browser = client_for(branch)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(browser, data)
    job = StatementImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/impor/rekening/{job.pk}/"
    page = browser.get(f"/impor/rekening/{job.pk}/").content.decode()
    assert "Pratinjau" in page and "Untuk peserta" in page and "Masuk antrean rekonsiliasi" in page
    assert "NIK tidak dikenal" in page and "Catat sekarang: 2 baris" in page
    assert Payment.objects.count() == 0
    report = browser.get(f"/impor/rekening/{job.pk}/laporan.xlsx")
    assert report.status_code == 200 and report["Content-Disposition"].endswith('.xlsx"')
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(f"/impor/rekening/{job.pk}/catat/")
    assert Payment.objects.count() == 2 and ReconciliationItem.objects.count() == 1
    assert "Selesai dicatat" in browser.get(f"/impor/rekening/{job.pk}/").content.decode()


def test_wrong_columns_offer_a_payments_mapping_that_previews_again(branch, django_capture_on_commit_callbacks):
    (person,) = people(1, DESA_A)
    day = f"{clock.today() - timedelta(days=1):%d/%m/%Y}"
    browser = client_for(branch)
    with django_capture_on_commit_callbacks(execute=True):
        upload(browser, f"No Peserta;Setor;Tgl;nama\n{person.nik};16800;{day};x\n".encode())
    job = StatementImport.objects.get()
    page = browser.get(f"/impor/rekening/{job.pk}/").content.decode()
    assert "Kolom wajib tidak ada: jumlah." in page and "Petakan kolom" in page and "No Peserta" in page
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(f"/impor/rekening/{job.pk}/pemetaan/", {"name": "Bank Jateng", "col_nik": "No Peserta",
                                                             "col_amount": "Setor", "col_date": "Tgl"})
    job.refresh_from_db()
    assert job.mapping.kind == "payments" and job.summary["counts"]["person"] == 1


def test_nobody_else_reaches_the_statement_pages(branch, operator_a, django_capture_on_commit_callbacks):
    other_branch = make_user("cabang_klaten", Role.BRANCH_OFFICER, ["33.10"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(branch), b"nik;jumlah;tanggal\n")
    job = StatementImport.objects.get()
    assert client_for(operator_a).get("/impor/rekening/").status_code == 404
    assert upload(client_for(operator_a), b"nik;jumlah;tanggal\n").status_code == 404
    for path in (f"/impor/rekening/{job.pk}/", f"/impor/rekening/{job.pk}/laporan.xlsx"):
        assert client_for(other_branch).get(path).status_code == 404
    assert client_for(other_branch).post(f"/impor/rekening/{job.pk}/catat/").status_code == 404
