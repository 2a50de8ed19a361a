"""The one job runner (core.jobs), through the two kinds of job that use it: imports and enrolment batches."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext_noop

from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.jobs import (
    Stage,
    job_cancel,
    job_claim,
    job_expire_stale,
    job_fail,
    job_finish,
    job_progress,
    job_reporter,
    jobs_cleanup,
    jobs_expire_stale,
    worker_gone,
    worker_name,
)
from jamsosdesa.core.progress import progress_bar
from jamsosdesa.imports.models import ImportJob
from jamsosdesa.imports.services import import_job_apply, import_job_create, import_job_retry, import_job_run
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A

pytestmark = pytest.mark.django_db

CSV = b"nik;nama;tanggal_lahir;jenis_kelamin\n3311110505900003;Sugeng Riyadi;05-05-1990;L\n"


def queued_import(actor) -> ImportJob:
    """An uploaded file waiting for a worker (the on-commit enqueue never runs inside a test transaction)."""
    return import_job_create(actor=actor, upload=SimpleUploadedFile("desa.csv", CSV), desa=DESA_A)


def back(job, **times) -> None:
    """Move a job's times into the past: back(job, created_at=hours)."""
    type(job).objects.filter(pk=job.pk).update(**{k: timezone.now() - timedelta(hours=h) for k, h in times.items()})
    job.refresh_from_db()


def test_a_job_is_claimed_once(operator_a):
    job = queued_import(operator_a)
    claimed = job_claim(ImportJob, job.pk)
    assert claimed.status == "running" and claimed.started_at is not None
    assert job_claim(ImportJob, job.pk) is None  # a second worker, or the task delivered twice, gets nothing
    assert job_finish(claimed, rows_total=1)
    assert job_claim(ImportJob, job.pk) is None


def test_progress_carries_a_stage_in_words(operator_a):
    job = job_claim(ImportJob, queued_import(operator_a).pk)
    report = job_reporter(job)
    report(40, 100)
    assert job_progress(job) == {"done": 40, "total": 100, "percent": 40, "stage": ""}
    report(100, 100, Stage(gettext_noop("membangun ulang indeks %(name)s (%(n)d dari %(steps)d)"),
                           {"name": "participant_nik", "n": 2, "steps": 5}))
    assert job_progress(job)["stage"] == "membangun ulang indeks participant_nik (2 dari 5)"
    assert job_progress(job)["percent"] == 100


def test_a_failed_job_keeps_its_message_and_its_file_only_while_it_can_be_retried(operator_a):
    job = job_claim(ImportJob, queued_import(operator_a).pk)
    path = job.file_path
    assert os.path.exists(path)
    assert job_fail(job, "Server mati.")
    assert (job.status, job.message, job.file_path) == ("failed", "Server mati.", path)
    assert os.path.exists(path) and job.finished_at is not None and job.can_retry()
    assert not job_fail(job, "lagi") and not job_finish(job)  # an ended job stays as it ended
    job.refresh_from_db()
    assert job.message == "Server mati."
    back(job, finished_at=3)  # an import's file is kept 2 hours for a retry
    jobs_cleanup()
    job.refresh_from_db()
    assert job.file_path == "" and not os.path.exists(path) and not job.can_retry()
    with pytest.raises(ServiceError) as gone:
        import_job_retry(job=job)
    assert "unggah lagi" in gone.value.message


def test_a_job_whose_file_was_the_problem_drops_it_at_once(operator_a):
    from jamsosdesa.core.sheets import FileProblem
    from jamsosdesa.imports import services

    job = queued_import(operator_a)
    path = job.file_path
    with mock.patch.object(services, "participants_import", side_effect=FileProblem("Baris 7 tidak terbaca.")):
        job = import_job_run(job.pk)
    assert job.status == "failed" and job.file_path == "" and not os.path.exists(path) and not job.can_retry()


def test_a_failed_import_is_retried_from_its_page(operator_a):
    from jamsosdesa.imports import services

    job = queued_import(operator_a)
    with mock.patch.object(services, "participants_import", side_effect=RuntimeError("out of disk")):
        job = import_job_run(job.pk)
    client = Client()
    client.force_login(operator_a)
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "kesalahan di server" in page and f"/impor/{job.pk}/ulang/" in page
    assert client.post(f"/impor/{job.pk}/ulang/").status_code == 302
    job.refresh_from_db()
    assert (job.status, job.message, job.worker) == ("queued", "", "")
    job = import_job_run(job.pk)  # the worker takes it again: the preview of the same file
    assert job.status == "done" and job.dry_run and job.summary["counts"]["new"] == 1
    client.post(f"/impor/{job.pk}/ulang/")  # a done job is not run again
    job.refresh_from_db()
    assert job.status == "done"


