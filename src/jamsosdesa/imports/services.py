"""Import jobs: store the upload, run it (in the background or at once), remember what it found. The job itself
(queue, claim, progress, end, expiry, the file) is core.jobs; this is what an import adds to it."""

import logging
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from jamsosdesa.core.access import code_in_scope, refuse_actor, sees_everything
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.jobs import (
    JobEnded,
    JobStatus,
    job_claim,
    job_create,
    job_fail,
    job_finish,
    job_progress,
    job_reporter,
    job_requeue,
    job_retry,
    remove_upload,
    store_upload,
)
from jamsosdesa.core.regioncodes import Level
from jamsosdesa.core.sheets import FileProblem
from jamsosdesa.regions.models import Region

from .engine import ImportOptions, participants_import
from .models import ColumnMapping, ImportJob, MappingKind
from .report import write_report

logger = logging.getLogger(__name__)


def import_job_create(*, actor, upload, desa: str, format: str = "auto", mapping: ColumnMapping | None = None,
                      all_or_nothing: bool = False) -> ImportJob:
    """Save the uploaded file and queue a preview of it."""
    from .tasks import run_import_job

    refuse_actor(actor)  # e.g. an inactive agent (core.access.actor_refusals): refused before the file is stored
    if desa and not _desa_usable(actor, desa):  # checked before the file is stored: nothing is left on disk
        message = _("Desa tujuan %(c)s tidak dikenal atau di luar wilayah kerja Anda.") % {"c": desa}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"desa": [message]})
    path = store_upload(upload, "imports")
    try:
        return job_create(ImportJob, run_import_job, created_by=actor, file_name=path.name, file_path=str(path),
                          file_size=upload.size, format=format, mapping=mapping, desa_id=desa or None, dry_run=True,
                          all_or_nothing=all_or_nothing)
    except BaseException:
        remove_upload(path)
        raise


def _desa_usable(actor, code: str) -> bool:
    """A current desa (or kelurahan) the user works in: the job's desa refers to it."""
    if not Region.objects.filter(code=code, level=Level.DESA, is_historical=False).exists():
        return False
    return sees_everything(actor) or code_in_scope(actor, code)


def _file_still_there(job: ImportJob) -> None:
    if not job.file_path:
        raise ServiceError(code=ErrorCode.FILE_GONE, message=_(
            "Berkas impor ini sudah dihapus karena lama tidak dimuat; unggah lagi."))


@transaction.atomic
def import_job_apply(*, actor, job: ImportJob, accept_warnings: bool = False) -> ImportJob:
    """After a preview: load the file for real; with `accept_warnings`, also the rows whose NIK disagrees with the
    birth date or sex given (the operator checked them, as the registration form's confirmation)."""
    from .tasks import run_import_job

    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.DONE or not job.dry_run or job.rejected or job.summary.get("file_error"):
        raise ServiceError(code=ErrorCode.NOT_READY, message=_("Impor ini tidak dapat dimuat (belum dipratinjau atau "
                                                       "sudah dimuat)."))
    _file_still_there(job)
    return job_requeue(job, run_import_job, dry_run=False, accept_warnings=accept_warnings)


def import_job_preview_again(*, job: ImportJob, mapping: ColumnMapping) -> ImportJob:
    """Preview the same file again with a column mapping (its columns were not recognised)."""
    from .tasks import run_import_job

    _file_still_there(job)
    return job_requeue(job, run_import_job, mapping=mapping, summary={})


def import_job_retry(*, job: ImportJob) -> ImportJob:
    """Run a failed import again, as it was asked (a preview, or the load), from the file still kept for it."""
    from .tasks import run_import_job

    if job.status == JobStatus.FAILED and not job.file_path:
        raise ServiceError(code=ErrorCode.FILE_GONE, message=_("Berkas impor ini sudah dihapus; unggah lagi."))
    return job_retry(job, run_import_job)


def import_job_run(job_id: int) -> ImportJob:
    """Run a queued job to its end; the worker calls this, and so do tests. A job another worker took, or one
    that expired, is left as it is."""
    job = job_claim(ImportJob.objects.select_related("created_by", "mapping"), job_id)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    # The job's words (its messages, the report's headers and groups) in the language of who ran it.
    with translation.override(job.created_by.language or "id"):
        return _run(job)


def _run(job: ImportJob) -> ImportJob:
    options = ImportOptions(desa=job.desa_id or "", format=job.format,
                            mapping=job.mapping.columns if job.mapping else None, dry_run=job.dry_run,
                            all_or_nothing=job.all_or_nothing, accept_warnings=job.accept_warnings,
                            note=_("impor #%(id)s %(f)s") % {"id": job.pk, "f": job.file_name})
    report = ""
    try:
        # The load and the job's end commit together: a job expired meanwhile keeps nothing of the load.
        with transaction.atomic():
            outcome = participants_import(actor=job.created_by, source=job.file_path, options=options,
                                          progress=job_reporter(job))
            if outcome.problems:
                report = str(write_report(outcome, Path(job.file_path).parent / "laporan.xlsx"))
            if not job_finish(job, summary=outcome.summary(), rows_total=outcome.rows_total, report_path=report,
                              rejected=outcome.rejected):
                raise JobEnded
    except JobEnded:
        pass
    except (ServiceError, FileProblem) as exc:  # a problem with the input, in the user's words: as it is
        job_fail(job, getattr(exc, "message", "") or str(exc), keep_file=False)  # the same file would fail again
    except Exception:  # the transaction was rolled back: say so, in words (the log keeps the exception)
        logger.exception("import job %s failed", job.pk)
        job_fail(job, _("Terjadi kesalahan di server. Coba lagi, atau hubungi admin bila terulang."))  # file kept
    else:
        return job
    remove_upload(report)  # with the job's folder, which the report kept from going with the upload
    return job


def import_job_progress(job: ImportJob) -> dict:
    """{done, total, percent, stage}: rows read so far, and what the job is doing in words."""
    return job_progress(job, job.rows_total)


def mapping_save(*, actor, name: str, columns: dict[str, str], shared: bool = False,
                 kind: str = MappingKind.PARTICIPANTS) -> ColumnMapping:
    """Save the actor's own mapping of a kind of file under `name` (replacing only their own of that name and kind,
    never another user's); `shared` offers it to the users whose regions overlap the actor's."""
    name = " ".join(name.split())[:80]
    if not name:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Beri nama pemetaan."),
                           fields={"name": [_("Wajib diisi.")]})
    columns = {k: v for k, v in columns.items() if v}
    if kind == MappingKind.PAYMENTS:
        required, message = ("amount", "date"), _("Pemetaan pembayaran harus memuat jumlah dan tanggal bayar.")
        if not any(f in columns for f in ("nik", "invoice", "name")):
            raise ServiceError(code=ErrorCode.INVALID, message=_(
                "Pemetaan pembayaran harus memuat NIK, nomor tagihan atau keterangan."),
                fields={"nik": [_("Wajib dipetakan.")]})
    else:
        required, message = ("nik", "full_name", "birth_date"), _("Pemetaan harus memuat NIK, nama dan tanggal lahir.")
    for field_name in required:
        if field_name not in columns:
            raise ServiceError(code=ErrorCode.INVALID, message=message, fields={field_name: [_("Wajib dipetakan.")]})
    mapping, _created = ColumnMapping.objects.update_or_create(owner=actor, kind=kind, name=name,
                                                               defaults={"columns": columns, "shared": shared})
    return mapping
