"""The BPJS cross-check pages: a branch officer uploads a list, sees the counts per desa, drills down to one desa's
differences (masked NIK, the name only for people of the region, our reason), downloads them (audited, formulas
stay text), and maps the columns of a file it did not recognise. Another kabupaten's officer gets 404."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from python_calamine import CalamineWorkbook

from jamsosdesa.billing.models import BpjsList
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.presenters import mask_nik
from jamsosdesa.core.roles import Role
from tests.billing.conftest import DESA_A, DESA_C, month, people
from tests.billing.status_fixtures import fresh_policy_cache, history  # noqa: F401
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def district(db):
    return make_user("pemkab_skh2", Role.DISTRICT_OFFICIAL, ["33.11"])


@pytest.fixture
def district_gianyar(db):
    return make_user("pemkab_gianyar", Role.DISTRICT_OFFICIAL, ["51.04"])


def test_a_district_official_compares_its_kabupatens_list_as_a_branch_officer_does(
        world, district, branch, django_capture_on_commit_callbacks):
    browser = client_for(district)
    assert browser.get("/impor/bpjs/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        upload(browser, f"NIK;STATUS\n{world['behind'].nik};AKTIF\n{world['paid'].nik};AKTIF\n")
    job = BpjsList.objects.get()
    assert job.region_code == "33.11" and job.created_by_id == district.pk
    assert browser.get(f"/tagihan/bpjs/{job.pk}/").status_code == 200
    rows = browser.get(f"/tagihan/bpjs/{job.pk}/baris/?desa={DESA_A}&temuan=bpjs_only_active").content.decode()
    assert mask_nik(world["behind"].nik) in rows and world["behind"].nik not in rows  # a district sees masked NIKs
    assert browser.get(f"/tagihan/bpjs/{job.pk}/perbedaan.xlsx").status_code == 200
    assert client_for(branch).get(f"/tagihan/bpjs/{job.pk}/").status_code == 200  # the same kabupaten's lists
    refused = upload(browser, f"NIK;STATUS\n{world['far'].nik};AKTIF\n", region="51.04")
    assert "di luar wilayah Anda" in refused.content.decode() and BpjsList.objects.count() == 1


@pytest.fixture
def world(db):
    behind, paid = people(2, DESA_A)
    behind.full_name = "=HYPERLINK(\"http://x\")"
    behind.save(update_fields=["full_name"])
    history(behind, paid=[month(-7)], unpaid=[month(-6), month(-5), month(-4), month(-3)])
    history(paid, paid=[month(-1), month(0)])
    (far,) = people(1, DESA_C)
    return {"behind": behind, "paid": paid, "far": far}


def upload(client, text: str, **fields):
    return client.post("/impor/bpjs/", {"file": SimpleUploadedFile("bpjs.csv", text.encode()),
                                        "region": "33.11", **fields})


def test_a_branch_officer_uploads_and_drills_down(world, branch, django_capture_on_commit_callbacks):
    w = world
    body = (f"NIK;KPJ;STATUS KEPESERTAAN;BULAN TERAKHIR BAYAR\n{w['behind'].nik};1;AKTIF;{month(0):%m/%Y}\n"
            f"{w['far'].nik};2;AKTIF;{month(0):%m/%Y}\n")
    browser = client_for(branch)
    with django_capture_on_commit_callbacks(execute=True):
        answer = upload(browser, body)
    assert answer.status_code == 302
    job = BpjsList.objects.get()
    assert answer["Location"] == f"/tagihan/bpjs/{job.pk}/"
    page = browser.get(answer["Location"]).content.decode()
    assert "aktif menurut BPJS, tidak menurut jamsosdesa" in page
    assert w["far"].full_name not in page
    rows = browser.get(f"/tagihan/bpjs/{job.pk}/baris/?desa={DESA_A}&temuan=bpjs_only_active").content.decode()
    assert f"iuran {month(-6):%m/%Y} belum dibayar" in rows
    assert w["behind"].nik in rows  # a branch officer sees whole NIKs (core.presenters)
    assert f"/peserta/{w['behind'].pk}/" in rows
    outside = browser.get(f"/tagihan/bpjs/{job.pk}/baris/?desa=&temuan=outside_area").content.decode()
    assert "(tanpa nama)" in outside and w["far"].full_name not in outside
    export = browser.get(f"/tagihan/bpjs/{job.pk}/perbedaan.xlsx")
    data = b"".join(export.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    names = [row[2] for row in sheet[1:]]
    assert '=HYPERLINK("http://x")' in names  # a text cell, never a formula
    assert b"<f>" not in data  # xlsxwriter wrote no formula element
    event = AuditEvent.objects.get(event_type=AuditEventType.BPJS_LIST_EXPORTED, object_type="bpjs_list")
    assert event.new["rows"] == len(sheet) - 1


def test_another_kabupaten_and_other_roles_get_404(world, branch, branch_gianyar, district_gianyar, operator_a,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(branch), f"NIK;STATUS\n{world['paid'].nik};AKTIF\n")
    job = BpjsList.objects.get()
    for user in (branch_gianyar, district_gianyar, operator_a):
        browser = client_for(user)
        for path in (f"/tagihan/bpjs/{job.pk}/", f"/tagihan/bpjs/{job.pk}/baris/?desa={DESA_A}",
                     f"/tagihan/bpjs/{job.pk}/perbedaan.xlsx"):
            assert browser.get(path).status_code == 404, (user.username, path)
    assert client_for(operator_a).get("/impor/bpjs/").status_code == 404
    refused = upload(client_for(branch_gianyar), f"NIK;STATUS\n{world['paid'].nik};AKTIF\n")
    assert refused.status_code == 200
    assert "di luar wilayah Anda" in refused.content.decode()
    assert BpjsList.objects.count() == 1


def test_unknown_columns_are_mapped_on_the_page_and_compared_again(world, branch,
                                                                  django_capture_on_commit_callbacks):
    browser = client_for(branch)
    with django_capture_on_commit_callbacks(execute=True):
        upload(browser, f"Nomor Identitas;Keadaan Peserta\n{world['paid'].nik};AKTIF\n")
    job = BpjsList.objects.get()
    page = browser.get(f"/tagihan/bpjs/{job.pk}/").content.decode()
    assert "Tidak ada baris judul kolom daftar BPJS" in page
    assert "Petakan kolom berkas ini" in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = browser.post(f"/impor/bpjs/{job.pk}/pemetaan/", {"mapping_name": "cabang", "nik": "Nomor Identitas",
                                                                  "status": "Keadaan Peserta"})
    assert answer.status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and job.summary["totals"]["both_active"] == 1
