"""`job_run`, the skeleton the statement and BPJS-list jobs share: whatever goes wrong inside the work, nothing of it
is kept, the job ends failed with a message the page can show, and a report already written is removed."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.jobs import JobEnded, job_claim, job_finish, job_run
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.imports.models import ImportJob
from jamsosdesa.imports.services import import_job_create
from tests.conftest import DESA_A

pytestmark = pytest.mark.django_db

CSV = b"nik;nama;tanggal_lahir;jenis_kelamin\n3311110505900003;Sugeng Riyadi;05-05-1990;L\n"


def running(actor) -> ImportJob:
    job = import_job_create(actor=actor, upload=SimpleUploadedFile("desa.csv", CSV), desa=DESA_A)
    return job_claim(ImportJob, job.pk)


def work_that_fails(exc, written_here: list):
    def work(written: list[str]) -> None:
        report = Path(running.tmp) / "laporan.xlsx"
        report.write_bytes(b"report")
        written.append(str(report))
        written_here.append(report)
        AuditEvent.objects.create(actor_name="t", event_type="participant.registered", object_type="participant",
                                  object_id="1")  # a write the failure must roll back
        raise exc

    return work


@pytest.mark.parametrize("exc, message, file_kept", [
    (ServiceError(code=ErrorCode.INVALID, message="Kolom NIK tidak ada."), "Kolom NIK tidak ada.", False),
    (RuntimeError("boom"), "Terjadi kesalahan di server. Coba lagi, atau hubungi admin bila terulang.", True),
])
def test_a_failing_work_fails_the_job_rolls_back_and_removes_its_report(operator_a, tmp_path, exc, message,
                                                                         file_kept, caplog):
    running.tmp = tmp_path
    job = running(operator_a)
    upload = job.file_path
    events = AuditEvent.objects.count()
    written: list = []
    ended = job_run(job, work_that_fails(exc, written), name="test job")
    job.refresh_from_db()
    assert (ended.pk, job.status, job.message) == (job.pk, "failed", message)
    assert AuditEvent.objects.count() == events
    assert written and not written[0].exists()
    assert bool(job.file_path) == file_kept and Path(upload).exists() == file_kept  # kept only for a retry
    assert ("test job" in caplog.text) == isinstance(exc, RuntimeError)  # the unexpected one is logged


def test_a_job_ended_meanwhile_is_left_as_it_is(operator_a, tmp_path):
    running.tmp = tmp_path
    job = running(operator_a)

    ImportJob.objects.filter(pk=job.pk).update(status="failed", message="kedaluwarsa")  # expired by a watcher

    def work(written: list[str]) -> None:
        if not job_finish(job, rows_total=1):
            raise JobEnded

    job_run(job, work)
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "kedaluwarsa")


def test_a_work_that_ends_well_finishes_the_job(operator_a):
    job = running(operator_a)
    job_run(job, lambda written: job_finish(job, rows_total=1))
    job.refresh_from_db()
    assert job.status == "done" and job.rows_total == 1
