"""Import jobs: store the upload, run it (in the background or at once), remember what it found."""

import logging
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.jobs import progress_get, progress_set, store_upload

from .engine import ImportOptions, participants_import
from .models import ColumnMapping, ImportJob, ImportStatus
from .report import write_report

PROGRESS_KEY = "import-progress-{}"
logger = logging.getLogger(__name__)


def import_job_create(*, actor, upload, desa: str, format: str = "auto", mapping: ColumnMapping | None = None,
                      all_or_nothing: bool = False) -> ImportJob:
    """Save the uploaded file and queue a preview of it."""
    path = store_upload(upload, "imports")
    name = path.name
    job = ImportJob.objects.create(created_by=actor, file_name=name, file_path=str(path), file_size=upload.size,
                                   format=format, mapping=mapping, desa_id=desa or None, dry_run=True,
                                   all_or_nothing=all_or_nothing)
    import_job_enqueue(job=job)
    return job


def import_job_enqueue(*, job: ImportJob) -> None:
    from .tasks import run_import_job

    progress_set(PROGRESS_KEY.format(job.pk), 0, 0)
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))


@transaction.atomic
def import_job_apply(*, actor, job: ImportJob) -> ImportJob:
    """After a preview: load the file for real."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.DONE or not job.dry_run or job.summary.get("file_error"):
        raise ServiceError(code=ErrorCode.NOT_READY, message=_("Impor ini tidak dapat dimuat (belum dipratinjau atau "
                                                       "sudah dimuat)."))
    job.dry_run = False
    job.status = ImportStatus.QUEUED
    job.save(update_fields=["dry_run", "status"])
    import_job_enqueue(job=job)
    return job


def import_job_run(job_id: int) -> ImportJob:
    """Run a queued job to its end; the worker calls this, and so do tests."""
    job = ImportJob.objects.select_related("created_by", "mapping").get(pk=job_id)
    job.status, job.started_at = ImportStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    key = PROGRESS_KEY.format(job.pk)

    def progress(done: int, total: int) -> None:
        progress_set(key, done, total)

    options = ImportOptions(desa=job.desa_id or "", format=job.format,
                            mapping=job.mapping.columns if job.mapping else None, dry_run=job.dry_run,
                            all_or_nothing=job.all_or_nothing, note=_("impor #%(id)s %(f)s") % {
                                "id": job.pk, "f": job.file_name})
    try:
        outcome = participants_import(actor=job.created_by, source=job.file_path, options=options,
                                      progress=progress)
    except Exception as exc:  # the transaction was rolled back: say so, keep the file for a retry
        logger.exception("import job %s failed", job.pk)
        job.status, job.message, job.finished_at = ImportStatus.FAILED, str(exc)[:1000], timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        return job
    report = ""
    if outcome.problems:
        report = str(write_report(outcome, Path(job.file_path).parent / "laporan.xlsx"))
    job.summary = outcome.summary()
    job.rows_total = outcome.rows_total
    job.report_path = report
    job.status = ImportStatus.REJECTED if outcome.rejected else ImportStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["summary", "rows_total", "report_path", "status", "finished_at"])
    progress_set(key, outcome.rows_total, outcome.rows_total)
    return job


def import_progress(job: ImportJob) -> dict:
    return progress_get(PROGRESS_KEY.format(job.pk), job.rows_total)


def mapping_save(*, actor, name: str, columns: dict[str, str]) -> ColumnMapping:
    name = " ".join(name.split())[:80]
    if not name:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Beri nama pemetaan."),
                           fields={"name": [_("Wajib diisi.")]})
    columns = {k: v for k, v in columns.items() if v}
    for required in ("nik", "full_name", "birth_date"):
        if required not in columns:
            raise ServiceError(code=ErrorCode.INVALID, message=_("Pemetaan harus memuat NIK, nama dan tanggal lahir."),
                               fields={required: [_("Wajib dipetakan.")]})
    mapping, _created = ColumnMapping.objects.update_or_create(name=name, defaults={"columns": columns,
                                                                                   "created_by": actor})
    return mapping