def test_a_waiting_import_is_cancelled_from_its_page(operator_a):
    job = queued_import(operator_a)
    client = Client()
    client.force_login(operator_a)
    assert f"/impor/{job.pk}/batal/" in client.get(f"/impor/{job.pk}/").content.decode()
    client.post(f"/impor/{job.pk}/batal/")
    job.refresh_from_db()
    assert job.status == "cancelled" and import_job_run(job.pk).status == "cancelled"


def _killed_process() -> str:
    """The worker name of a real process that was killed with SIGKILL (and reaped)."""
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    name = worker_name(sleeper.pid)
    assert not worker_gone(name)
    sleeper.send_signal(signal.SIGKILL)
    sleeper.wait()
    return name


def test_a_job_whose_worker_was_killed_fails_at_once_and_can_be_retried(operator_a):
    job = job_claim(ImportJob, queued_import(operator_a).pk)
    assert job.worker == worker_name()  # this process claimed it
    assert job_expire_stale(job).status == "running"  # its worker is alive
    ImportJob.objects.filter(pk=job.pk).update(worker=_killed_process())
    job.refresh_from_db()
    client = Client()
    client.force_login(operator_a)
    page = client.get(f"/impor/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "pekerja latar yang menjalankannya berhenti" in page and "every 1s" not in page
    job.refresh_from_db()
    assert job.status == "failed" and os.path.exists(job.file_path)  # kept for the retry
    assert f"/impor/{job.pk}/ulang/" in page
    import_job_retry(job=job)
    assert import_job_run(job.pk).status == "done"


def test_a_reused_pid_or_another_host_does_not_keep_a_dead_worker_alive():
    name = _killed_process()
    host, pid, start = name.split(":")
    assert worker_gone(f"{host}:{os.getpid()}:{int(start or 0) + 1}")  # this pid now, but a later process
    assert not worker_gone(f"other-host:{pid}:{start}")  # elsewhere: only the stale age tells
    assert not worker_gone(f"{host.split('/')[0]}/1:{pid}:{start}")  # a container of the same name: elsewhere too
    assert not worker_gone("")


def test_new_jobs_fail_those_of_dead_workers_whatever_their_age(operator_a):
    lost = job_claim(ImportJob, queued_import(operator_a).pk)
    ImportJob.objects.filter(pk=lost.pk).update(worker=_killed_process())
    queued_import(operator_a)  # queuing a job looks for lost ones of its kind
    lost.refresh_from_db()
    assert lost.status == "failed" and "berhenti di tengah jalan" in lost.message


def test_reports_are_deleted_after_the_retention_days(operator_a, settings):
    import time_machine

    from jamsosdesa.core import clock

    settings.JOB_REPORT_RETENTION_DAYS = 30
    upload = SimpleUploadedFile("desa.csv", CSV + b"123;Tanpa NIK;05-05-1990;L\n")  # a bad row: a report
    job = import_job_run(import_job_create(actor=operator_a, upload=upload, desa=DESA_A).pk)
    import_job_apply(actor=operator_a, job=job)
    job = import_job_run(job.pk)
    report = job.report_path
    assert job.status == "done" and os.path.exists(report)
    client = Client()
    with time_machine.travel(clock.now() + timedelta(days=29)):
        assert call_jobs_cleanup() == {"expired": 0, "reports": 0}
        client.force_login(operator_a)
        assert client.get(f"/impor/{job.pk}/laporan.xlsx").status_code == 200
    with time_machine.travel(clock.now() + timedelta(days=31)):
        assert call_jobs_cleanup() == {"expired": 0, "reports": 1}
        job.refresh_from_db()
        assert job.report_path == "" and not os.path.exists(report) and not os.path.exists(os.path.dirname(report))
        client.force_login(operator_a)
        assert client.get(f"/impor/{job.pk}/laporan.xlsx").status_code == 404
        assert "Laporan baris bermasalah sudah dihapus" in client.get(f"/impor/{job.pk}/").content.decode()


def call_jobs_cleanup() -> dict:
    """`jamsosdesa jobs cleanup`, as cron runs it; the counts it printed."""
    import re
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("jobs", "cleanup", stdout=out)
    expired, reports = map(int, re.findall(r"\d+", out.getvalue())[:2])
    return {"expired": expired, "reports": reports}


def test_only_a_waiting_job_can_be_cancelled(operator_a):
    waiting = queued_import(operator_a)
    path = waiting.file_path
    assert job_cancel(waiting) and waiting.status == "cancelled" and not os.path.exists(path)
    assert job_claim(ImportJob, waiting.pk) is None
    running = job_claim(ImportJob, queued_import(operator_a).pk)
    assert not job_cancel(running) and running.status == "running"


def test_a_job_past_its_time_limit_or_silent_too_long_expires_and_says_so(operator_a):
    silent = job_claim(ImportJob, queued_import(operator_a).pk)
    back(silent, created_at=3, started_at=3, active_at=3)  # running, no progress for 3 hours (stale after 2)
    assert job_expire_stale(silent).status == "failed" and "berhenti memberi kabar" in silent.message
    assert silent.can_retry() and os.path.exists(silent.file_path)  # kept for "Coba lagi"

    busy = job_claim(ImportJob, queued_import(operator_a).pk)
    back(busy, created_at=3, started_at=3, active_at=3)
    job_reporter(busy)(10, 100)  # it still reports: alive
    assert job_expire_stale(busy).status == "running"
    back(busy, started_at=7)  # but it has run longer than an import may (6 hours)
    assert job_expire_stale(busy).status == "failed" and "batas waktu" in busy.message

    fresh = queued_import(operator_a)
    assert job_expire_stale(fresh).status == "queued"


def expired_once_claimed(module):
    """Patch `module.job_claim` so that, right after the worker takes the job, another process (a page looking
    at it) expires it: the worker runs the whole job not knowing."""
    real = module.job_claim

    def claim(jobs, pk):
        claimed = real(jobs, pk)
        type(claimed).objects.filter(pk=pk).update(status="failed", message="expired")
        return claimed

    return mock.patch.object(module, "job_claim", claim)


def test_an_import_expired_while_it_ran_keeps_none_of_its_load(operator_a):
    """The worker finishes inside the load's transaction, on condition that the job still runs: a process
    that expired it meanwhile wins, and the load rolls back."""
    from jamsosdesa.imports import services

    job = import_job_run(queued_import(operator_a).pk)
    import_job_apply(actor=operator_a, job=job)
    with expired_once_claimed(services):
        import_job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "expired") and not Participant.objects.exists()


