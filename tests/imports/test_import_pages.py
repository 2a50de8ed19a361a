import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamsosdesa.core.models import AuditEvent
from jamsosdesa.imports.models import ImportJob
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A

pytestmark = pytest.mark.django_db

CSV = (b"nik;nama;tanggal_lahir;jenis_kelamin\n3311110505900003;Sugeng Riyadi;05-05-1990;L\n"
       b"3311113102900001;Salah;31-02-1990;L\n")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def upload(client, data=CSV, name="desa.csv", **extra):
    return client.post("/impor/", {"file": SimpleUploadedFile(name, data), "desa": DESA_A, "format": "auto",
                                   "all_or_nothing": "0", **extra})


def test_upload_previews_then_loads_and_offers_the_report(operator_a, django_capture_on_commit_callbacks):
    client = client_for(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/impor/{job.pk}/"
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "Pratinjau" in page and "Muat sekarang: 1 baru" in page and Participant.objects.count() == 0
    report = client.get(f"/impor/{job.pk}/laporan.xlsx")
    assert report.status_code == 200 and report["Content-Disposition"].startswith("attachment")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/impor/{job.pk}/muat/")
    assert Participant.objects.get().full_name == "Sugeng Riyadi"
    assert "Selesai dimuat" in client.get(f"/impor/{job.pk}/").content.decode()
    # loading the same preview twice is refused
    client.post(f"/impor/{job.pk}/muat/")
    assert Participant.objects.count() == 1


def test_the_page_shows_progress_while_a_job_waits(operator_a):
    client = client_for(operator_a)
    upload(client)  # on_commit never runs here: the job stays queued, as when no worker runs yet
    job = ImportJob.objects.get()
    page = client.get(f"/impor/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page


def test_another_user_cannot_see_a_job(operator_a, operator_b, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(operator_a))
    job = ImportJob.objects.get()
    other = client_for(operator_b)
    for url in (f"/impor/{job.pk}/", f"/impor/{job.pk}/laporan.xlsx"):
        assert other.get(url).status_code == 404
    assert other.post(f"/impor/{job.pk}/muat/").status_code == 404


def test_a_too_large_upload_is_refused_with_the_limit(operator_a, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    response = upload(client_for(operator_a), data=b"x" * (2 * 1024 * 1024))
    assert response.status_code == 200 and "batas unggah 1 MB" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_unknown_columns_are_mapped_once_and_the_mapping_is_reused(operator_a, django_capture_on_commit_callbacks):
    data = b"No Induk;Nama Warga;Tgl Lahir\n3311110505900003;Sugeng;05-05-1990\n"
    client = client_for(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, data=data)
    job = ImportJob.objects.get()
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "Kolom wajib tidak ada" in page and "Petakan kolom" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/impor/{job.pk}/pemetaan/", {"name": "Sheet kecamatan", "col_nik": "No Induk",
                                                   "col_full_name": "Nama Warga", "col_birth_date": "Tgl Lahir"})
    job.refresh_from_db()
    assert job.summary["counts"]["new"] == 1 and job.mapping.name == "Sheet kecamatan"
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, data=data, mapping=str(job.mapping.pk))
    assert ImportJob.objects.latest("pk").summary["counts"]["new"] == 1


def test_the_template_has_our_columns_and_a_codes_sheet(operator_a):
    import io

    from python_calamine import CalamineWorkbook

    response = client_for(operator_a).get("/impor/templat.xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["Peserta", "Kode"]
    header = book.get_sheet_by_name("Peserta").to_python()[0]
    assert header[:4] == ["nik", "nama", "tempat_lahir", "tanggal_lahir"]
    codes = book.get_sheet_by_name("Kode").to_python()
    assert codes[9][:2] == [9.0, "PETANI/PEKEBUN"]


def test_export_follows_scope_and_filters_masks_niks_and_is_audited(operator_a, operator_b, register):
    register(operator_a)
    response = client_for(operator_a).get("/peserta/ekspor.csv", {"q": "sugeng"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Sugeng Riyadi" in text and "3311••••••••0003" in text and "3311110505900003" not in text
    event = AuditEvent.objects.get(event_type="participant.exported")
    assert event.actor == operator_a and event.new["filter"]["q"] == "sugeng" and event.new["rows"] == 1
    assert b"Sugeng" not in b"".join(client_for(operator_b).get("/peserta/ekspor.csv").streaming_content)
    xlsx = client_for(operator_a).get("/peserta/ekspor.xlsx")
    assert xlsx.status_code == 200 and xlsx.getvalue()[:2] == b"PK"