def test_an_enrolment_batch_expired_while_it_ran_enrols_nobody(operator_a):
    from jamsosdesa.core.roles import Role
    from jamsosdesa.funding import services
    from jamsosdesa.funding.models import Enrolment, EnrolmentBatch
    from tests.conftest import make_user
    from tests.funding.conftest import people, scheme_data

    official = make_user("pemkab", Role.DISTRICT_OFFICIAL, ["33.11"])
    scheme = services.scheme_create(actor=official, data=scheme_data())
    people(3, DESA_A)
    batch = services.enrolment_batch_queue(actor=official, scheme=scheme, region=DESA_A)
    with expired_once_claimed(services.batches):
        services.enrolment_batch_run_job(batch.pk)
    batch = EnrolmentBatch.objects.get(pk=batch.pk)
    assert batch.status == "failed" and batch.enrolled == 0 and not Enrolment.objects.exists()


def test_a_stuck_import_is_timed_out_like_a_batch(operator_a):
    """Regression: an import whose worker never came stayed 'waiting' for ever, its page polling."""
    job = queued_import(operator_a)
    path = job.file_path
    back(job, created_at=3)
    client = Client()
    client.force_login(operator_a)
    page = client.get(f"/impor/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "pekerja latar tidak menjalankannya" in page and "every 1s" not in page
    assert os.path.exists(path) and f"/impor/{job.pk}/ulang/" in page  # kept for a retry
    assert import_job_run(job.pk).status == "failed"  # a worker that comes back later does not run it


def test_a_preview_keeps_its_file_for_the_load_but_not_for_ever(operator_a):
    job = queued_import(operator_a)
    job = import_job_run(job.pk)
    assert job.status == "done" and job.dry_run and os.path.exists(job.file_path)  # waiting for "load"
    path = job.file_path
    back(job, finished_at=3)
    jobs_expire_stale(ImportJob)  # runs whenever a new job is queued
    job.refresh_from_db()
    assert job.file_path == "" and not os.path.exists(path) and job.status == "done"
    with pytest.raises(ServiceError) as gone:
        import_job_apply(actor=operator_a, job=job)
    assert "unggah lagi" in gone.value.message


def test_a_loaded_import_removes_its_file(operator_a):
    job = import_job_run(queued_import(operator_a).pk)
    path = job.file_path
    import_job_apply(actor=operator_a, job=job)
    job = import_job_run(job.pk)
    assert job.status == "done" and not job.dry_run and Participant.objects.count() == 1
    assert job.file_path == "" and not os.path.exists(path)


def test_an_import_that_fails_after_writing_its_report_leaves_no_folder(operator_a):
    """Regression: the report of a failed import was deleted, but the job's folder under var/imports/ stayed (now
    the upload stays for a retry, and the folder goes with it). And the page says a server error happened, as a
    failed enrolment batch does, not the exception's own text (English, and a database's may quote a NIK)."""
    from jamsosdesa.imports import services

    upload = SimpleUploadedFile("desa.csv", CSV + b"123;Tanpa NIK;05-05-1990;L\n")  # a bad row: a report is written
    job = import_job_create(actor=operator_a, upload=upload, desa=DESA_A)
    folder = os.path.dirname(job.file_path)
    crash = RuntimeError("duplicate key: Key (nik)=(3311110505900003) already exists")
    with mock.patch.object(services, "job_finish", side_effect=crash):
        job = import_job_run(job.pk)
    assert job.status == "failed" and "kesalahan di server" in job.message
    assert "3311110505900003" not in job.message and "duplicate key" not in job.message
    assert os.listdir(folder) == ["desa.csv"]  # the report went; the upload waits for a retry
    back(job, finished_at=3)
    jobs_cleanup()
    assert not os.path.exists(folder)


def test_a_failed_import_keeps_the_words_of_a_problem_with_its_file(operator_a):
    """A problem with the input, raised in the user's words (FileProblem, ServiceError), reaches the page as it is,
    as it does for an enrolment batch."""
    from jamsosdesa.core.sheets import FileProblem
    from jamsosdesa.imports import services

    job = queued_import(operator_a)
    with mock.patch.object(services, "participants_import", side_effect=FileProblem("Baris 7 tidak terbaca.")):
        job = import_job_run(job.pk)
    assert (job.status, job.message) == ("failed", "Baris 7 tidak terbaca.")


def test_the_import_page_shows_the_stage(operator_a):
    job = job_claim(ImportJob, queued_import(operator_a).pk)
    job_reporter(job)(1, 1, Stage(gettext_noop("membangun ulang indeks %(name)s (%(n)d dari %(steps)d)"),
                                  {"name": "participant_nik", "n": 1, "steps": 3}))
    client = Client()
    client.force_login(operator_a)
    page = client.get(f"/impor/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Membangun ulang indeks participant_nik (1 dari 3)" in page and "every 1s" in page


def test_a_rejected_import_is_a_done_job_that_says_it_refused(operator_a):
    bad = CSV + b"3311113102900001;Tanggal Salah;31-02-1990;L\n"
    job = import_job_create(actor=operator_a, upload=SimpleUploadedFile("desa.csv", bad), desa=DESA_A,
                            all_or_nothing=True)
    import_job_apply(actor=operator_a, job=import_job_run(job.pk))
    job = import_job_run(job.pk)
    assert (job.status, job.rejected, job.status_label) == ("done", True, "ditolak (semua atau tidak sama sekali)")
    assert not Participant.objects.exists()


def test_the_command_line_bar_shows_the_stage_as_its_description():
    with progress_bar("Impor", None) as bar:
        bar.to(50, 100)
        bar.to(100, 100, Stage(gettext_noop("membangun ulang indeks %(name)s (%(n)d dari %(steps)d)"),
                               {"name": "participant_nik", "n": 1, "steps": 2}))
        task = bar._progress.tasks[0]
        assert task.description == "Impor: membangun ulang indeks participant_nik (1 dari 2)"
        assert (task.completed, task.total) == (100, 100)
        bar.to(100, stage="")
        assert task.description == "Impor"


def test_the_batch_page_names_the_step_under_way(operator_a):
    from jamsosdesa.core.roles import Role
    from jamsosdesa.funding import services
    from jamsosdesa.funding.models import ENROLMENT_STEPS, EnrolmentBatch
    from tests.conftest import make_user
    from tests.funding.conftest import scheme_data

    official = make_user("pemkab", Role.DISTRICT_OFFICIAL, ["33.11"])
    scheme = services.scheme_create(actor=official, data=scheme_data())
    batch = job_claim(EnrolmentBatch, services.enrolment_batch_queue(actor=official, scheme=scheme, region=DESA_A).pk)
    job_reporter(batch)(2, len(ENROLMENT_STEPS), ENROLMENT_STEPS[2])
    client = Client()
    client.force_login(official)
    page = client.get(f"/skema/daftar/{batch.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Langkah 3 dari 5: memeriksa kuota desa" in page and "every 1s" in page


def test_old_job_rows_keep_their_meaning(operator_a, tmp_path):
    """The migrations onto core.jobs: a 'rejected' import is a done job that refused the file; a waiting batch's
    uploaded list moves from its params to its file path, a finished one's (already deleted) is dropped."""
    import importlib

    from django.apps import apps

    from jamsosdesa.core.roles import Role
    from jamsosdesa.funding import services
    from jamsosdesa.funding.models import EnrolmentBatch
    from tests.conftest import make_user
    from tests.funding.conftest import scheme_data

    imports_0003 = importlib.import_module("jamsosdesa.imports.migrations.0003_importjob_runs_on_core_jobs")
    funding_0005 = importlib.import_module("jamsosdesa.funding.migrations.0005_enrolmentbatch_runs_on_core_jobs")
    job = queued_import(operator_a)
    ImportJob.objects.filter(pk=job.pk).update(status="rejected")
    imports_0003.rejected_is_done_and_refused(apps, None)
    job.refresh_from_db()
    assert (job.status, job.rejected) == ("done", True)

    official = make_user("pemkab", Role.DISTRICT_OFFICIAL, ["33.11"])
    scheme = services.scheme_create(actor=official, data=scheme_data())
    fields = {"scheme": scheme, "how": "list", "start_month": scheme.start_month, "end_month": scheme.end_month}
    waiting = EnrolmentBatch.objects.create(status="queued", params={"file": "/var/x/a.csv", "name": "a.csv"},
                                            **fields)
    done = EnrolmentBatch.objects.create(status="done", params={"file": "/var/x/b.csv", "name": "b.csv"}, **fields)
    funding_0005.list_file_to_file_path(apps, None)
    waiting.refresh_from_db()
    done.refresh_from_db()
    assert (waiting.file_path, waiting.params) == ("/var/x/a.csv", {"name": "a.csv"})
    assert (done.file_path, done.params, done.started_at) == ("", {"name": "b.csv"}, done.created_at)


def test_a_failed_enrolment_batch_is_retried_and_a_waiting_one_cancelled_from_its_page(operator_a):
    from jamsosdesa.core.roles import Role
    from jamsosdesa.funding import services
    from jamsosdesa.funding.models import Enrolment, EnrolmentBatch
    from tests.conftest import make_user
    from tests.funding.conftest import people, scheme_data

    official = make_user("pemkab", Role.DISTRICT_OFFICIAL, ["33.11"])
    scheme = services.scheme_create(actor=official, data=scheme_data())
    people(3, DESA_A)
    batch = services.enrolment_batch_queue(actor=official, scheme=scheme, region=DESA_A)
    with mock.patch.object(services.batches, "enrolment_batch_run", side_effect=RuntimeError("connection lost")):
        services.enrolment_batch_run_job(batch.pk)
    client = Client()
    client.force_login(official)
    page = client.get(f"/skema/daftar/{batch.pk}/").content.decode()
    assert "Pendaftaran gagal" in page and f"/skema/daftar/{batch.pk}/ulang/" in page
    client.post(f"/skema/daftar/{batch.pk}/ulang/")
    assert EnrolmentBatch.objects.get(pk=batch.pk).status == "queued"
    batch = services.enrolment_batch_run_job(batch.pk)
    assert (batch.status, batch.enrolled, Enrolment.objects.count()) == ("done", 3, 3)

    waiting = services.enrolment_batch_queue(actor=official, scheme=scheme, region=DESA_A)
    assert f"/skema/daftar/{waiting.pk}/batal/" in client.get(f"/skema/daftar/{waiting.pk}/").content.decode()
    client.post(f"/skema/daftar/{waiting.pk}/batal/")
    assert "dibatalkan" in client.get(f"/skema/daftar/{waiting.pk}/").content.decode()
    assert services.enrolment_batch_run_job(waiting.pk).status == "cancelled"
